"""Processing stored Stripe events: apply, record, mark processed (or failed, for a retry).

An event reaches processing three ways: queued by the process whose webhook stored it (after the
answer, see `intake.py` and `workers.py`), claimed by the sweep (a failed, overflowed or orphaned
event), or stored and processed at once by the events sync (`ingest`). Whoever processes it holds
its lease, and only the holder can mark it processed or failed.
"""

import asyncio
import logging
import os
import socket
import uuid
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from pymongo.errors import PyMongoError

from app.attention.service import AttentionService, RejectedEvent
from app.audit.schemas import STRIPE_ACTOR
from app.audit.service import AuditLog
from app.core.metrics import EVENTS_REJECTED, WEBHOOK_EVENTS
from app.payments.models import Payment
from app.webhooks.errors import EventNotStored
from app.webhooks.processor import EventProcessor, ProcessingResult
from app.webhooks.repository import WebhookInboxRepository
from app.webhooks.schemas import (
    InboxEntry,
    InboxState,
    Outcome,
    ReceiptStatus,
    StripeEvent,
    WebhookReceipt,
)
from app.webhooks.workers import EventQueue, QueuedEvent

logger = logging.getLogger(__name__)
WORKER_ID = f"{socket.gethostname()}:{os.getpid()}"
MAX_ERROR_LENGTH = 500


def utc_now() -> datetime:
    """Now, to the millisecond: what MongoDB stores."""
    now = datetime.now(UTC)
    return now.replace(microsecond=now.microsecond // 1000 * 1000)


def new_lease_token() -> str:
    """Names one claim of one event, so finishing it proves the lease is still ours."""
    return f"{WORKER_ID}:{uuid.uuid4().hex}"


@dataclass(frozen=True)
class InboxPolicy:
    lease: timedelta = timedelta(seconds=60)
    # How long an event queued by the process that stored it is left to that process, before
    # the sweep may take it (that process died, or its queue is slow).
    queue_hold: timedelta = timedelta(seconds=15)
    retry_base: timedelta = timedelta(seconds=5)
    retry_max: timedelta = timedelta(minutes=15)

    def retry_delay(self, failed_attempts: int) -> timedelta:
        """5 s, 10 s, 20 s … after the 1st, 2nd, 3rd failure, capped at `retry_max`."""
        factor: int = 2 ** min(max(failed_attempts - 1, 0), 30)
        delay: timedelta = min(self.retry_base * factor, self.retry_max)
        return delay

    @property
    def processing_timeout(self) -> float:
        # Well inside the lease, so no other worker can claim an event still being processed.
        return self.lease.total_seconds() / 2


class WebhookService:
    def __init__(
        self,
        inbox: WebhookInboxRepository,
        processor: EventProcessor,
        audit: AuditLog,
        policy: InboxPolicy,
        clock: Callable[[], datetime] = utc_now,
        attention: AttentionService | None = None,
    ) -> None:
        self._attention = attention
        self._inbox = inbox
        self._processor = processor
        self._audit = audit
        self._policy = policy
        self._clock = clock

    async def ingest(self, event: StripeEvent, payload: bytes) -> WebhookReceipt:
        """Stores an event and processes it before returning (the events sync's path)."""
        now = self._clock()
        owner = new_lease_token()
        document = inbox_document(
            event, payload, now, owner=owner, lease_until=now + self._policy.lease, attempts=1
        )
        if not await store_event(self._inbox.insert, event, document):
            return WebhookReceipt(
                event_id=event.id, type=event.type, status=ReceiptStatus.DUPLICATE
            )
        outcome = await self._process(InboxEntry.from_document(document), owner)
        if outcome is None:
            return WebhookReceipt(event_id=event.id, type=event.type, status=ReceiptStatus.QUEUED)
        return WebhookReceipt(
            event_id=event.id, type=event.type, status=ReceiptStatus.PROCESSED, outcome=outcome
        )

    async def process_queued(self, queued: QueuedEvent) -> Outcome | None:
        """Processes an event this process stored and queued, if its hold is still ours; None
        when the sweep took it meanwhile, or it stays for a retry."""
        entry = InboxEntry.from_document(queued.document)
        lease_until = self._clock() + self._policy.lease
        if not await self._inbox.renew(entry.id, owner=queued.owner, lease_until=lease_until):
            return None
        started = entry.model_copy(update={"attempts": entry.attempts + 1})
        return await self._process(started, queued.owner)

    async def process_due(self, limit: int) -> int:
        """Claims and processes up to `limit` due events, the longest due first; returns how
        many it claimed (events another worker took first are skipped)."""
        claimed = 0
        for due in await self._inbox.due(now=self._clock(), limit=limit):
            now = self._clock()
            owner = new_lease_token()
            document = await self._inbox.claim(
                due["_id"], now=now, owner=owner, lease_until=now + self._policy.lease
            )
            if document is None:
                continue
            claimed += 1
            await self._process(InboxEntry.from_document(document), owner)
        return claimed

    async def hand_due(self, queue: EventQueue, limit: int) -> int:
        """Claims up to `limit` due events for this process's workers, as far as their queues
        have room, so a backlog is applied as many at a time as fresh events are (each
        object's in order); returns how many it handed over. Each is held as a queued event
        is, so if this process dies the next sweep takes it."""
        handed = 0
        for due in await self._inbox.due(now=self._clock(), limit=limit):
            slot = queue.reserve(due.get("object_id") or due["_id"])
            if slot is None:
                continue  # that worker's queue is full; the next sweep comes back for it
            now = self._clock()
            owner = new_lease_token()
            hold_until = now + self._policy.queue_hold
            document = await self._inbox.claim(
                due["_id"], now=now, owner=owner, lease_until=hold_until, count_attempt=False
            )
            if document is None:
                queue.release(slot)
                continue
            queue.submit(slot, QueuedEvent(document, owner))
            handed += 1
        return handed

    async def pending_count(self) -> int:
        return await self._inbox.count_pending()

    async def known(self, event_ids: Sequence[str]) -> set[str]:
        """Which of these events the inbox already holds."""
        return await self._inbox.known_ids(event_ids)

    async def _process(self, entry: InboxEntry, owner: str) -> Outcome | None:
        """Processes a claimed event; its outcome, or None when it stays for a retry."""
        try:
            async with asyncio.timeout(self._policy.processing_timeout):
                event = StripeEvent.model_validate_json(entry.payload)
                result = await self._processor.process(
                    entry.type, event.data.object, livemode=event.livemode, account=event.account
                )
                if result.outcome is Outcome.APPLIED:
                    await self._record_applied(entry, result)
                elif result.outcome is Outcome.REJECTED:
                    await self._record_rejected(entry, result)
            finished = await self._inbox.mark_processed(
                entry.id, owner=owner, now=self._clock(), outcome=result.outcome
            )
        except Exception as exc:  # any failure leaves the event in the inbox for the sweep
            await self._record_failure(entry, owner, exc)
            return None
        if not finished:
            logger.warning("webhook lease lost while processing", extra={"event_id": entry.id})
        WEBHOOK_EVENTS.labels(entry.type, result.outcome.value).inc()
        logger.info(
            "webhook event processed",
            extra={"event_id": entry.id, "type": entry.type, "outcome": result.outcome.value},
        )
        return result.outcome

    async def _record_applied(self, entry: InboxEntry, result: ProcessingResult) -> None:
        record = result.record
        if self._attention is not None and isinstance(record, Payment) and record.disputes:
            await self._attention.record_disputes(record)
        await self._audit.record(
            actor=STRIPE_ACTOR,
            action="webhook.applied",
            entity_type="webhook_event",
            entity_id=entry.id,
            order_id=record.order_id if record is not None else None,
            after={
                "type": entry.type,
                "object_id": entry.object_id,
                "record_id": record.id if record is not None else None,
            },
        )

    async def _record_rejected(self, entry: InboxEntry, result: ProcessingResult) -> None:
        """Nothing moved; a person is told, once per event however often it comes."""
        rejection = result.rejection
        reason = rejection.reason.value if rejection is not None else "unknown"
        message = rejection.message if rejection is not None else ""
        order_id = rejection.order_id if rejection is not None else None
        payment_id = rejection.payment_id if rejection is not None else None
        EVENTS_REJECTED.labels(entry.type, reason).inc()
        logger.warning(
            "stripe event rejected; nothing applied",
            extra={"event_id": entry.id, "type": entry.type, "reason": reason,
                   "detail": message, "payment_id": payment_id},
        )  # fmt: skip
        await self._audit.record(
            actor=STRIPE_ACTOR,
            action="event_rejected",
            entity_type="webhook_event",
            entity_id=entry.id,
            order_id=order_id,
            after={"type": entry.type, "object_id": entry.object_id, "reason": reason,
                   "detail": message, "payment_id": payment_id},
        )  # fmt: skip
        if self._attention is not None:
            await self._attention.record_rejected_event(
                RejectedEvent(
                    event_id=entry.id, event_type=entry.type, object_id=entry.object_id,
                    reason=reason, message=message, payment_id=payment_id, order_id=order_id,
                )
            )  # fmt: skip

    async def _record_failure(self, entry: InboxEntry, owner: str, exc: Exception) -> None:
        WEBHOOK_EVENTS.labels(entry.type, "failed").inc()
        now = self._clock()
        retry_at = now + self._policy.retry_delay(entry.attempts)
        error = _describe_failure(exc, self._policy.processing_timeout)
        details = {"event_id": entry.id, "type": entry.type, "attempts": entry.attempts,
                   "retry_at": retry_at.isoformat(), "error": error}  # fmt: skip
        # An outage explains itself; anything else is likely a bug, so keep its traceback.
        expected = isinstance(exc, PyMongoError | TimeoutError)
        logger.warning(
            "webhook processing failed; the sweep retries it", extra=details, exc_info=not expected
        )
        try:
            await self._inbox.mark_failed(
                entry.id, owner=owner, now=now, error=error, retry_at=retry_at
            )
        except PyMongoError as store_exc:
            # The lease then runs out on its own and the sweep picks the event up.
            logger.warning(
                "could not record the webhook failure",
                extra={"event_id": entry.id, "error": repr(store_exc)},
            )


def inbox_document(
    event: StripeEvent,
    payload: bytes,
    now: datetime,
    *,
    owner: str | None,
    lease_until: datetime,
    attempts: int,
) -> dict[str, Any]:
    """A new pending event. Held by `owner` until `lease_until` (not due before then), or, with
    no owner, due at once for the sweep. `attempts` counts processing attempts started."""
    return {
        "_id": event.id,
        "type": event.type,
        "object_id": event.object_id,
        "livemode": event.livemode,
        "created": datetime.fromtimestamp(event.created, UTC),
        # The raw text: metadata keys may hold characters MongoDB field names may not.
        "payload": payload.decode(),
        "received_at": now,
        "state": InboxState.PENDING.value,
        "outcome": None,
        "processed_at": None,
        "attempts": attempts,
        "last_error": None,
        "next_attempt_at": lease_until,
        "lease_owner": owner,
        "lease_until": lease_until,
    }


async def store_event(
    insert: Callable[[dict[str, Any]], Awaitable[bool]],
    event: StripeEvent,
    document: dict[str, Any],
) -> bool:
    """Stores a new event with `insert`; False when its id is already there. Raises
    `EventNotStored` when the inbox cannot be written: then only Stripe's retry holds it."""
    try:
        stored = await insert(document)
    except PyMongoError as exc:
        WEBHOOK_EVENTS.labels(event.type, "store_failed").inc()
        logger.error("webhook event not stored", extra={"event_id": event.id, "error": repr(exc)})
        raise EventNotStored() from exc
    if not stored:
        WEBHOOK_EVENTS.labels(event.type, "duplicate").inc()
    return stored


def _describe_failure(exc: Exception, timeout_seconds: float) -> str:
    if isinstance(exc, TimeoutError):
        return f"TimeoutError: processing took longer than {timeout_seconds:g} s"
    return f"{type(exc).__name__}: {exc}"[:MAX_ERROR_LENGTH]
