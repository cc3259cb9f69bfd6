"""A refund as answered at the API edge (major and minor units), alone or within its payment."""

from datetime import datetime
from typing import Self

from pydantic import BaseModel, Field

from app.core.money import AmountOut, from_minor
from app.refund_records.models import Refund, RefundFailure, RefundReason, RefundStatus


class RefundRead(BaseModel):
    id: str = Field(examples=["ref_5b0f6c1e2d3a4b5c6d7e8f9a0b1c2d3e"])
    payment_id: str
    order_id: str
    amount: AmountOut
    amount_minor: int
    currency: str
    status: RefundStatus
    reason: str | None = Field(description="Free text as the requester wrote it")
    reason_code: RefundReason = Field(description="What the reports count the refund under")
    notes: str | None = Field(description="Only with `refunds:read`; null otherwise")
    stripe_refund_id: str | None
    requested_by: str = Field(description="Who asked: a user, a service, or `stripe-dashboard`")
    failure: RefundFailure | None
    created_at: datetime
    updated_at: datetime

    @classmethod
    def from_refund(cls, refund: Refund) -> Self:
        return cls(
            id=refund.id,
            payment_id=refund.payment_id,
            order_id=refund.order_id,
            amount=from_minor(refund.amount_minor, refund.currency),
            amount_minor=refund.amount_minor,
            currency=refund.currency,
            status=refund.status,
            reason=refund.reason,
            reason_code=refund.reason_code,
            notes=refund.notes,
            stripe_refund_id=refund.stripe_refund_id,
            requested_by=refund.requested_by,
            failure=refund.failure,
            created_at=refund.created_at,
            updated_at=refund.updated_at,
        )
