"""MongoDB stopped while the service runs: an event not stored is Stripe's to retry (503); an
event stored but not applied is the sweep's to retry."""

from collections.abc import AsyncIterator, Callable
from functools import partial
from pathlib import Path
from typing import Any

import pytest
from httpx import AsyncClient
from prometheus_client import REGISTRY
from pymongo import AsyncMongoClient

from app.core.settings import Settings
from app.main import create_app
from app.webhooks.repository import INBOX
from tests.integration.conftest import Headers, started
from tests.integration.private_mongo import PrivateMongo
from tests.integration.stripe_support import (
    Emulator,
    create_intent,
    create_order,
    pay_as_browser,
    stripe_settings,
)
from tests.integration.webhooks.events import (
    CURRENT_SECRET,
    deliver,
    stripe_event,
)
from tests.integration.webhooks.lookups import stripe_get
from tests.integration.webhooks.waiting import eventually


@pytest.fixture
async def private_mongo(tmp_path: Path) -> AsyncIterator[PrivateMongo]:
    server = PrivateMongo(tmp_path / "mongo")
    await server.start()
    yield server
    await server.stop()


async def test_unstored_event_is_a_503_and_the_retry_is_applied(
    settings_for: Callable[..., Settings], private_mongo: PrivateMongo
) -> None:
    settings = settings_for(
        mongodb_url=private_mongo.url,
        stripe_webhook_secret=CURRENT_SECRET,
        webhook_sweep_interval_seconds=0,
    )
    event = stripe_event("customer.updated", {"id": "cus_1", "object": "customer"})
    async for client in started(create_app(settings)):
        await private_mongo.stop()
        refused = await deliver(client, event)
        assert refused.status_code == 503
        assert refused.json()["error"] == {
            "code": "service_unavailable",
            "message": "The event could not be stored; retry later.",
            "request_id": refused.headers["X-Request-ID"],
        }

        await private_mongo.start()
        retried = await deliver(client, event)
        assert retried.status_code == 200
        assert retried.json()["status"] == "queued"
        stored = await eventually(partial(processed_event, private_mongo, settings, event["id"]))

    assert (stored["state"], stored["attempts"]) == ("processed", 1)


async def test_database_lost_while_applying_leaves_the_event_for_the_sweep(
    settings_for: Callable[..., Settings],
    private_mongo: PrivateMongo,
    as_role: Callable[..., Headers],
    customer_id: str,
) -> None:
    """MongoDB stops while the event is being applied (during the card lookup at Stripe, after
    the answer): once MongoDB is back, the sweep applies the event."""
    emulator = Emulator().start()
    try:
        settings = settings_for(
            mongodb_url=private_mongo.url,
            **stripe_settings(emulator),
            stripe_webhook_secret=CURRENT_SECRET,
            webhook_sweep_interval_seconds=0.2,
            webhook_lease_seconds=4,
            webhook_retry_base_seconds=0.2,
            webhook_queue_hold_seconds=1,
        )
        sales = as_role("sales")
        async for client in started(create_app(settings)):
            order = await create_order(client, sales, customer_id)
            intent = (await create_intent(client, sales, order["id"])).json()
            intent_id = intent["payment_intent_id"]
            await pay_as_browser(emulator, intent_id, intent["client_secret"])
            event = stripe_event(
                "payment_intent.succeeded",
                await stripe_get(emulator, f"/v1/payment_intents/{intent_id}"),
            )
            emulator.set_faults(latency_ms=1000)
            answer = await deliver(client, event)
            assert (answer.status_code, answer.json()["status"]) == (200, "queued")
            # Once its worker has started on it, the card lookup keeps it busy for a second.
            await eventually(partial(started_event, private_mongo, settings, event["id"]))
            failures = failed_count(event["type"])
            await private_mongo.stop()
            # Started again only once the worker has failed on it, as after a real outage.
            await eventually(partial(failed_since, event["type"], failures))

            emulator.clear_faults()
            await private_mongo.start()
            paid = await eventually(partial(paid_order, client, sales, order["id"]), within=20)
            assert paid["amount_paid"] == 100
    finally:
        emulator.stop()

    stored = await stored_event(private_mongo, settings, event["id"])
    assert stored is not None
    assert (stored["state"], stored["outcome"], stored["last_error"]) == (
        "processed",
        "applied",
        None,
    )
    assert stored["attempts"] == 2  # the delivery's, then the sweep's


async def paid_order(client: AsyncClient, headers: Headers, order_id: str) -> dict[str, Any] | None:
    response = await client.get(f"/api/v1/orders/{order_id}", headers=headers)
    if response.status_code != 200 or response.json()["payment_status"] != "paid":
        return None
    order: dict[str, Any] = response.json()
    return order


def failed_count(event_type: str) -> float:
    labels = {"type": event_type, "outcome": "failed"}
    return REGISTRY.get_sample_value("erp_webhook_events_total", labels) or 0.0


async def failed_since(event_type: str, before: float) -> bool:
    return failed_count(event_type) > before


async def processed_event(
    server: PrivateMongo, settings: Settings, event_id: str
) -> dict[str, Any] | None:
    stored = await stored_event(server, settings, event_id)
    return stored if stored is not None and stored["state"] == "processed" else None


async def started_event(
    server: PrivateMongo, settings: Settings, event_id: str
) -> dict[str, Any] | None:
    """The event once a worker has started processing it (an attempt counted)."""
    stored = await stored_event(server, settings, event_id)
    return stored if stored is not None and stored["attempts"] >= 1 else None


async def stored_event(
    server: PrivateMongo, settings: Settings, event_id: str
) -> dict[str, Any] | None:
    mongo: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(server.url)
    try:
        return await mongo[settings.mongodb_db][INBOX].find_one({"_id": event_id})
    finally:
        await mongo.close()
