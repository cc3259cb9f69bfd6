"""Events: the envelope, the sequence each flow emits, retrieve and list filters."""

from __future__ import annotations

import httpx
import pytest
import stripe

from stripe_emulator import API_VERSION
from tests import calls


async def _types(client: stripe.StripeClient) -> list[str]:
    page = await client.v1.events.list_async({"limit": 100})
    return [event.type for event in reversed(page.data)]


def test_api_version_is_the_sdks() -> None:
    assert stripe.api_version == API_VERSION


async def test_envelope_names_the_request_and_idempotency_key(
    client: stripe.StripeClient,
) -> None:
    intent = await client.v1.payment_intents.create_async(
        calls.CREATE_INTENT, {"idempotency_key": "order-123-create"}
    )

    page = await client.v1.events.list_async({"type": "payment_intent.created"})
    event = page.data[0]

    assert isinstance(event, stripe.Event)
    assert event.id.startswith("evt_")
    assert (event.object, event.api_version, event.livemode) == ("event", API_VERSION, False)
    assert event.data.object.id == intent.id
    assert event.request.id == intent.last_response.request_id
    assert event.request.idempotency_key == "order-123-create"
    assert (await client.v1.events.retrieve_async(event.id)).to_dict() == event.to_dict()


async def test_successful_payment_sequence(client: stripe.StripeClient) -> None:
    intent = await client.v1.payment_intents.create_async(calls.CREATE_INTENT)
    await client.v1.payment_intents.confirm_async(intent.id, calls.CONFIRM_INTENT)

    assert await _types(client) == [
        "payment_intent.created",
        "charge.succeeded",
        "payment_intent.succeeded",
    ]


async def test_decline_then_3ds_then_cancel_sequences(
    client: stripe.StripeClient, control: httpx.Client
) -> None:
    intent = await client.v1.payment_intents.create_async(calls.CREATE_INTENT)
    with pytest.raises(stripe.CardError):
        await client.v1.payment_intents.confirm_async(
            intent.id, {"payment_method": "pm_card_chargeDeclined"}
        )
    await client.v1.payment_intents.confirm_async(
        intent.id, {"payment_method": "pm_card_authenticationRequired"}
    )
    control.post(f"/payment_intents/{intent.id}/three_d_secure", json={"outcome": "fail"})
    await client.v1.payment_intents.cancel_async(intent.id)

    assert await _types(client) == [
        "payment_intent.created",
        "charge.failed",
        "payment_intent.payment_failed",
        "payment_intent.requires_action",
        "payment_intent.payment_failed",
        "payment_intent.canceled",
    ]


async def test_manual_capture_and_refund_sequence_with_previous_attributes(
    client: stripe.StripeClient,
) -> None:
    intent = await client.v1.payment_intents.create_async(calls.CREATE_MANUAL_INTENT)
    await client.v1.payment_intents.confirm_async(intent.id, calls.CONFIRM_INTENT)
    await client.v1.payment_intents.capture_async(intent.id)
    await client.v1.refunds.create_async({"payment_intent": intent.id, "amount": 500})

    assert await _types(client) == [
        "payment_intent.created",
        "charge.succeeded",
        "payment_intent.amount_capturable_updated",
        "charge.captured",
        "payment_intent.succeeded",
        "refund.created",
        "charge.refunded",
    ]
    refunded = (await client.v1.events.list_async({"type": "charge.refunded"})).data[0]
    assert refunded.data.previous_attributes.to_dict() == {"amount_refunded": 0}
    assert refunded.data.object.amount_refunded == 500
    captured = (await client.v1.events.list_async({"type": "charge.captured"})).data[0]
    assert captured.data.previous_attributes.to_dict() == {
        "amount_captured": 0,
        "balance_transaction": None,
        "captured": False,
    }


async def test_list_filters_by_type_wildcard_and_types(client: stripe.StripeClient) -> None:
    for _ in range(3):
        await client.v1.payment_intents.create_async(
            {**calls.CREATE_INTENT, "payment_method": "pm_card_visa", "confirm": True}
        )

    succeeded = await client.v1.events.list_async(calls.LIST_EVENTS)
    charges = await client.v1.events.list_async({"type": "charge.*"})
    several = await client.v1.events.list_async(
        {"types": ["charge.succeeded", "payment_intent.created"], "limit": 4}
    )

    assert [event.type for event in succeeded.data] == ["payment_intent.succeeded"] * 3
    assert [event.type for event in charges.data] == ["charge.succeeded"] * 3
    assert len(several.data) == 4
    assert several.has_more is True
    assert {event.type for event in several.data} == {"charge.succeeded", "payment_intent.created"}


async def test_list_paginates_with_starting_after(client: stripe.StripeClient) -> None:
    for _ in range(3):
        await client.v1.payment_intents.create_async(calls.CREATE_INTENT)

    first = await client.v1.events.list_async({"limit": 2})
    rest = await client.v1.events.list_async({"limit": 2, "starting_after": first.data[-1].id})

    assert (len(first.data), first.has_more) == (2, True)
    assert (len(rest.data), rest.has_more) == (1, False)


async def test_unknown_event_is_resource_missing(client: stripe.StripeClient) -> None:
    with pytest.raises(stripe.InvalidRequestError) as raised:
        await client.v1.events.retrieve_async("evt_missing")

    assert raised.value.http_status == 404
