"""What the needs-attention list shows: things a person must look at, one entry each."""

from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any, Self

from pydantic import BaseModel, Field

from app.core.money import AmountOut, from_minor


class AttentionKind(StrEnum):
    EVENT_REJECTED = "event_rejected"
    SUCCEEDED_AFTER_CANCEL = "succeeded_after_cancel"
    AMOUNT_CHANGED_AT_STRIPE = "amount_changed_at_stripe"
    REFUND_PENDING_AT_STRIPE = "refund_pending_at_stripe"
    DISPUTE_OPEN = "dispute_open"
    AUTHORIZATION_EXPIRING = "authorization_expiring"


class AttentionItem(BaseModel):
    id: str = Field(description="Stable id of the entry, e.g. `event:evt_…`, `payment:pay_…`")
    kind: AttentionKind
    at: datetime = Field(description="When it happened (or was last seen changing)")
    summary: str
    reason: str | None = Field(
        default=None, description="For a rejected event: why, e.g. `amount_mismatch`"
    )
    order_id: str | None = None
    payment_id: str | None = None
    refund_id: str | None = None
    dispute_id: str | None = None
    event_id: str | None = None
    event_type: str | None = None
    amount: AmountOut | None = None
    amount_minor: int | None = None
    currency: str | None = None

    @classmethod
    def with_amount(cls, amount_minor: int | None, currency: str | None, **fields: Any) -> Self:
        amount: Decimal | None = None
        if amount_minor is not None and currency is not None:
            amount = from_minor(amount_minor, currency)
        return cls(amount=amount, amount_minor=amount_minor, currency=currency, **fields)
