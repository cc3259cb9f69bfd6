"""Webhook delivery: signed as Stripe signs, in order, retried, logged, resent."""

from __future__ import annotations

import hashlib
import hmac
import random
import time

import httpx
import stripe

from tests import calls
from tests.conftest import WEBHOOK_SECRET
from tests.servers import WebhookReceiver
from tests.waiting import eventually

PAYMENT_EVENTS = ["payment_intent.created", "charge.succeeded", "payment_intent.succeeded"]


async def _pay(client: stripe.StripeClient) -> stripe.PaymentIntent:
    return await client.v1.payment_intents.create_async(
        {**calls.CREATE_INTENT, "payment_method": "pm_card_visa", "confirm": True}
    )


async def test_events_arrive_signed_and_in_order(
    client: stripe.StripeClient, receiver: WebhookReceiver
) -> None:
    intent = await _pay(client)

    await eventually(lambda: len(receiver.received) == 3)

    assert receiver.types() == PAYMENT_EVENTS
    assert receiver.rejected == []
    succeeded = receiver.received[2]
    assert succeeded.event.data.object.id == intent.id
    assert succeeded.event.api_version == stripe.api_version
    # The signature is HMAC-SHA256 of "{t}.{body}", checked here by hand too.
    parts = dict(item.split("=", 1) for item in succeeded.signature.split(","))
    assert abs(int(parts["t"]) - time.time()) < 60
    assert set(parts) == {"t", "v1"}


async def test_a_wrong_secret_fails_verification(
    client: stripe.StripeClient, control: httpx.Client
) -> None:
    impostor = WebhookReceiver("whsec_not_the_right_one")
    control.post("/webhook_endpoints", json={"url": impostor.url, "secret": WEBHOOK_SECRET})
    try:
        await client.v1.payment_intents.create_async(calls.CREATE_INTENT)
        await eventually(lambda: len(impostor.rejected) == 1)
    finally:
        impostor.stop()

    assert impostor.received == []


def test_signature_matches_stripes_scheme() -> None:
    from stripe_emulator.signing import signature_header

    header = signature_header('{"id": "evt_1"}', "whsec_abc", 1_700_000_000)

    expected = hmac.new(b"whsec_abc", b'1700000000.{"id": "evt_1"}', hashlib.sha256).hexdigest()
    assert header == f"t=1700000000,v1={expected}"


async def test_non_2xx_is_retried_with_backoff_and_logged(
    client: stripe.StripeClient, receiver: WebhookReceiver, control: httpx.Client
) -> None:
    receiver.failures_to_serve.extend([500, 503])

    created = await client.v1.payment_intents.create_async(calls.CREATE_INTENT)
    await eventually(lambda: len(receiver.received) == 1)

    deliveries = control.get("/deliveries", params={"event_type": "payment_intent.created"})
    [delivery] = deliveries.json()["data"]
    assert delivery["status"] == "succeeded"
    assert [attempt["status_code"] for attempt in delivery["attempts"]] == [500, 503, 200]
    gaps = [
        b["at"] - a["at"]
        for a, b in zip(delivery["attempts"], delivery["attempts"][1:], strict=False)
    ]
    assert gaps[0] >= 0.1
    assert gaps[1] >= 0.2
    assert receiver.received[0].event.data.object.id == created.id


async def test_a_failing_endpoint_gives_up_after_max_attempts_and_moves_on(
    client: stripe.StripeClient, receiver: WebhookReceiver, control: httpx.Client
) -> None:
    control.post("/webhook_settings", json={"max_attempts": 2, "backoff_base_seconds": 0.05})
    receiver.failures_to_serve.extend([500, 500])

    await _pay(client)
    await eventually(lambda: len(receiver.received) == 2)

    log = control.get("/deliveries").json()["data"]
    assert [(d["event_type"], d["status"]) for d in log] == [
        ("payment_intent.created", "failed"),
        ("charge.succeeded", "succeeded"),
        ("payment_intent.succeeded", "succeeded"),
    ]
    assert receiver.types() == PAYMENT_EVENTS[1:]


async def test_resend_delivers_an_event_again(
    client: stripe.StripeClient, receiver: WebhookReceiver, control: httpx.Client
) -> None:
    await client.v1.payment_intents.create_async(calls.CREATE_INTENT)
    await eventually(lambda: len(receiver.received) == 1)
    event_id = receiver.received[0].event.id

    response = control.post(f"/events/{event_id}/resend")

    assert response.status_code == 200
    await eventually(lambda: len(receiver.received) == 2)
    assert receiver.received[1].event.id == event_id


async def test_endpoints_can_be_listed_filtered_and_removed(
    client: stripe.StripeClient, control: httpx.Client
) -> None:
    only_refunds = WebhookReceiver(WEBHOOK_SECRET)
    try:
        created = control.post(
            "/webhook_endpoints",
            json={
                "url": only_refunds.url,
                "secret": WEBHOOK_SECRET,
                "enabled_events": ["refund.*"],
            },
        ).json()
        listed = control.get("/webhook_endpoints").json()["data"]
        intent = await _pay(client)
        await client.v1.refunds.create_async({"payment_intent": intent.id})
        await eventually(lambda: len(only_refunds.received) == 1)
        removed = control.delete(f"/webhook_endpoints/{created['id']}")
    finally:
        only_refunds.stop()

    assert [endpoint["id"] for endpoint in listed] == [created["id"]]
    assert only_refunds.types() == ["refund.created"]
    assert removed.json() == {"id": created["id"], "deleted": True}
    assert control.get("/webhook_endpoints").json()["data"] == []


async def test_pending_webhooks_counts_down_as_deliveries_succeed(
    client: stripe.StripeClient, receiver: WebhookReceiver
) -> None:
    await client.v1.payment_intents.create_async(calls.CREATE_INTENT)
    await eventually(lambda: len(receiver.received) == 1)

    async def delivered() -> bool:
        page = await client.v1.events.list_async({"limit": 1})
        return page.data[0].pending_webhooks == 0

    await eventually(delivered)


class TestWebhookFaults:
    async def test_duplicates_carry_the_same_event_id(
        self, client: stripe.StripeClient, receiver: WebhookReceiver, control: httpx.Client
    ) -> None:
        control.post("/faults", json={"webhook_duplicate_rate": 1.0})

        await client.v1.payment_intents.create_async(calls.CREATE_INTENT)
        await eventually(lambda: len(receiver.received) == 2)

        first, second = receiver.received
        assert first.event.id == second.event.id
        flags = [d["duplicate"] for d in control.get("/deliveries").json()["data"]]
        assert flags == [False, True]

    async def test_shuffle_delivers_out_of_order(
        self, client: stripe.StripeClient, receiver: WebhookReceiver, control: httpx.Client
    ) -> None:
        seed = next(s for s in range(100) if _shuffled(s, 3) != [0, 1, 2])
        control.post("/faults", json={"webhook_shuffle": True, "seed": seed})

        await _pay(client)
        await eventually(lambda: len(receiver.received) == 3)

        assert receiver.types() == [PAYMENT_EVENTS[index] for index in _shuffled(seed, 3)]
        assert receiver.types() != PAYMENT_EVENTS

    async def test_delay_holds_each_delivery(
        self, client: stripe.StripeClient, receiver: WebhookReceiver, control: httpx.Client
    ) -> None:
        control.post("/faults", json={"webhook_delay_ms": 400})
        started = time.monotonic()

        await client.v1.payment_intents.create_async(calls.CREATE_INTENT)
        await eventually(lambda: len(receiver.received) == 1)

        assert receiver.received[0].received_at - started >= 0.4


def _shuffled(seed: int, length: int) -> list[int]:
    order = list(range(length))
    random.Random(seed).shuffle(order)
    return order
