"""A payment as stored: one per PaymentIntent, every amount in the currency's minor unit."""

from datetime import datetime
from enum import StrEnum
from typing import Any, Self

from pydantic import BaseModel, Field

from app.audit.schemas import Actor
from app.infra.stripe_errors import StripeProblem


class PaymentStatus(StrEnum):
    PENDING = "pending"
    REQUIRES_ACTION = "requires_action"
    PROCESSING = "processing"
    # Manual capture: the card is authorized for `amount_capturable_minor`, nothing taken yet.
    AUTHORIZED = "authorized"
    COMPLETED = "completed"
    FAILED = "failed"
    CANCELED = "canceled"


FINAL_STATUSES = frozenset({PaymentStatus.COMPLETED, PaymentStatus.CANCELED})


class CaptureMethod(StrEnum):
    AUTOMATIC = "automatic"
    MANUAL = "manual"


class Card(BaseModel):
    brand: str | None = None
    last4: str | None = None


class Failure(BaseModel):
    """Why the latest attempt failed; `decline_code` is the issuer's reason for a decline."""

    code: str
    message: str
    decline_code: str | None = None
    payment_method_id: str | None = None


class Transition(BaseModel):
    from_status: PaymentStatus | None
    to_status: PaymentStatus
    at: datetime
    actor: Actor
    reason: str | None = None


class LedgerState(StrEnum):
    """Where a refund's amount sits on its payment: reserved, refunded, or given back."""

    RESERVED = "reserved"
    REFUNDED = "refunded"
    RELEASED = "released"


class LedgerEntry(BaseModel):
    """`sent_at`: when the refund was last sent to Stripe (None for one made in Stripe).
    `final`: Stripe itself said the refund failed, was canceled or was refused, so nothing
    moves it again; a release of ours (Stripe had no such refund) is not final."""

    amount_minor: int
    state: LedgerState
    sent_at: datetime | None = None
    final: bool = False


class Dispute(BaseModel):
    id: str
    status: str
    reason: str | None = None
    amount_minor: int
    updated_at: datetime

    @property
    def open(self) -> bool:
        return self.status not in CLOSED_DISPUTE_STATUSES

    @property
    def lost(self) -> bool:
        return self.status == "lost"


CLOSED_DISPUTE_STATUSES = frozenset({"won", "lost", "warning_closed", "prevented"})


class Payment(BaseModel):
    id: str
    order_id: str
    order_number: str
    customer_id: str
    amount_minor: int
    currency: str
    description: str | None = None
    receipt_email: str | None = None
    status: PaymentStatus
    payment_intent_id: str | None = None
    client_secret: str | None = None
    card: Card | None = None
    failure: Failure | None = None
    attempt_payment_method_id: str | None = None
    failed_payment_method_ids: list[str] = Field(default_factory=list)
    amount_refunded_minor: int = 0
    refund_reserved_minor: int = 0
    refund_ledger: dict[str, LedgerEntry] = Field(default_factory=dict)
    disputes: dict[str, Dispute] = Field(default_factory=dict)
    history: list[Transition] = Field(default_factory=list)
    stripe_problem: StripeProblem | None = None
    # No money can come through this payment any more: Stripe's word (its intent was canceled
    # at Stripe, or Stripe refused to create one), or it was closed here before anything was
    # ever sent to Stripe (see `sent_to_stripe`). Until then it holds its commitment.
    intent_closed: bool = False
    # False from the insert until just before its first create is sent to Stripe, then true for
    # good. Only a payment never sent may be closed here without asking Stripe, and a closed
    # one is never sent. Documents from before the field read true: maybe sent.
    sent_to_stripe: bool = True
    # When the repair job next asks Stripe about it (unset once nothing can change).
    check_after: datetime | None = None
    capture_method: CaptureMethod = CaptureMethod.AUTOMATIC
    # While authorized: what Stripe says may still be captured, and until when.
    amount_capturable_minor: int = 0
    authorization_expires_at: datetime | None = None
    # What Stripe took, once completed (a partial capture takes less than `amount_minor`).
    amount_received_minor: int | None = None
    # A capture asked of Stripe whose answer is not in yet: the amount, so a retry (ours or the
    # caller's) sends the very same request under the same idempotency key.
    capture_requested_minor: int | None = None
    cancellation_reason: str | None = None
    version: int
    created_by: str
    created_at: datetime
    updated_at: datetime

    @property
    def lost_dispute_minor(self) -> int:
        """What lost disputes (chargebacks) took back: no longer paid, not refundable."""
        return sum(d.amount_minor for d in self.disputes.values() if d.lost)

    @property
    def captured_minor(self) -> int:
        """What Stripe took: nothing until completed, then what it received (all of
        `amount_minor` unless a manual capture took less)."""
        if self.status is not PaymentStatus.COMPLETED:
            return 0
        if self.amount_received_minor is None:
            return self.amount_minor
        return self.amount_received_minor

    @property
    def authorized_minor(self) -> int:
        """Held on the card and not captured yet."""
        return self.amount_capturable_minor if self.status is PaymentStatus.AUTHORIZED else 0

    @property
    def refundable_minor(self) -> int:
        """What a new refund may still take: captured, minus refunded, minus reserved by
        refunds, minus what lost disputes took back (a won dispute gives it back)."""
        taken = self.amount_refunded_minor + self.refund_reserved_minor + self.lost_dispute_minor
        return max(self.captured_minor - taken, 0)

    @property
    def is_open(self) -> bool:
        """Its intent may still be paid: a failed attempt may be retried with another card, but
        a payment Stripe never made an intent for is over."""
        if self.status is PaymentStatus.FAILED:
            return self.payment_intent_id is not None
        return self.status not in FINAL_STATUSES

    @classmethod
    def from_document(cls, document: dict[str, Any]) -> Self:
        return cls.model_validate({**document, "id": document["_id"]})
