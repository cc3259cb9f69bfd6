"""Processing after the answer: the webhook is answered once its event is stored, the process's
workers apply it, and the sweep takes whatever they cannot (a full queue, a process that died).

Real inbox (MongoDB), a test clock for holds and leases, and a stand-in payment sync at the
processing seam whose gate holds processing while the test looks.
"""

import asyncio
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from prometheus_client import REGISTRY
from pymongo import AsyncMongoClient
from pymongo.asynchronous.database import AsyncDatabase

from app.audit.repository import AuditRepository
from app.audit.service import AuditLog
from app.webhooks.inbox_writer import InboxWriter
from app.webhooks.intake import SigningPolicy, WebhookIntake
from app.webhooks.repository import INBOX, WebhookInboxRepository
from app.webhooks.schemas import ReceiptStatus
from app.webhooks.service import InboxPolicy, WebhookService
from app.webhooks.sweep import BATCH_LIMIT, InboxSweep
from app.webhooks.workers import QueuedEvent, Slot, WebhookWorkers
from tests.integration.conftest import MONGODB_URL
from tests.integration.webhooks.events import (
    CURRENT_SECRET,
    encode,
    payment_intent,
    signed_headers,
    stripe_event,
)
from tests.integration.webhooks.seams import RecordingSync

Database = AsyncDatabase[dict[str, Any]]
HOLD = timedelta(seconds=15)
POLICY = InboxPolicy(lease=timedelta(seconds=60), queue_hold=HOLD)


class Clock:
    def __init__(self) -> None:
        now = datetime.now(UTC)
        self.now = now.replace(microsecond=now.microsecond // 1000 * 1000)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


@dataclass
class LostQueue:
    """Takes events and never processes them: the process died right after answering."""

    lost: list[QueuedEvent] = field(default_factory=list)

    def reserve(self, key: str) -> Slot | None:
        return Slot(0)

    def submit(self, slot: Slot, queued: QueuedEvent) -> None:
        self.lost.append(queued)

    def release(self, slot: Slot) -> None:
        pass


class NoRoom:
    """A queue that is always full: every event is stored for the sweep."""

    def reserve(self, key: str) -> Slot | None:
        return None

    def submit(self, slot: Slot, queued: QueuedEvent) -> None:
        raise AssertionError("nothing is reserved, so nothing is submitted")

    def release(self, slot: Slot) -> None:
        raise AssertionError("nothing is reserved, so nothing is released")


@pytest.fixture
async def database() -> AsyncIterator[Database]:
    """A database of this test's own: no other app's sweep ever sees it."""
    client: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(MONGODB_URL, tz_aware=True)
    name = f"erp_sales_after_{uuid.uuid4().hex[:10]}"
    await WebhookInboxRepository.ensure_indexes(client[name])
    yield client[name]
    await client.drop_database(name)
    await client.close()


def service_for(database: Database, sync: RecordingSync, clock: Clock) -> WebhookService:
    audit = AuditLog(AuditRepository(database))
    return WebhookService(
        WebhookInboxRepository(database), sync.processor(), audit, POLICY, clock=clock
    )


def intake_for(database: Database, queue: Any, clock: Clock) -> WebhookIntake:
    signing = SigningPolicy(secrets=[CURRENT_SECRET])
    inbox = WebhookInboxRepository(database)
    return WebhookIntake(inbox, InboxWriter(), queue, signing, POLICY, clock=clock)


async def receive(intake: WebhookIntake, clock: Clock, event: dict[str, Any]) -> ReceiptStatus:
    body = encode(event)
    header = signed_headers(body, timestamp=int(clock.now.timestamp()))["Stripe-Signature"]
    return (await intake.receive(body, header)).status


def intent_event() -> dict[str, Any]:
    return stripe_event("payment_intent.succeeded", payment_intent())


def queue_full_count() -> float:
    labels = {"type": "payment_intent.succeeded", "outcome": "queue_full"}
    return REGISTRY.get_sample_value("erp_webhook_events_total", labels) or 0.0


async def stored(database: Database, event: dict[str, Any]) -> dict[str, Any]:
    entry = await database[INBOX].find_one({"_id": event["id"]})
    assert entry is not None
    return entry


async def test_the_answer_comes_before_processing(database: Database) -> None:
    clock, sync = Clock(), RecordingSync(gate=asyncio.Event())
    service = service_for(database, sync, clock)
    workers = WebhookWorkers(service.process_queued, workers=2, capacity=10)
    workers.start()
    try:
        event = intent_event()
        assert await receive(intake_for(database, workers, clock), clock, event) == "queued"
        await sync.entered.wait()  # its worker has started on it, after the answer
        entry = await stored(database, event)
        assert (entry["state"], entry["attempts"]) == ("pending", 1)
        assert sync.applied == {}

        assert sync.gate is not None
        sync.gate.set()
        await workers.drain()
    finally:
        await workers.stop()
    entry = await stored(database, event)
    assert (entry["state"], entry["outcome"], entry["attempts"]) == ("processed", "applied", 1)
    assert sync.applied == {event["data"]["object"]["id"]: 1}
    audit = await database["audit"].find({"entity_id": event["id"]}).to_list()
    assert [record["action"] for record in audit] == ["webhook.applied"]


async def test_a_full_queue_loses_nothing(database: Database) -> None:
    clock, sync = Clock(), RecordingSync(gate=asyncio.Event())
    service = service_for(database, sync, clock)
    workers = WebhookWorkers(service.process_queued, workers=1, capacity=1)
    intake = intake_for(database, workers, clock)
    workers.start()
    first, second, third = intent_event(), intent_event(), intent_event()
    overflowed = queue_full_count()
    try:
        assert await receive(intake, clock, first) == "queued"
        await sync.entered.wait()  # the worker holds the first; the queue is empty again
        assert await receive(intake, clock, second) == "queued"  # the queue's one place
        assert await receive(intake, clock, third) == "queued"  # no place: left to the sweep
        assert queue_full_count() == overflowed + 1
        left = await stored(database, third)
        assert (left["lease_owner"], left["next_attempt_at"]) == (None, clock.now)

        assert sync.gate is not None
        sync.gate.set()
        await workers.drain()
    finally:
        await workers.stop()
    assert (await stored(database, third))["state"] == "pending"
    assert await InboxSweep(lambda: service, 1).sweep_once() == 1
    for event in (first, second, third):
        entry = await stored(database, event)
        assert (entry["state"], entry["attempts"]) == ("processed", 1)
    intents = [event["data"]["object"]["id"] for event in (first, second, third)]
    assert sync.applied == dict.fromkeys(intents, 1)


async def test_a_duplicate_delivered_while_the_first_is_queued_is_processed_once(
    database: Database,
) -> None:
    clock, sync = Clock(), RecordingSync(gate=asyncio.Event())
    service = service_for(database, sync, clock)
    workers = WebhookWorkers(service.process_queued, workers=1, capacity=10)
    intake = intake_for(database, workers, clock)
    workers.start()
    blocker, event = intent_event(), intent_event()
    try:
        assert await receive(intake, clock, blocker) == "queued"
        await sync.entered.wait()  # the one worker is busy: `event` waits in its queue
        assert await receive(intake, clock, event) == "queued"
        assert workers.depth() == 1
        assert await receive(intake, clock, event) == "duplicate"
        assert workers.depth() == 1

        assert sync.gate is not None
        sync.gate.set()
        await workers.drain()
    finally:
        await workers.stop()
    entry = await stored(database, event)
    assert (entry["state"], entry["attempts"]) == ("processed", 1)
    assert sync.applied[event["data"]["object"]["id"]] == 1


async def test_a_process_that_dies_after_answering_loses_nothing(database: Database) -> None:
    """Stored and answered, then the process died with the event in its queue: once the hold
    runs out, the sweep of any process applies it."""
    clock, sync = Clock(), RecordingSync()
    service = service_for(database, sync, clock)
    queue = LostQueue()
    event = intent_event()
    assert await receive(intake_for(database, queue, clock), clock, event) == "queued"
    assert len(queue.lost) == 1
    sweep = InboxSweep(lambda: service, 1)

    clock.advance(HOLD.total_seconds() - 0.1)
    assert await sweep.sweep_once() == 0  # still held for the process that stored it
    clock.advance(0.1)
    assert await sweep.sweep_once() == 1

    entry = await stored(database, event)
    assert (entry["state"], entry["outcome"], entry["attempts"]) == ("processed", "applied", 1)
    assert sync.applied == {event["data"]["object"]["id"]: 1}


async def test_an_event_the_sweep_took_from_a_slow_queue_is_not_processed_again(
    database: Database,
) -> None:
    clock, sync = Clock(), RecordingSync()
    service = service_for(database, sync, clock)
    queue = LostQueue()
    event = intent_event()
    assert await receive(intake_for(database, queue, clock), clock, event) == "queued"
    clock.advance(HOLD.total_seconds())
    assert await InboxSweep(lambda: service, 1).sweep_once() == 1

    # The worker reaches it only now: its hold is gone, so it does nothing.
    assert await service.process_queued(queue.lost[0]) is None
    assert sync.applied == {event["data"]["object"]["id"]: 1}
    assert (await stored(database, event))["attempts"] == 1


async def test_a_worker_that_started_in_time_keeps_the_event_from_the_sweep(
    database: Database,
) -> None:
    clock, sync = Clock(), RecordingSync(gate=asyncio.Event())
    service = service_for(database, sync, clock)
    queue = LostQueue()
    event = intent_event()
    assert await receive(intake_for(database, queue, clock), clock, event) == "queued"
    processing = asyncio.create_task(service.process_queued(queue.lost[0]))
    await sync.entered.wait()  # started just before the hold ran out: the lease is renewed
    clock.advance(HOLD.total_seconds())
    try:
        assert await InboxSweep(lambda: service, 1).sweep_once() == 0
    finally:
        assert sync.gate is not None
        sync.gate.set()
        await processing
    assert sync.applied == {event["data"]["object"]["id"]: 1}
    entry = await stored(database, event)
    assert (entry["state"], entry["attempts"]) == ("processed", 1)


async def test_workers_stopping_leave_queued_events_to_the_sweep(database: Database) -> None:
    clock, sync = Clock(), RecordingSync(gate=asyncio.Event())
    service = service_for(database, sync, clock)
    workers = WebhookWorkers(
        service.process_queued, workers=1, capacity=10, stop_grace_seconds=0.05
    )
    intake = intake_for(database, workers, clock)
    workers.start()
    busy, waiting = intent_event(), intent_event()
    assert await receive(intake, clock, busy) == "queued"
    await sync.entered.wait()
    assert await receive(intake, clock, waiting) == "queued"
    await workers.stop()  # the process shuts down with one event in hand and one queued
    assert await receive(intake, clock, intent_event()) == "queued"  # stored for the sweep

    assert sync.gate is not None
    sync.gate.set()
    clock.advance(POLICY.lease.total_seconds())
    assert await InboxSweep(lambda: service, 1).sweep_once() == 3
    assert await database[INBOX].count_documents({"state": "pending"}) == 0
    assert set(sync.applied.values()) == {1}


async def test_the_sweep_hands_a_backlog_to_the_workers(database: Database) -> None:
    clock, sync = Clock(), RecordingSync()
    service = service_for(database, sync, clock)
    events = [intent_event() for _ in range(5)]
    for event in events:
        assert await receive(intake_for(database, NoRoom(), clock), clock, event) == "queued"
    # Queues of two places and no task taking from them yet: the sweep hands over two.
    workers = WebhookWorkers(service.process_queued, workers=1, capacity=2)
    sweep = InboxSweep(lambda: service, 1, workers=workers)
    assert await sweep.sweep_once() == 2
    held = await database[INBOX].find({"lease_owner": {"$ne": None}}).to_list()
    assert [(entry["attempts"], entry["lease_until"]) for entry in held] == [
        (0, clock.now + HOLD)
    ] * 2  # held for this process's queue, an attempt counted only when a worker starts

    workers.start()
    handed_later = 0
    try:
        await workers.drain()
        while taken := await sweep.sweep_once():  # as far as the queue has room each time
            handed_later += taken
            await workers.drain()
    finally:
        await workers.stop()
    assert handed_later == 3
    entries = await database[INBOX].find({}).to_list()
    assert {(entry["state"], entry["attempts"]) for entry in entries} == {("processed", 1)}
    assert sync.applied == {event["data"]["object"]["id"]: 1 for event in events}


async def test_a_sweep_hands_as_many_as_the_queues_take_not_a_fixed_batch(
    database: Database,
) -> None:
    """A backlog beyond one sweep's batch (events stored while the queues were full) drains at
    the workers' pace: a batch per interval would cap it at a few events a second."""
    clock = Clock()
    service = service_for(database, RecordingSync(), clock)
    backlog = BATCH_LIMIT + 20
    for _ in range(backlog):
        assert (
            await receive(intake_for(database, NoRoom(), clock), clock, intent_event()) == "queued"
        )
    workers = WebhookWorkers(service.process_queued, workers=2, capacity=2 * backlog)
    assert workers.room() == 2 * backlog
    assert await InboxSweep(lambda: service, 1, workers=workers).sweep_once() == backlog
    assert (workers.room(), workers.depth()) == (backlog, backlog)
