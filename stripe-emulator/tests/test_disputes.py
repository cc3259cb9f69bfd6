"""Disputes opened and closed through the control API, read through the SDK."""

from __future__ import annotations

import httpx
import pytest
import stripe

from tests.servers import WebhookReceiver
from tests.waiting import eventually


async def test_trigger_and_close_a_dispute(
    client: stripe.StripeClient,
    control: httpx.Client,
    receiver: WebhookReceiver,
    paid_intent: stripe.PaymentIntent,
) -> None:
    opened = control.post(
        f"/charges/{paid_intent.latest_charge}/dispute", json={"reason": "product_not_received"}
    ).json()
    closed = control.post(f"/disputes/{opened['id']}/close", json={"outcome": "lost"}).json()

    dispute = await client.v1.disputes.retrieve_async(opened["id"])
    assert (dispute.status, dispute.reason, dispute.amount) == (
        "lost",
        "product_not_received",
        5000,
    )
    assert dispute.payment_intent == paid_intent.id
    assert closed["status"] == "lost"
    charge = await client.v1.charges.retrieve_async(paid_intent.latest_charge)
    assert charge.disputed is True
    with pytest.raises(stripe.InvalidRequestError) as raised:
        await client.v1.refunds.create_async({"payment_intent": paid_intent.id})
    assert raised.value.code == "charge_disputed"
    await eventually(lambda: "charge.dispute.closed" in receiver.types())
    closed_event = receiver.received[-1].event
    assert closed_event.data.previous_attributes.to_dict() == {"status": "needs_response"}
    assert "charge.dispute.created" in receiver.types()


async def test_the_dispute_card_is_disputed_on_its_own(client: stripe.StripeClient) -> None:
    intent = await client.v1.payment_intents.create_async(
        {
            "amount": 2000,
            "currency": "usd",
            "payment_method_types": ["card"],
            "payment_method": "pm_card_createDispute",
            "confirm": True,
        }
    )

    async def disputed() -> bool:
        page = await client.v1.disputes.list_async({"payment_intent": intent.id})
        return len(page.data) == 1 and page.data[0].status == "needs_response"

    await eventually(disputed)


async def test_disputes_and_their_events_carry_what_the_sdk_reads_as_always_set(
    client: stripe.StripeClient,
    control: httpx.Client,
    receiver: WebhookReceiver,
    paid_intent: stripe.PaymentIntent,
) -> None:
    opened = control.post(f"/charges/{paid_intent.latest_charge}/dispute", json={}).json()

    dispute = await client.v1.disputes.retrieve_async(opened["id"])
    await eventually(lambda: "charge.dispute.created" in receiver.types())
    sent = receiver.received[-1].event.data.object
    for seen in (dispute, sent):
        assert seen.evidence_details.submission_method == "not_submitted"
        assert seen.payment_method_details.card.network == "visa"
        assert seen.payment_method_details.card.brand == "visa"


def test_a_dispute_on_an_unknown_charge_is_404(control: httpx.Client) -> None:
    response = control.post("/charges/ch_missing/dispute", json={})

    assert response.status_code == 404
