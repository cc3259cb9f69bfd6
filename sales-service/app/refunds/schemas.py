"""Refunds at the API edge: the request and the refund as answered (major and minor units)."""

from datetime import datetime
from typing import Annotated, Self

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator
from pydantic_core import PydanticCustomError

from app.core.money import AmountIn, AmountOut, from_minor
from app.refunds.models import Refund, RefundFailure, RefundReason, RefundStatus, reason_code_of

REASON_CODES = ", ".join(f"`{code.value}`" for code in RefundReason)


class RefundCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    amount: Annotated[
        Annotated[AmountIn, Field(gt=0)] | None,
        Field(description="Defaults to everything still refundable on the payment"),
    ] = None
    reason: Annotated[
        str | None,
        Field(
            min_length=1,
            max_length=500,
            description=(
                "Why, in the requester's words; stored, shown and sent to Stripe in the "
                "metadata. One of the codes alone counts as that code."
            ),
            examples=["Customer requested refund"],
        ),
    ] = None
    reason_code: Annotated[
        RefundReason | None,
        Field(
            validate_default=True,
            description=(
                f"One of {REASON_CODES}; mapped to Stripe's reason where one fits. Defaults "
                "to `reason` when that is a code, else `other`."
            ),
        ),
    ] = None
    notes: Annotated[str | None, Field(min_length=1, max_length=500)] = None

    @field_validator("reason_code")
    @classmethod
    def _a_reason_is_given(cls, code: RefundReason | None, info: ValidationInfo) -> RefundReason:
        if code is not None:
            return code
        if "reason" not in info.data:  # `reason` itself was refused
            return RefundReason.OTHER
        reason = info.data["reason"]
        if reason is None:
            raise PydanticCustomError("missing", "Give a reason, a reason_code or both.")
        return reason_code_of(reason)

    @property
    def code(self) -> RefundReason:
        """The structured reason, resolved by the validator."""
        assert self.reason_code is not None  # noqa: S101 - resolved by _a_reason_is_given
        return self.reason_code


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
