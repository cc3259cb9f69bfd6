"""Declining test cards: the 402 card error, `last_payment_error`, the failed charge."""

from __future__ import annotations

import pytest
import stripe

from tests import calls

DECLINES = [
    ("pm_card_chargeDeclined", "card_declined", "generic_decline", "Your card was declined."),
    (
        "pm_card_chargeDeclinedInsufficientFunds",
        "card_declined",
        "insufficient_funds",
        "Your card has insufficient funds.",
    ),
    ("pm_card_chargeDeclinedLostCard", "card_declined", "lost_card", "Your card was declined."),
    ("pm_card_chargeDeclinedExpiredCard", "expired_card", "expired_card", "Your card has expired."),
    (
        "pm_card_chargeDeclinedIncorrectCvc",
        "incorrect_cvc",
        "incorrect_cvc",
        "Your card's security code is incorrect.",
    ),
    (
        "pm_card_chargeDeclinedProcessingError",
        "processing_error",
        "processing_error",
        "An error occurred while processing your card. Try again in a little bit.",
    ),
]


@pytest.mark.parametrize(("token", "code", "decline_code", "message"), DECLINES)
async def test_declined_tokens_fail_like_stripe(
    client: stripe.StripeClient, token: str, code: str, decline_code: str, message: str
) -> None:
    intent = await client.v1.payment_intents.create_async(calls.CREATE_INTENT)

    with pytest.raises(stripe.CardError) as raised:
        await client.v1.payment_intents.confirm_async(intent.id, {"payment_method": token})

    error = raised.value
    assert error.http_status == 402
    assert (error.code, error.error.decline_code, error.user_message) == (
        code,
        decline_code,
        message,
    )
    assert error.error.payment_intent.status == "requires_payment_method"
    failed = await client.v1.payment_intents.retrieve_async(intent.id)
    assert failed.status == "requires_payment_method"
    assert failed.payment_method is None
    assert failed.last_payment_error.type == "card_error"
    assert failed.last_payment_error.decline_code == decline_code
    charge = await client.v1.charges.retrieve_async(failed.latest_charge)
    assert (charge.status, charge.paid, charge.failure_code, charge.failure_message) == (
        "failed",
        False,
        code,
        message,
    )
    assert charge.outcome.type == "issuer_declined"


@pytest.mark.parametrize(
    ("number", "decline_code"),
    [("4000000000000002", "generic_decline"), ("4000000000009995", "insufficient_funds")],
)
async def test_declined_card_numbers_from_stripejs_fail_the_same_way(
    client: stripe.StripeClient, number: str, decline_code: str
) -> None:
    method = await client.v1.payment_methods.create_async(
        {"type": "card", "card": {"number": number, "exp_month": 1, "exp_year": 2040}}
    )
    intent = await client.v1.payment_intents.create_async(calls.CREATE_INTENT)

    with pytest.raises(stripe.CardError) as raised:
        await client.v1.payment_intents.confirm_async(intent.id, {"payment_method": method.id})

    assert raised.value.error.decline_code == decline_code


async def test_a_live_card_number_is_declined_in_test_mode(client: stripe.StripeClient) -> None:
    method = await client.v1.payment_methods.create_async(
        {"type": "card", "card": {"number": "4012888888881881", "exp_month": 1, "exp_year": 2040}}
    )
    intent = await client.v1.payment_intents.create_async(calls.CREATE_INTENT)

    with pytest.raises(stripe.CardError) as raised:
        await client.v1.payment_intents.confirm_async(intent.id, {"payment_method": method.id})

    assert raised.value.error.decline_code == "test_mode_live_card"


async def test_a_new_card_after_a_decline_succeeds(client: stripe.StripeClient) -> None:
    intent = await client.v1.payment_intents.create_async(calls.CREATE_INTENT)
    with pytest.raises(stripe.CardError):
        await client.v1.payment_intents.confirm_async(
            intent.id, {"payment_method": "pm_card_chargeDeclined"}
        )

    retried = await client.v1.payment_intents.confirm_async(intent.id, calls.CONFIRM_INTENT)

    assert retried.status == "succeeded"
    assert retried.last_payment_error is None
    charges = await client.v1.charges.list_async({"payment_intent": intent.id})
    assert [charge.status for charge in charges.data] == ["succeeded", "failed"]
