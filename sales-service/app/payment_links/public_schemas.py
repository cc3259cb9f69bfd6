"""What the customer's page gets: only what it shows, and nothing that names our records."""

from datetime import datetime
from typing import Literal, Self

from pydantic import BaseModel, Field

from app.core.money import AmountOut, from_minor
from app.payment_links.checkout import LinkView
from app.payment_links.models import LinkState, PayRefusal
from app.payments.models import PaymentStatus
from app.stripe_config.schemas import StripeConfig


class PayLine(BaseModel):
    description: str
    quantity: int
    unit_price: AmountOut
    unit_price_minor: int
    total: AmountOut
    total_minor: int


class PayCard(BaseModel):
    brand: str | None
    last4: str | None


class PayLinkView(BaseModel):
    merchant_name: str | None = Field(
        description="The Stripe account's display name (or business name)", examples=["Acme"]
    )
    order_number: str = Field(examples=["ORD-2026-000123"])
    lines: list[PayLine]
    order_total: AmountOut
    order_total_minor: int
    amount: AmountOut = Field(description="What this link charges; fixed when it was made")
    amount_minor: int
    currency: str
    state: Literal["active", "paid"] = Field(
        description="Expired, revoked and unknown links are a 404, all alike"
    )
    payable: bool = Field(description="The page may start (or resume) the payment now")
    refusal: PayRefusal | None = Field(description="Why an active link cannot be paid now")
    payment_status: PaymentStatus | None = Field(description="The link's payment, if started")
    card: PayCard | None
    expires_at: datetime
    publishable_key: str | None
    stripe_js_url: str | None = Field(
        description="Where to load Stripe.js from; set only in emulator mode (its stand-in)"
    )

    @classmethod
    def of(cls, view: LinkView, config: StripeConfig) -> Self:
        link, order, payment = view.link, view.order, view.payment
        currency = order.currency
        card = payment.card if payment is not None else None
        return cls(
            merchant_name=config.account.display_name,
            order_number=order.number,
            lines=[
                PayLine(
                    description=line.description,
                    quantity=line.quantity,
                    unit_price=from_minor(line.unit_price_minor, currency),
                    unit_price_minor=line.unit_price_minor,
                    total=from_minor(line.total_minor, currency),
                    total_minor=line.total_minor,
                )
                for line in order.lines
            ],
            order_total=from_minor(order.total_minor, currency),
            order_total_minor=order.total_minor,
            amount=from_minor(link.amount_minor, currency),
            amount_minor=link.amount_minor,
            currency=currency,
            state="paid" if view.state is LinkState.PAID else "active",
            payable=view.payable,
            refusal=view.refusal,
            payment_status=payment.status if payment is not None else None,
            card=PayCard(brand=card.brand, last4=card.last4) if card is not None else None,
            expires_at=link.expires_at,
            publishable_key=config.publishable_key,
            stripe_js_url=config.stripe_js_url,
        )


class PayIntent(BaseModel):
    client_secret: str
    amount: AmountOut
    amount_minor: int
    currency: str
    payment_status: PaymentStatus
