"""The inbox with a real MongoDB-compatible server: failures stay, the sweep retries, leases hold.

Time is a test clock, so backoff and lease expiry are checked exactly, without sleeping.
"""

import asyncio
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from prometheus_client import REGISTRY
from pymongo import AsyncMongoClient
from pymongo.asynchronous.database import AsyncDatabase

from app.audit.repository import AuditRepository
from app.audit.service import AuditLog
from app.webhooks.repository import INBOX, WebhookInboxRepository
from app.webhooks.schemas import Outcome, StripeEvent
from app.webhooks.service import InboxPolicy, WebhookService
from app.webhooks.sweep import InboxSweep
from tests.integration.conftest import MONGODB_URL
from tests.integration.webhooks.events import encode, payment_intent, stripe_event
from tests.integration.webhooks.seams import RecordingSync

Database = AsyncDatabase[dict[str, Any]]
POLICY = InboxPolicy(
    lease=timedelta(seconds=60), retry_base=timedelta(seconds=5), retry_max=timedelta(minutes=15)
)


class Clock:
    def __init__(self) -> None:
        now = datetime.now(UTC)
        self.now = now.replace(microsecond=now.microsecond // 1000 * 1000)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


@pytest.fixture
async def database() -> AsyncIterator[Database]:
    """A database of this test's own: no background sweep of another app ever sees it."""
    client: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(MONGODB_URL, tz_aware=True)
    name = f"erp_sales_inbox_{uuid.uuid4().hex[:10]}"
    await WebhookInboxRepository.ensure_indexes(client[name])
    yield client[name]
    await client.drop_database(name)
    await client.close()


def service_for(database: Database, sync: RecordingSync, clock: Clock) -> WebhookService:
    return WebhookService(
        WebhookInboxRepository(database),
        sync.processor(),
        AuditLog(AuditRepository(database)),
        POLICY,
        clock=clock,
    )


async def receive(service: WebhookService, event: dict[str, Any]) -> str:
    """Stored and processed at once (the events sync's path): its receipt's status."""
    return (await service.ingest(StripeEvent.model_validate(event), encode(event))).status.value


async def test_a_failed_event_stays_and_the_sweep_retries_it_with_backoff(
    database: Database,
) -> None:
    clock = Clock()
    sync = RecordingSync(failures=2)
    service = service_for(database, sync, clock)
    sweep = InboxSweep(lambda: service, interval_seconds=1)
    intent = payment_intent()
    event = stripe_event("payment_intent.succeeded", intent)

    assert await receive(service, event) == "queued"
    stored = await database[INBOX].find_one({"_id": event["id"]})
    assert stored is not None
    assert (stored["state"], stored["attempts"], stored["lease_owner"]) == ("pending", 1, None)
    assert stored["last_error"] == "AutoReconnect: connection refused (database down)"
    assert stored["next_attempt_at"] == clock.now + timedelta(seconds=5)

    clock.advance(4.9)
    assert await sweep.sweep_once() == 0  # not due yet
    clock.advance(0.1)
    assert await sweep.sweep_once() == 1  # due, fails again: next wait doubles
    stored = await database[INBOX].find_one({"_id": event["id"]})
    assert stored is not None
    assert (stored["state"], stored["attempts"]) == ("pending", 2)
    assert stored["next_attempt_at"] == clock.now + timedelta(seconds=10)

    clock.advance(10)
    assert await sweep.sweep_once() == 1
    stored = await database[INBOX].find_one({"_id": event["id"]})
    assert stored is not None
    assert (stored["state"], stored["outcome"], stored["attempts"]) == ("processed", "applied", 3)
    assert stored["processed_at"] == clock.now
    assert stored["last_error"] is None
    assert sync.applied == {intent["id"]: 1}
    audit = await database["audit"].find({"entity_id": event["id"]}).to_list()
    assert [(entry["action"], entry["order_id"]) for entry in audit] == [
        ("webhook.applied", f"ord_for_{intent['id']}")
    ]
    assert audit[0]["actor"] == {"type": "stripe", "id": "stripe"}
    assert audit[0]["after"] == {
        "type": "payment_intent.succeeded",
        "object_id": intent["id"],
        "record_id": f"pay_for_{intent['id']}",
    }
    clock.advance(3600)
    assert await sweep.sweep_once() == 0


async def test_a_redelivery_while_pending_changes_nothing(database: Database) -> None:
    clock = Clock()
    sync = RecordingSync(failures=1)
    service = service_for(database, sync, clock)
    event = stripe_event("payment_intent.succeeded", payment_intent())
    assert await receive(service, event) == "queued"
    assert await receive(service, event) == "duplicate"
    stored = await database[INBOX].find_one({"_id": event["id"]})
    assert stored is not None
    assert (stored["state"], stored["attempts"]) == ("pending", 1)
    assert sync.applied == {}


async def test_an_event_held_by_a_live_lease_is_not_swept(database: Database) -> None:
    """A request that stored the event and is still processing it keeps it to itself."""
    clock = Clock()
    repository = WebhookInboxRepository(database)
    held = {"_id": "evt_held", "state": "pending", "next_attempt_at": clock.now}
    lease = {"lease_owner": "request-1", "lease_until": clock.now + timedelta(seconds=60)}
    await repository.insert({**held, **lease})
    claim = {"owner": "sweep-1", "lease_until": clock.now + timedelta(seconds=120)}
    assert await repository.claim_due(now=clock.now + timedelta(seconds=59), **claim) is None
    taken = await repository.claim_due(now=clock.now + timedelta(seconds=60), **claim)
    assert taken is not None
    assert taken["lease_owner"] == "sweep-1"
    # The first holder's lease is gone: it can no longer finish or fail the event.
    later = clock.now + timedelta(seconds=61)
    assert not await repository.mark_processed(
        "evt_held", owner="request-1", now=later, outcome=Outcome.APPLIED
    )
    assert not await repository.mark_failed(
        "evt_held", owner="request-1", now=later, error="x", retry_at=later
    )
    assert await repository.mark_processed(
        "evt_held", owner="sweep-1", now=later, outcome=Outcome.APPLIED
    )


async def test_concurrent_sweeps_never_process_an_event_twice(database: Database) -> None:
    clock = Clock()
    events = [stripe_event("payment_intent.succeeded", payment_intent()) for _ in range(30)]
    failing = RecordingSync(failures=len(events))
    storing = service_for(database, failing, clock)
    for event in events:
        assert await receive(storing, event) == "queued"
    clock.advance(5)

    # Four replicas, each its own client and service, sweeping the same inbox at once.
    sync = RecordingSync(delay_seconds=0.01)
    clients = [AsyncMongoClient[dict[str, Any]](MONGODB_URL, tz_aware=True) for _ in range(4)]
    try:
        sweeps = [
            InboxSweep(lambda db=client[database.name]: service_for(db, sync, clock), 1)
            for client in clients
        ]
        attempted = await asyncio.gather(*(sweep.sweep_once() for sweep in sweeps))
    finally:
        for client in clients:
            await client.close()

    assert sum(attempted) == len(events)
    assert sync.max_overlap == 1
    assert sync.applied == {event["data"]["object"]["id"]: 1 for event in events}
    assert await database[INBOX].count_documents({"state": "processed"}) == len(events)


async def test_the_sweep_reports_the_backlog(database: Database) -> None:
    clock = Clock()
    service = service_for(database, RecordingSync(failures=3), clock)
    for _ in range(3):
        await receive(service, stripe_event("payment_intent.succeeded", payment_intent()))
    await InboxSweep(lambda: service, 1).sweep_once()
    assert REGISTRY.get_sample_value("erp_webhook_inbox_backlog") == 3


async def test_the_background_task_keeps_sweeping_and_stops_cleanly(database: Database) -> None:
    clock = Clock()
    sync = RecordingSync(failures=1)
    service = service_for(database, sync, clock)
    event = stripe_event("payment_intent.succeeded", payment_intent())
    assert await receive(service, event) == "queued"
    clock.advance(5)
    sweep = InboxSweep(lambda: service, interval_seconds=0.05)
    sweep.start()
    try:
        for _ in range(100):
            if sync.applied:
                break
            await asyncio.sleep(0.02)
    finally:
        await sweep.stop()
    assert sync.applied == {event["data"]["object"]["id"]: 1}
