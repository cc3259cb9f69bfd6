"""Payments at the API edge: requests, and payments as answered (major and minor units).

The client secret is answered only by create-intent: it lets a browser confirm the payment.
"""

from datetime import datetime
from typing import Annotated, Self

from pydantic import BaseModel, ConfigDict, Field

from app.audit.schemas import Actor
from app.core.money import AmountOut, CurrencyCode, PositiveAmountIn, from_minor
from app.core.text import OneLine, Prose
from app.infra.stripe_errors import StripeProblem
from app.payments.models import CaptureMethod, Payment, PaymentStatus
from app.refund_records.schemas import RefundRead

Id = Annotated[OneLine, Field(min_length=1, max_length=64)]
# Printable, without spaces: what Stripe takes as a receipt address.
EMAIL = (
    r"^[^@\s\x00-\x1f\x7f-\x9f]{1,64}@[^@\s\x00-\x1f\x7f-\x9f]{1,189}"
    r"\.[^@\s\x00-\x1f\x7f-\x9f]{1,63}$"
)


class CreateIntentRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    order_id: Id
    customer_id: Annotated[
        Id | None, Field(description="If given, must be the order's customer")
    ] = None
    amount: Annotated[
        PositiveAmountIn | None,
        Field(description="Defaults to the order's outstanding balance; a deposit may be less"),
    ] = None
    currency: Annotated[
        CurrencyCode | None, Field(description="If given, must be the order's currency")
    ] = None
    description: Annotated[Prose | None, Field(min_length=1, max_length=500)] = None
    receipt_email: Annotated[str | None, Field(max_length=254, pattern=EMAIL)] = None
    capture: Annotated[
        CaptureMethod,
        Field(
            description="`manual`: authorize the card now, capture later "
            "(`POST capture/{payment_id}`) within Stripe's 7 days"
        ),
    ] = CaptureMethod.AUTOMATIC


class CaptureRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    amount: Annotated[
        PositiveAmountIn | None,
        Field(description="Defaults to everything authorized; Stripe releases the rest"),
    ] = None


class IntentCreated(BaseModel):
    payment_id: str = Field(examples=["pay_9c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f"])
    client_secret: str
    payment_intent_id: str = Field(examples=["pi_3QxYzAbCdEfGhIjK"])
    publishable_key: str | None
    amount: AmountOut
    amount_minor: int
    currency: str
    status: PaymentStatus
    capture: CaptureMethod


class ConfirmRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    payment_intent_id: Annotated[str, Field(pattern=r"^pi_[A-Za-z0-9_]{1,250}$")]
    order_id: Id


class CardRead(BaseModel):
    brand: str | None
    last4: str | None


class FailureRead(BaseModel):
    code: str
    message: str
    decline_code: str | None


class DisputeRead(BaseModel):
    id: str
    status: str
    reason: str | None
    amount: AmountOut
    amount_minor: int


class StripeProblemRead(BaseModel):
    operation: str
    code: str
    message: str
    at: datetime


class TransitionRead(BaseModel):
    from_status: PaymentStatus | None
    to_status: PaymentStatus
    at: datetime
    actor: Actor
    reason: str | None


class PaymentRead(BaseModel):
    id: str = Field(examples=["pay_9c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f"])
    order_id: str
    order_number: str
    payment_intent_id: str | None
    amount: AmountOut
    amount_minor: int
    currency: str
    status: PaymentStatus
    capture: CaptureMethod
    amount_authorized: AmountOut = Field(description="Authorized and not captured yet")
    amount_authorized_minor: int
    authorization_expires_at: datetime | None = Field(
        description="Stripe cancels an authorization not captured by then"
    )
    amount_captured: AmountOut = Field(description="What Stripe took")
    amount_captured_minor: int
    capture_pending: bool = Field(
        description="A capture was asked of Stripe and its answer is not in yet"
    )
    cancellation_reason: str | None = Field(
        description="Stripe's reason once canceled: `expired` (`automatic` on API versions "
        "before 2025-03-31) is an authorization not captured in time"
    )
    card: CardRead | None
    failure: FailureRead | None
    amount_refunded: AmountOut
    amount_refunded_minor: int
    refundable: AmountOut
    refundable_minor: int
    refunds: list[RefundRead]
    disputes: list[DisputeRead]
    stripe_error: StripeProblemRead | None = Field(
        description="The last call to Stripe about this payment that failed, if any"
    )
    created_by: str
    created_at: datetime
    updated_at: datetime

    @classmethod
    def from_payment(cls, payment: Payment, refunds: list[RefundRead]) -> Self:
        currency = payment.currency
        return cls(
            id=payment.id,
            order_id=payment.order_id,
            order_number=payment.order_number,
            payment_intent_id=payment.payment_intent_id,
            amount=from_minor(payment.amount_minor, currency),
            amount_minor=payment.amount_minor,
            currency=currency,
            status=payment.status,
            capture=payment.capture_method,
            amount_authorized=from_minor(payment.authorized_minor, currency),
            amount_authorized_minor=payment.authorized_minor,
            authorization_expires_at=(
                payment.authorization_expires_at
                if payment.status is PaymentStatus.AUTHORIZED
                else None
            ),
            amount_captured=from_minor(payment.captured_minor, currency),
            amount_captured_minor=payment.captured_minor,
            capture_pending=payment.capture_requested_minor is not None,
            cancellation_reason=payment.cancellation_reason,
            card=CardRead(**payment.card.model_dump()) if payment.card else None,
            failure=(
                FailureRead(
                    code=payment.failure.code,
                    message=payment.failure.message,
                    decline_code=payment.failure.decline_code,
                )
                if payment.failure
                else None
            ),
            amount_refunded=from_minor(payment.amount_refunded_minor, currency),
            amount_refunded_minor=payment.amount_refunded_minor,
            refundable=from_minor(payment.refundable_minor, currency),
            refundable_minor=payment.refundable_minor,
            refunds=refunds,
            disputes=[
                DisputeRead(
                    id=dispute.id,
                    status=dispute.status,
                    reason=dispute.reason,
                    amount=from_minor(dispute.amount_minor, currency),
                    amount_minor=dispute.amount_minor,
                )
                for dispute in payment.disputes.values()
            ],
            stripe_error=_problem(payment.stripe_problem),
            created_by=payment.created_by,
            created_at=payment.created_at,
            updated_at=payment.updated_at,
        )


class PaymentDetail(PaymentRead):
    history: list[TransitionRead]

    @classmethod
    def from_payment_with_history(cls, payment: Payment, refunds: list[RefundRead]) -> Self:
        read = PaymentRead.from_payment(payment, refunds)
        history = [TransitionRead(**step.model_dump()) for step in payment.history]
        return cls(**dict(read), history=history)


class PaymentFilters(BaseModel):
    order_id: str | None = None
    status: PaymentStatus | None = None
    created_from: datetime | None = None
    created_to: datetime | None = None


def _problem(problem: StripeProblem | None) -> StripeProblemRead | None:
    return StripeProblemRead(**problem.model_dump()) if problem else None
