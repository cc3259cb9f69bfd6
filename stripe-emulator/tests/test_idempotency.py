"""`Idempotency-Key`: same key and params replay; different params are an idempotency error."""

from __future__ import annotations

import httpx
import pytest
import stripe

from tests import calls
from tests.conftest import SECRET_KEY

AUTH = {"Authorization": f"Bearer {SECRET_KEY}"}


async def test_same_key_same_params_replays_the_first_response(
    client: stripe.StripeClient,
) -> None:
    options: stripe.RequestOptions = {"idempotency_key": "pay-0001"}

    first = await client.v1.payment_intents.create_async(calls.CREATE_INTENT, options)
    again = await client.v1.payment_intents.create_async(calls.CREATE_INTENT, options)

    assert again.id == first.id
    assert again.to_dict() == first.to_dict()
    assert first.last_response.headers.get("Idempotent-Replayed") is None
    assert again.last_response.headers["Idempotent-Replayed"] == "true"
    assert again.last_response.headers["Original-Request"] == first.last_response.request_id
    listed = await client.v1.payment_intents.list_async()
    assert [intent.id for intent in listed.data] == [first.id]


async def test_same_key_different_params_is_an_idempotency_error(
    client: stripe.StripeClient,
) -> None:
    options: stripe.RequestOptions = {"idempotency_key": "pay-0002"}
    await client.v1.payment_intents.create_async(calls.CREATE_INTENT, options)

    with pytest.raises(stripe.IdempotencyError) as raised:
        await client.v1.payment_intents.create_async({**calls.CREATE_INTENT, "amount": 1}, options)

    assert raised.value.http_status == 400
    assert raised.value.error is not None
    assert raised.value.error.type == "idempotency_error"
    assert "can only be used with the same parameters" in str(raised.value.user_message)


async def test_same_key_on_another_endpoint_is_an_idempotency_error(
    client: stripe.StripeClient,
) -> None:
    options: stripe.RequestOptions = {"idempotency_key": "pay-0003"}
    intent = await client.v1.payment_intents.create_async(calls.CREATE_INTENT, options)

    with pytest.raises(stripe.IdempotencyError) as raised:
        await client.v1.payment_intents.cancel_async(intent.id, {}, options)

    assert "can only be used for the same endpoint" in str(raised.value.user_message)


async def test_a_refund_retried_with_its_key_refunds_once(client: stripe.StripeClient) -> None:
    intent = await client.v1.payment_intents.create_async(
        {**calls.CREATE_INTENT, "payment_method": "pm_card_visa", "confirm": True}
    )
    params = {"payment_intent": intent.id, "amount": 1_000}

    for _ in range(3):
        await client.v1.refunds.create_async(params, {"idempotency_key": "refund-0001"})

    charge = await client.v1.charges.retrieve_async(intent.latest_charge)
    assert charge.amount_refunded == 1_000


def test_a_card_error_is_replayed_but_a_validation_error_is_not(api: httpx.Client) -> None:
    create = api.post(
        "/v1/payment_intents",
        headers=AUTH,
        data={"amount": "1000", "currency": "usd", "payment_method_types[0]": "card"},
    )
    intent_id = create.json()["id"]
    headers = {**AUTH, "Idempotency-Key": "confirm-0001"}
    declined = {"payment_method": "pm_card_chargeDeclined"}

    first = api.post(f"/v1/payment_intents/{intent_id}/confirm", headers=headers, data=declined)
    replay = api.post(f"/v1/payment_intents/{intent_id}/confirm", headers=headers, data=declined)
    invalid_headers = {**AUTH, "Idempotency-Key": "create-0002"}
    bad = api.post("/v1/payment_intents", headers=invalid_headers, data={"amount": "x"})
    good = api.post(
        "/v1/payment_intents", headers=invalid_headers, data={"amount": "1000", "currency": "usd"}
    )

    assert (first.status_code, replay.status_code) == (402, 402)
    assert replay.content == first.content
    assert replay.headers["Idempotent-Replayed"] == "true"
    assert bad.status_code == 400
    assert good.status_code == 200
    assert "Idempotent-Replayed" not in good.headers
