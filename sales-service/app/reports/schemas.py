"""Payment statistics as the dashboard reads them: counts, rates and per-currency amounts."""

import datetime as dt
from typing import Self

from pydantic import BaseModel, ConfigDict, Field

from app.core.money import AmountOut, from_minor
from app.refund_records.models import RefundReason


class Period(BaseModel):
    """UTC days, both included."""

    first_day: dt.date
    last_day: dt.date


class PaymentCounts(BaseModel):
    attempted: int = Field(description="Payments whose card was tried at least once")
    completed: int
    failed: int = Field(description="Payments whose latest attempt was declined or failed")
    success_rate: float | None = Field(
        description="completed / attempted; null when nothing was attempted", examples=[0.8333]
    )


class ThreeDSecure(BaseModel):
    required: int = Field(description="Attempted payments that asked for 3D Secure")
    rate: float | None = Field(description="required / attempted")


class CurrencyAmount(BaseModel):
    currency: str
    amount: AmountOut
    amount_minor: int
    count: int

    @classmethod
    def of(cls, currency: str, amount_minor: int, count: int) -> Self:
        return cls(
            currency=currency,
            amount=from_minor(amount_minor, currency),
            amount_minor=amount_minor,
            count=count,
        )


class RefundReasonCount(BaseModel):
    reason_code: RefundReason = Field(
        description="Free-text reasons without a code count as `other`"
    )
    count: int


class RefundFigures(BaseModel):
    count: int = Field(description="Refunds requested in the period, not counting failed ones")
    refunded_payments: int = Field(description="Completed payments with money refunded")
    refund_rate: float | None = Field(description="refunded_payments / completed payments")
    by_currency: list[CurrencyAmount]
    by_reason: list[RefundReasonCount] = Field(description="Most frequent first")


class DayVolume(BaseModel):
    date: dt.date
    currency: str
    amount: AmountOut
    amount_minor: int
    payments: int


class DeclineReason(BaseModel):
    reason: str = Field(description="The issuer's decline code, else Stripe's error code")
    count: int = Field(description="Failed attempts with this reason")


class AuthorizationFigures(BaseModel):
    """Now, whatever the period: cards authorized and not captured yet."""

    held: list[CurrencyAmount] = Field(description="Authorized, not captured, per currency")
    expiring_within_24h: int = Field(
        description="Authorizations Stripe cancels within a day unless captured"
    )


class PaymentStats(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

    first_day: dt.date = Field(alias="from")
    last_day: dt.date = Field(alias="to")
    payments: PaymentCounts
    three_d_secure: ThreeDSecure
    refunds: RefundFigures
    volume_by_day: list[DayVolume] = Field(
        description="Completed payments by the UTC day they completed, per currency"
    )
    top_decline_reasons: list[DeclineReason] = Field(description="Most frequent first, at most 10")
    authorizations: AuthorizationFigures
