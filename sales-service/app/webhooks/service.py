"""Receiving Stripe events: verify, store in the inbox, process, mark processed.

Once an event is stored, Stripe is told it arrived (2xx) even if processing it failed: the inbox
holds it and the sweep retries it, so asking Stripe to resend would add nothing. Only when the
event could not be stored does Stripe get a 503, so that it retries the delivery.
"""

import asyncio
import logging
import os
import socket
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from pydantic import ValidationError
from pymongo.errors import PyMongoError

from app.attention.service import AttentionService, RejectedEvent
from app.audit.schemas import STRIPE_ACTOR
from app.audit.service import AuditLog
from app.core.metrics import EVENTS_REJECTED, WEBHOOK_EVENTS
from app.payments.models import Payment
from app.webhooks import signature
from app.webhooks.errors import (
    EventNotStored,
    InvalidEvent,
    InvalidSignature,
    WebhooksNotConfigured,
)
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


@dataclass(frozen=True)
class SigningPolicy:
    secrets: Sequence[str]
    tolerance_seconds: int = 300


class WebhookService:
    def __init__(
        self,
        inbox: WebhookInboxRepository,
        processor: EventProcessor,
        audit: AuditLog,
        signing: SigningPolicy,
        policy: InboxPolicy,
        clock: Callable[[], datetime] = utc_now,
        attention: AttentionService | None = None,
    ) -> None:
        self._attention = attention
        self._inbox = inbox
        self._processor = processor
        self._audit = audit
        self._signing = signing
        self._policy = policy
        self._clock = clock

    async def receive(self, payload: bytes, signature_header: str | None) -> WebhookReceipt:
        return await self.ingest(self._authenticate(payload, signature_header), payload)

    async def ingest(self, event: StripeEvent, payload: bytes) -> WebhookReceipt:
        """Stores an event (from a webhook, or listed by the events sync) and processes it."""
        now = self._clock()
        owner = new_lease_token()
        document = _inbox_document(event, payload, now, owner, now + self._policy.lease)
        try:
            stored = await self._inbox.insert(document)
        except PyMongoError as exc:
            WEBHOOK_EVENTS.labels(event.type, "store_failed").inc()
            logger.error(
                "webhook event not stored", extra={"event_id": event.id, "error": repr(exc)}
            )
            raise EventNotStored() from exc
        if not stored:
            WEBHOOK_EVENTS.labels(event.type, "duplicate").inc()
            return WebhookReceipt(
                event_id=event.id, type=event.type, status=ReceiptStatus.DUPLICATE
            )
        outcome = await self._process(InboxEntry.from_document(document), owner)
        if outcome is None:
            return WebhookReceipt(event_id=event.id, type=event.type, status=ReceiptStatus.QUEUED)
        return WebhookReceipt(
            event_id=event.id, type=event.type, status=ReceiptStatus.PROCESSED, outcome=outcome
        )

    async def process_next_due(self) -> bool:
        """Claims one due event and processes it; False when none is waiting."""
        now = self._clock()
        owner = new_lease_token()
        document = await self._inbox.claim_due(
            now=now, owner=owner, lease_until=now + self._policy.lease
        )
        if document is None:
            return False
        await self._process(InboxEntry.from_document(document), owner)
        return True

    async def pending_count(self) -> int:
        return await self._inbox.count_pending()

    async def known(self, event_ids: Sequence[str]) -> set[str]:
        """Which of these events the inbox already holds."""
        return await self._inbox.known_ids(event_ids)

    def _authenticate(self, payload: bytes, signature_header: str | None) -> StripeEvent:
        if not self._signing.secrets:
            raise WebhooksNotConfigured()
        try:
            signature.verify(
                payload,
                signature_header,
                self._signing.secrets,
                tolerance_seconds=self._signing.tolerance_seconds,
                now=self._clock().timestamp(),
            )
        except signature.SignatureError as exc:
            WEBHOOK_EVENTS.labels("unverified", "rejected").inc()
            raise InvalidSignature(exc) from None
        try:
            return StripeEvent.model_validate_json(payload)
        except ValidationError as exc:
            WEBHOOK_EVENTS.labels("unverified", "rejected").inc()
            raise InvalidEvent(_describe(exc)) from None

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


def _inbox_document(
    event: StripeEvent, payload: bytes, now: datetime, owner: str, lease_until: datetime
) -> dict[str, Any]:
    """A new pending event, leased to the request that stored it so no sweep takes it meanwhile."""
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
        "attempts": 1,  # this delivery's own attempt, under the lease it holds
        "last_error": None,
        "next_attempt_at": now,
        "lease_owner": owner,
        "lease_until": lease_until,
    }


def _describe_failure(exc: Exception, timeout_seconds: float) -> str:
    if isinstance(exc, TimeoutError):
        return f"TimeoutError: processing took longer than {timeout_seconds:g} s"
    return f"{type(exc).__name__}: {exc}"[:MAX_ERROR_LENGTH]


def _describe(exc: ValidationError) -> str:
    problems = []
    for error in exc.errors()[:3]:
        where = ".".join(str(part) for part in error["loc"]) or "body"
        problems.append(f"{where}: {error['msg']}")
    return "; ".join(problems)
