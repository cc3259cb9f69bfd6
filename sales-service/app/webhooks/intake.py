"""Receiving Stripe events: verify the signature on the raw body, store the event in the inbox
(with the events of concurrent requests, see `inbox_writer.py`), answer. Processing comes after
the answer, on this process's workers (`workers.py`).

Once an event is stored, Stripe is told it arrived (200): the inbox holds it, and this process's
workers or, failing them, the sweep apply it, so asking Stripe to resend would add nothing. Only
when the event could not be stored does Stripe get a 503, so that it retries the delivery.

A queued event is stored held by this process for `queue_hold` (its lease), so no sweep takes it
while it waits in the queue; if the process dies, the hold runs out and the sweep takes it. When
the queue is full, the event is stored unheld: due at once, for the next sweep.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import partial

from pydantic import ValidationError

from app.core.metrics import WEBHOOK_EVENTS
from app.webhooks import signature
from app.webhooks.errors import InvalidEvent, InvalidSignature, WebhooksNotConfigured
from app.webhooks.inbox_writer import InboxWriter
from app.webhooks.repository import WebhookInboxRepository
from app.webhooks.schemas import ReceiptStatus, StripeEvent, WebhookReceipt
from app.webhooks.service import (
    InboxPolicy,
    inbox_document,
    new_lease_token,
    store_event,
    utc_now,
)
from app.webhooks.workers import EventQueue, QueuedEvent


@dataclass(frozen=True)
class SigningPolicy:
    secrets: Sequence[str]
    tolerance_seconds: int = 300


class WebhookIntake:
    def __init__(
        self,
        inbox: WebhookInboxRepository,
        writer: InboxWriter,
        queue: EventQueue,
        signing: SigningPolicy,
        policy: InboxPolicy,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        self._insert = partial(writer.insert, inbox)
        self._queue = queue
        self._signing = signing
        self._policy = policy
        self._clock = clock

    async def receive(self, payload: bytes, signature_header: str | None) -> WebhookReceipt:
        event = self._authenticate(payload, signature_header)
        slot = self._queue.reserve(event.object_id or event.id)
        if slot is None:
            return await self._store_for_sweep(event, payload)
        now = self._clock()
        owner = new_lease_token()
        document = inbox_document(
            event, payload, now, owner=owner, lease_until=now + self._policy.queue_hold, attempts=0
        )
        try:
            stored = await store_event(self._insert, event, document)
        except BaseException:  # a cancelled request too: the room must not leak
            self._queue.release(slot)
            raise
        if not stored:
            self._queue.release(slot)
            return _receipt(event, ReceiptStatus.DUPLICATE)
        self._queue.submit(slot, QueuedEvent(document, owner))
        return _receipt(event, ReceiptStatus.QUEUED)

    async def _store_for_sweep(self, event: StripeEvent, payload: bytes) -> WebhookReceipt:
        """The queue is full: the event is stored due at once, for the next sweep; the answer
        does not wait for room."""
        now = self._clock()
        document = inbox_document(event, payload, now, owner=None, lease_until=now, attempts=0)
        if not await store_event(self._insert, event, document):
            return _receipt(event, ReceiptStatus.DUPLICATE)
        WEBHOOK_EVENTS.labels(event.type, "queue_full").inc()
        return _receipt(event, ReceiptStatus.QUEUED)

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


def _receipt(event: StripeEvent, status: ReceiptStatus) -> WebhookReceipt:
    return WebhookReceipt(event_id=event.id, type=event.type, status=status)


def _describe(exc: ValidationError) -> str:
    problems = []
    for error in exc.errors()[:3]:
        where = ".".join(str(part) for part in error["loc"]) or "body"
        problems.append(f"{where}: {error['msg']}")
    return "; ".join(problems)
