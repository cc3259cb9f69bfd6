"""What the browser needs to start Stripe.js: public values only."""

from typing import Literal

from pydantic import BaseModel, Field

StripeMode = Literal["test", "live", "emulator"]


class StripeAccount(BaseModel):
    country: str | None = Field(examples=["US"])
    default_currency: str | None = Field(examples=["usd"])
    display_name: str | None = Field(examples=["ERP Payments"])


class StripeConfig(BaseModel):
    publishable_key: str | None = Field(examples=["pk_test_51Example"])
    currency: str = Field(examples=["usd"], description="The currency payments default to")
    mode: StripeMode = Field(
        description="`emulator`: the local Stripe stand-in; `test`/`live`: Stripe's own modes"
    )
    stripe_js_url: str | None = Field(
        default=None,
        description="Where to load Stripe.js from; set only in emulator mode (its stand-in)",
    )
    account: StripeAccount
