"""Payment links at the API edge: the order page's requests and answers (major and minor units).

The public answers live in `public_schemas.py`: what a customer's page may see is kept apart.
"""

from datetime import datetime
from typing import Annotated, Self

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

from app.core.money import AmountOut, PositiveAmountIn, from_minor
from app.core.numbers import whole_number
from app.payment_links.models import EmailStatus, LinkState, PaymentLink
from app.payments.models import Payment, PaymentStatus
from app.payments.schemas import EMAIL

MIN_EXPIRY_HOURS = 1
MAX_EXPIRY_HOURS = 30 * 24
DEFAULT_EXPIRY_HOURS = 7 * 24


class CreatePaymentLinkRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    amount: Annotated[
        PositiveAmountIn | None,
        Field(description="Fixed for the link's life; defaults to the order's outstanding balance"),
    ] = None
    expires_in_hours: Annotated[
        int,
        Field(ge=MIN_EXPIRY_HOURS, le=MAX_EXPIRY_HOURS, description="1 to 720"),
        BeforeValidator(whole_number),
    ] = DEFAULT_EXPIRY_HOURS
    email: Annotated[
        str | None,
        Field(max_length=254, pattern=EMAIL, description="Where to send the link (needs SMTP)"),
    ] = None


class PaymentLinkRead(BaseModel):
    id: str = Field(examples=["plink_5b1f0c2d3e4f5a6b7c8d9e0f1a2b3c4d"])
    url: str | None = Field(
        description=(
            "The address to give the customer; only in the answer that created the link (the "
            "service keeps only a hash of its token)"
        ),
        examples=["https://erp.example.com/pay/3q2-7wEXAMPLEtokenEXAMPLEtokenEXAMPLEtok"],
    )
    order_id: str
    amount: AmountOut
    amount_minor: int
    currency: str
    expires_at: datetime
    status: LinkState
    payment_id: str | None = Field(description="The link's latest payment, if it made one")
    payment_status: PaymentStatus | None
    email: str | None
    email_status: EmailStatus | None = Field(
        description="`pending` while sending; no retry later: a failed one is copied or remade"
    )
    created_by: str
    created_at: datetime
    revoked_at: datetime | None

    @classmethod
    def of(
        cls, link: PaymentLink, payment: Payment | None, now: datetime, url: str | None = None
    ) -> Self:
        return cls(
            id=link.id,
            url=url,
            order_id=link.order_id,
            amount=from_minor(link.amount_minor, link.currency),
            amount_minor=link.amount_minor,
            currency=link.currency,
            expires_at=link.expires_at,
            status=link.state(payment, now),
            payment_id=link.payment_id if payment is not None else None,
            payment_status=payment.status if payment is not None else None,
            email=link.email,
            email_status=link.email_status,
            created_by=link.created_by,
            created_at=link.created_at,
            revoked_at=link.revoked_at,
        )
