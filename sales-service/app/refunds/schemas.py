"""Refunds at the API edge: the request and the refund as answered (major and minor units)."""

from datetime import datetime
from typing import Annotated, Self

from pydantic import BaseModel, ConfigDict, Field

from app.core.money import AmountIn, AmountOut, from_minor
from app.refunds.models import Refund, RefundFailure, RefundReason, RefundStatus


class RefundCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    amount: Annotated[
        Annotated[AmountIn, Field(gt=0)] | None,
        Field(description="Defaults to everything still refundable on the payment"),
    ] = None
    reason: RefundReason
    notes: Annotated[str | None, Field(min_length=1, max_length=500)] = None


class RefundRead(BaseModel):
    id: str = Field(examples=["ref_5b0f6c1e2d3a4b5c6d7e8f9a0b1c2d3e"])
    payment_id: str
    order_id: str
    amount: AmountOut
    amount_minor: int
    currency: str
    status: RefundStatus
    reason: RefundReason
    notes: str | None
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
            notes=refund.notes,
            stripe_refund_id=refund.stripe_refund_id,
            requested_by=refund.requested_by,
            failure=refund.failure,
            created_at=refund.created_at,
            updated_at=refund.updated_at,
        )
