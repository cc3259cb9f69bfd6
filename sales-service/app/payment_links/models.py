"""A payment link as stored, and the one rule that says what state it is in.

The link's state is derived, never stored: from its payment (paid wins over everything, since
money taken is a fact), its revocation, and the clock. So an expiry needs no job, and a
payment completed by a late webhook makes the link paid without touching the link.
"""

import re
from datetime import datetime
from enum import StrEnum
from typing import Any, Literal, Self

from pydantic import BaseModel, Field

from app.payments.models import Payment, PaymentStatus

LINK_ID = re.compile(r"^plink_[0-9a-f]{32}$")


class LinkState(StrEnum):
    ACTIVE = "active"
    PAID = "paid"
    EXPIRED = "expired"
    REVOKED = "revoked"


# Why an active link cannot be paid now.
PayRefusal = Literal["amount_exceeds_outstanding", "order_payment_in_progress"]


class EmailStatus(StrEnum):
    """`pending` for longer than a send takes means the process died before sending."""

    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"


class PaymentLink(BaseModel):
    id: str
    token_hash: str
    order_id: str
    order_number: str
    currency: str
    amount_minor: int
    email: str | None = None
    email_status: EmailStatus | None = None
    expires_at: datetime
    # The payment the link pays with now (set before that payment exists, so a retry after a
    # crash makes the very same one), and every payment it ever made, oldest first.
    payment_id: str | None = None
    payment_ids: list[str] = Field(default_factory=list)
    revoked_at: datetime | None = None
    revoked_by: str | None = None
    version: int
    created_by: str
    created_at: datetime

    @classmethod
    def from_document(cls, document: dict[str, Any]) -> Self:
        return cls.model_validate({**document, "id": document["_id"]})

    def expired(self, now: datetime) -> bool:
        return now >= self.expires_at

    def state(self, payment: Payment | None, now: datetime) -> LinkState:
        if payment is not None and payment.status is PaymentStatus.COMPLETED:
            return LinkState.PAID
        if self.revoked_at is not None:
            return LinkState.REVOKED
        if self.expired(now):
            return LinkState.EXPIRED
        return LinkState.ACTIVE


def payment_is_over(payment: Payment) -> bool:
    """Over without money (canceled, or Stripe never made its intent): the link may make a new
    payment. A declined attempt is not over: the customer tries another card on that intent."""
    return not payment.is_open and payment.status is not PaymentStatus.COMPLETED
