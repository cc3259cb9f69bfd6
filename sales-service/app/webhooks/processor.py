"""Which event types move which records: each handled type goes to the payments or refunds sync.

The sync methods are idempotent and only move records forward, so an event applied twice, or
late, or out of order changes nothing it should not. They answer None for objects that are not
ours, and raise on storage errors (the event then stays in the inbox for the sweep).
"""

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from app.audit.schemas import STRIPE_ACTOR, Actor
from app.webhooks.schemas import Outcome

StripeObject = Mapping[str, Any]


class SyncedRecord(Protocol):
    """What we need of the payment or refund a sync touched."""

    @property
    def id(self) -> str: ...

    @property
    def order_id(self) -> str: ...


class PaymentSync(Protocol):
    async def sync_intent(self, intent: StripeObject, actor: Actor) -> SyncedRecord | None: ...

    async def sync_dispute(self, dispute: StripeObject, actor: Actor) -> SyncedRecord | None: ...


class RefundSync(Protocol):
    async def sync_stripe_refund(
        self, refund: StripeObject, actor: Actor
    ) -> SyncedRecord | None: ...

    async def sync_charge_refunds(self, charge: StripeObject, actor: Actor) -> None: ...


INTENT_EVENTS = frozenset(
    {
        "payment_intent.succeeded",
        "payment_intent.payment_failed",
        "payment_intent.canceled",
        "payment_intent.processing",
        "payment_intent.requires_action",
        "payment_intent.amount_capturable_updated",
    }
)
REFUND_EVENTS = frozenset({"refund.created", "refund.updated", "refund.failed"})
DISPUTE_EVENTS = frozenset({"charge.dispute.created", "charge.dispute.closed"})
CHARGE_REFUNDED = "charge.refunded"
HANDLED_EVENTS = INTENT_EVENTS | REFUND_EVENTS | DISPUTE_EVENTS | {CHARGE_REFUNDED}


@dataclass(frozen=True)
class ProcessingResult:
    outcome: Outcome
    record: SyncedRecord | None = None


Handler = Callable[[StripeObject, Actor], Awaitable[SyncedRecord | None]]


class EventProcessor:
    def __init__(
        self, payments: PaymentSync, refunds: RefundSync, actor: Actor = STRIPE_ACTOR
    ) -> None:
        self._actor = actor
        self._refunds = refunds
        self._handlers: dict[str, Handler] = {
            **dict.fromkeys(INTENT_EVENTS, payments.sync_intent),
            **dict.fromkeys(REFUND_EVENTS, refunds.sync_stripe_refund),
            **dict.fromkeys(DISPUTE_EVENTS, payments.sync_dispute),
        }

    async def process(self, event_type: str, stripe_object: StripeObject) -> ProcessingResult:
        if event_type == CHARGE_REFUNDED:
            # The charge carries no record of ours to report; the refunds it lists are synced.
            await self._refunds.sync_charge_refunds(stripe_object, self._actor)
            return ProcessingResult(Outcome.APPLIED)
        handler = self._handlers.get(event_type)
        if handler is None:
            return ProcessingResult(Outcome.IGNORED)
        record = await handler(stripe_object, self._actor)
        if record is None:
            return ProcessingResult(Outcome.UNMATCHED)
        return ProcessingResult(Outcome.APPLIED, record)
