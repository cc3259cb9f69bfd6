"""Orders: request and response models (major units) and the domain model (minor units)."""

from datetime import datetime
from enum import StrEnum
from typing import Annotated, Any, Self

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

from app.core.money import AmountIn, AmountOut, CurrencyCode, from_minor
from app.core.numbers import whole_number
from app.core.text import OneLine, Prose


class PaymentStatus(StrEnum):
    UNPAID = "unpaid"
    PROCESSING = "processing"
    AUTHORIZED = "authorized"
    PARTIALLY_PAID = "partially_paid"
    PAID = "paid"
    PARTIALLY_REFUNDED = "partially_refunded"
    REFUNDED = "refunded"
    DISPUTED = "disputed"


class OrderLineCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    sku: Annotated[OneLine, Field(min_length=1, max_length=64)]
    description: Annotated[OneLine, Field(min_length=1, max_length=500)]
    quantity: Annotated[int, Field(gt=0, le=1_000_000), BeforeValidator(whole_number)]
    unit_price: AmountIn


class OrderCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    customer_id: Annotated[OneLine, Field(min_length=1, max_length=64)]
    currency: CurrencyCode
    lines: Annotated[list[OrderLineCreate], Field(min_length=1, max_length=100)]
    notes: Annotated[Prose | None, Field(max_length=2000)] = None


class OrderLine(BaseModel):
    sku: str
    description: str
    quantity: int
    unit_price_minor: int
    total_minor: int


class Order(BaseModel):
    """An order as stored: every amount an integer in the currency's minor unit."""

    id: str
    number: str
    customer_id: str
    currency: str
    lines: list[OrderLine]
    notes: str | None
    total_minor: int
    amount_paid_minor: int
    amount_refunded_minor: int
    # Held on cards by manual-capture payments and not captured yet.
    amount_authorized_minor: int = 0
    payment_status: PaymentStatus
    # Per payment id, what that payment may take or has taken at Stripe (see the repository).
    commitments: dict[str, int] = Field(default_factory=dict)
    committed_minor: int = 0
    version: int
    created_by: str
    created_at: datetime
    updated_at: datetime

    @property
    def uncommitted_minor(self) -> int:
        """What no payment holds yet: the most a new payment may take."""
        return max(self.total_minor - self.committed_minor, 0)

    @property
    def outstanding_minor(self) -> int:
        """Still to be paid; refunds give money back but do not reopen the balance."""
        return max(self.total_minor - self.amount_paid_minor, 0)

    @classmethod
    def from_document(cls, document: dict[str, Any]) -> Self:
        return cls.model_validate({**document, "id": document["_id"]})


class OrderLineRead(BaseModel):
    sku: str
    description: str
    quantity: int
    unit_price: AmountOut
    unit_price_minor: int
    total: AmountOut
    total_minor: int


class OrderRead(BaseModel):
    id: str = Field(examples=["ord_3f2a9c0e6b1d4c8a9e7f5a2b1c0d9e8f"])
    number: str = Field(examples=["ORD-2026-000123"])
    customer_id: str
    currency: str = Field(examples=["usd"])
    lines: list[OrderLineRead]
    notes: str | None
    total: AmountOut
    total_minor: int
    amount_paid: AmountOut
    amount_paid_minor: int
    amount_refunded: AmountOut
    amount_refunded_minor: int
    amount_authorized: AmountOut = Field(
        description="Held on cards by manual-capture payments, not captured yet"
    )
    amount_authorized_minor: int
    outstanding: AmountOut
    outstanding_minor: int
    payment_status: PaymentStatus
    version: int
    created_by: str
    created_at: datetime
    updated_at: datetime

    @classmethod
    def from_order(cls, order: Order) -> Self:
        currency = order.currency
        lines = [
            OrderLineRead(
                sku=line.sku,
                description=line.description,
                quantity=line.quantity,
                unit_price=from_minor(line.unit_price_minor, currency),
                unit_price_minor=line.unit_price_minor,
                total=from_minor(line.total_minor, currency),
                total_minor=line.total_minor,
            )
            for line in order.lines
        ]
        return cls(
            id=order.id,
            number=order.number,
            customer_id=order.customer_id,
            currency=currency,
            lines=lines,
            notes=order.notes,
            total=from_minor(order.total_minor, currency),
            total_minor=order.total_minor,
            amount_paid=from_minor(order.amount_paid_minor, currency),
            amount_paid_minor=order.amount_paid_minor,
            amount_refunded=from_minor(order.amount_refunded_minor, currency),
            amount_refunded_minor=order.amount_refunded_minor,
            amount_authorized=from_minor(order.amount_authorized_minor, currency),
            amount_authorized_minor=order.amount_authorized_minor,
            outstanding=from_minor(order.outstanding_minor, currency),
            outstanding_minor=order.outstanding_minor,
            payment_status=order.payment_status,
            version=order.version,
            created_by=order.created_by,
            created_at=order.created_at,
            updated_at=order.updated_at,
        )


class OrderFilters(BaseModel):
    """List filters; `number_contains` is upper-case letters, digits and dashes only."""

    payment_status: PaymentStatus | None = None
    customer_id: str | None = None
    number_contains: str | None = None
