"""Which event types move which records: each handled type goes to the payments or refunds sync.

The sync methods are idempotent and only move records forward, so an event applied twice, or
late, or out of order changes nothing it should not. They fetch the object an event names from
Stripe and apply that (I6). They answer None for objects that are not ours, raise
`ObjectRejected` for ones that claim to be ours but do not match (nothing moves), and raise on
storage errors (the event then stays in the inbox for the sweep).
"""

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from app.audit.schemas import STRIPE_ACTOR, Actor
from app.payments.intent_checks import ObjectRejected, Reason, Rejection, check_envelope
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

    async def claimed_by(self, intent_id: str) -> SyncedRecord | None:
        """Our payment with this intent, if any."""
        ...


class StripeIdentity(Protocol):
    """Our key's mode and account: events of another are not ours."""

    @property
    def livemode(self) -> bool: ...

    async def account_id(self) -> str: ...


class RefundSync(Protocol):
    async def sync_stripe_refund(
        self, refund: StripeObject, actor: Actor
    ) -> SyncedRecord | None: ...

    async def sync_charge_refunds(self, charge: StripeObject, actor: Actor) -> None: ...


INTENT_EVENTS = frozenset(
    {
        # Handled for the intent it names, not for news: an intent whose payment cannot hold
        # it (a stray) is canceled at Stripe, and a payment still waiting for its intent's id
        # (a lost answer) takes it.
        "payment_intent.created",
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
    rejection: Rejection | None = None


Handler = Callable[[StripeObject, Actor], Awaitable[SyncedRecord | None]]


class EventProcessor:
    def __init__(
        self,
        payments: PaymentSync,
        refunds: RefundSync,
        actor: Actor = STRIPE_ACTOR,
        identity: StripeIdentity | None = None,
    ) -> None:
        self._actor = actor
        self._payments = payments
        self._refunds = refunds
        self._identity = identity
        self._handlers: dict[str, Handler] = {
            **dict.fromkeys(INTENT_EVENTS, payments.sync_intent),
            **dict.fromkeys(REFUND_EVENTS, refunds.sync_stripe_refund),
            **dict.fromkeys(DISPUTE_EVENTS, payments.sync_dispute),
        }

    async def process(
        self,
        event_type: str,
        stripe_object: StripeObject,
        *,
        livemode: bool = False,
        account: str | None = None,
    ) -> ProcessingResult:
        if event_type not in HANDLED_EVENTS:
            return ProcessingResult(Outcome.IGNORED)
        rejection = await self._check_envelope(livemode, account)
        if rejection is not None:
            return ProcessingResult(Outcome.REJECTED, rejection=rejection)
        try:
            return await self._apply(event_type, stripe_object)
        except ObjectRejected as exc:
            return ProcessingResult(Outcome.REJECTED, rejection=exc.rejection)

    async def _apply(self, event_type: str, stripe_object: StripeObject) -> ProcessingResult:
        if event_type == CHARGE_REFUNDED:
            # The charge carries no record of ours to report; the refunds it lists are synced.
            await self._refunds.sync_charge_refunds(stripe_object, self._actor)
            return ProcessingResult(Outcome.APPLIED)
        record = await self._handlers[event_type](stripe_object, self._actor)
        if record is not None:
            return ProcessingResult(Outcome.APPLIED, record)
        if event_type in REFUND_EVENTS:
            rejection = await self._unknown_refund(stripe_object)
            if rejection is not None:
                return ProcessingResult(Outcome.REJECTED, rejection=rejection)
        return ProcessingResult(Outcome.UNMATCHED)

    async def _check_envelope(self, livemode: bool, account: str | None) -> Rejection | None:
        our_livemode = self._identity.livemode if self._identity is not None else False
        our_account = None
        if account is not None and self._identity is not None:
            our_account = await self._identity.account_id()
        return check_envelope(
            livemode=livemode, account=account, our_livemode=our_livemode, our_account=our_account
        )

    async def _unknown_refund(self, stripe_object: StripeObject) -> Rejection | None:
        """A refund event on a payment of ours that Stripe does not hold: a forgery or a replay
        from elsewhere, for a person to look at."""
        intent_id = stripe_object.get("payment_intent")
        if not isinstance(intent_id, str):
            return None
        payment = await self._payments.claimed_by(intent_id)
        if payment is None:
            return None
        return Rejection(
            Reason.UNKNOWN_AT_STRIPE,
            "Stripe holds no such refund of this payment",
            payment.id,
            payment.order_id,
        )
