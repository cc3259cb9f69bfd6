"""`GET /v1/account`."""

from __future__ import annotations

import stripe


async def test_account_describes_the_emulated_merchant(client: stripe.StripeClient) -> None:
    account = await client.v1.accounts.retrieve_current_async()

    assert isinstance(account, stripe.Account)
    assert account.id == "acct_1EmulatorAccount0"
    assert (account.country, account.default_currency) == ("US", "usd")
    assert account.settings.dashboard.display_name == "ERP Payments (emulated)"
    assert account.business_profile.name == "ERP Payments (emulated)"
    assert (account.charges_enabled, account.payouts_enabled) == (True, True)


async def test_account_settings_hold_branding_and_card_payments(
    client: stripe.StripeClient,
) -> None:
    """The SDK reads both as always set."""
    settings = (await client.v1.accounts.retrieve_current_async()).settings

    assert settings.branding.primary_color is None
    assert settings.card_payments.statement_descriptor_prefix == "ERP"
    assert settings.card_payments.decline_on.cvc_failure is False
