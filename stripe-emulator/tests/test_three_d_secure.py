"""3D Secure: `requires_action`, the challenge completed or failed through the control API."""

from __future__ import annotations

import httpx
import pytest
import stripe

from tests import calls


async def _needs_action(client: stripe.StripeClient, token: str) -> stripe.PaymentIntent:
    intent = await client.v1.payment_intents.create_async(calls.CREATE_INTENT)
    return await client.v1.payment_intents.confirm_async(intent.id, {"payment_method": token})


@pytest.mark.parametrize(
    "token",
    [
        "pm_card_authenticationRequired",
        "pm_card_authenticationRequiredOnSetup",
        "pm_card_threeDSecure2Required",
    ],
)
async def test_authentication_cards_require_action(client: stripe.StripeClient, token: str) -> None:
    intent = await _needs_action(client, token)

    assert intent.status == "requires_action"
    assert intent.next_action.type == "use_stripe_sdk"
    assert intent.next_action.use_stripe_sdk.type == "three_d_secure_redirect"
    assert intent.latest_charge is None


async def test_completing_the_challenge_succeeds(
    client: stripe.StripeClient, control: httpx.Client
) -> None:
    intent = await _needs_action(client, "pm_card_authenticationRequired")

    response = control.post(
        f"/payment_intents/{intent.id}/three_d_secure", data={"outcome": "complete"}
    )

    assert response.status_code == 200
    assert response.json()["status"] == "succeeded"
    paid = await client.v1.payment_intents.retrieve_async(intent.id)
    assert (paid.status, paid.next_action, paid.amount_received) == ("succeeded", None, 12_500)
    charge = await client.v1.charges.retrieve_async(paid.latest_charge)
    assert charge.payment_method_details.card.three_d_secure.result == "authenticated"


async def test_failing_the_challenge_returns_to_requires_payment_method(
    client: stripe.StripeClient, control: httpx.Client
) -> None:
    intent = await _needs_action(client, "pm_card_authenticationRequired")

    control.post(f"/payment_intents/{intent.id}/three_d_secure", json={"outcome": "fail"})

    failed = await client.v1.payment_intents.retrieve_async(intent.id)
    assert failed.status == "requires_payment_method"
    assert failed.last_payment_error.code == "payment_intent_authentication_failure"
    assert failed.last_payment_error.type == "invalid_request_error"
    assert failed.payment_method is None
    assert failed.latest_charge is None


async def test_authenticated_then_declined(
    client: stripe.StripeClient, control: httpx.Client
) -> None:
    method = await client.v1.payment_methods.create_async(
        {"type": "card", "card": {"number": "4000008400001629", "exp_month": 1, "exp_year": 2040}}
    )
    intent = await _needs_action(client, method.id)

    control.post(f"/payment_intents/{intent.id}/three_d_secure", json={"outcome": "complete"})

    declined = await client.v1.payment_intents.retrieve_async(intent.id)
    assert declined.status == "requires_payment_method"
    assert declined.last_payment_error.decline_code == "generic_decline"


async def test_a_return_url_gives_a_redirect_to_a_challenge_page(
    client: stripe.StripeClient, emulator_url: str
) -> None:
    intent = await client.v1.payment_intents.create_async(calls.CREATE_INTENT)

    confirmed = await client.v1.payment_intents.confirm_async(
        intent.id, calls.CONFIRM_WITH_RETURN_URL
    )

    redirect = confirmed.next_action.redirect_to_url
    assert confirmed.next_action.type == "redirect_to_url"
    assert redirect.return_url == calls.CONFIRM_WITH_RETURN_URL["return_url"]
    assert redirect.url.startswith(f"{emulator_url}/_emulator/3ds/{intent.id}?")
    page = httpx.get(redirect.url)
    assert page.status_code == 200
    assert "Complete" in page.text
    assert "Fail" in page.text


async def test_no_pending_challenge_is_refused(
    control: httpx.Client, paid_intent: stripe.PaymentIntent
) -> None:
    response = control.post(
        f"/payment_intents/{paid_intent.id}/three_d_secure", json={"outcome": "complete"}
    )

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "payment_intent_unexpected_state"


async def test_requesting_three_d_secure_challenges_any_card(
    client: stripe.StripeClient, control: httpx.Client
) -> None:
    intent = await client.v1.payment_intents.create_async(
        {
            **calls.CREATE_INTENT,
            "payment_method_options": {"card": {"request_three_d_secure": "any"}},
        }
    )

    confirmed = await client.v1.payment_intents.confirm_async(intent.id, calls.CONFIRM_INTENT)
    control.post(f"/payment_intents/{intent.id}/three_d_secure", json={"outcome": "complete"})

    assert confirmed.status == "requires_action"
    assert confirmed.payment_method_options.card.request_three_d_secure == "any"
    paid = await client.v1.payment_intents.retrieve_async(intent.id)
    assert paid.status == "succeeded"
