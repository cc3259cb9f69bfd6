"""A refund as stored, every amount in the currency's minor unit."""

from datetime import datetime
from enum import StrEnum
from typing import Any, Self

from pydantic import BaseModel, model_validator

from app.infra.stripe_errors import StripeProblem


class RefundStatus(StrEnum):
    PENDING = "pending"
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    CANCELED = "canceled"


class RefundReason(StrEnum):
    REQUESTED_BY_CUSTOMER = "requested_by_customer"
    DUPLICATE = "duplicate"
    FRAUDULENT = "fraudulent"
    ORDER_CANCELED = "order_canceled"
    PRODUCT_RETURNED = "product_returned"
    PRODUCT_UNACCEPTABLE = "product_unacceptable"
    GOODWILL = "goodwill"
    OTHER = "other"


def reason_code_of(reason: str | None) -> RefundReason:
    """A free-text reason that is one of the codes counts as that code; any other as `other`."""
    if reason is not None and reason in RefundReason.__members__.values():
        return RefundReason(reason)
    return RefundReason.OTHER


class RefundFailure(BaseModel):
    code: str
    message: str


DASHBOARD_REQUESTER = "stripe-dashboard"


class Refund(BaseModel):
    id: str
    payment_id: str
    order_id: str
    amount_minor: int
    currency: str
    status: RefundStatus
    reason: str | None = None  # free text, as the requester wrote it
    reason_code: RefundReason
    notes: str | None = None
    stripe_refund_id: str | None = None
    stripe_status: str | None = None
    requested_by: str
    failure: RefundFailure | None = None
    stripe_problem: StripeProblem | None = None
    version: int
    created_at: datetime
    updated_at: datetime

    @model_validator(mode="before")
    @classmethod
    def _code_of_older_records(cls, data: Any) -> Any:
        """Refunds stored before free-text reasons held only a code, in `reason`."""
        if isinstance(data, dict) and data.get("reason_code") is None:
            return {**data, "reason_code": reason_code_of(data.get("reason"))}
        return data

    @classmethod
    def from_document(cls, document: dict[str, Any]) -> Self:
        return cls.model_validate({**document, "id": document["_id"]})
