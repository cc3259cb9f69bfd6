"""Start-up settings of one emulator process."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from stripe_emulator.exchange_rates import DEFAULT_EXCHANGE_RATES

# The API version the official Python SDK 16.1.0 pins (its `stripe.api_version`).
API_VERSION = "2026-10-28.endive"
# The Stripe.js release train that matches API_VERSION; @stripe/stripe-js compares it.
STRIPE_JS_RELEASE = "endive"


@dataclass(frozen=True)
class WebhookEndpointConfig:
    url: str
    secret: str


@dataclass(frozen=True)
class WebhookRetryPolicy:
    max_attempts: int = 6
    backoff_base_seconds: float = 1.0
    backoff_max_seconds: float = 60.0
    timeout_seconds: float = 10.0

    def delay_before(self, attempt: int) -> float:
        """Delay before attempt number `attempt` (2, 3, ...): exponential, capped."""
        return float(min(self.backoff_base_seconds * 2 ** (attempt - 2), self.backoff_max_seconds))


@dataclass(frozen=True)
class FeeSchedule:
    """Stripe's published standard pricing for a US account, in the settlement currency."""

    # Per successful domestic card charge: a percentage of the amount plus a fixed fee.
    card_percent: Decimal = Decimal("2.9")
    card_fixed: int = 30
    # Added for a card issued outside the account's country.
    international_card_percent: Decimal = Decimal("1.5")
    # Added when the charge's currency is not the settlement currency.
    currency_conversion_percent: Decimal = Decimal("1")
    # Withdrawn with a dispute; given back when the dispute is won.
    dispute_fee: int = 1500


PAYOUT_SCHEDULES = ("daily", "manual")


@dataclass(frozen=True)
class EmulatorConfig:
    secret_key: str
    publishable_key: str
    webhooks: tuple[WebhookEndpointConfig, ...] = ()
    account_id: str = "acct_1EmulatorAccount0"
    account_country: str = "US"
    account_display_name: str = "ERP Payments (emulated)"
    default_currency: str = "usd"
    webhook_retry: WebhookRetryPolicy = field(default_factory=WebhookRetryPolicy)
    # Delay before asynchronous refund outcomes (pending -> succeeded, succeeded -> failed).
    refund_settle_seconds: float = 1.0
    # Where the state survives restarts; None keeps it in memory only.
    state_file: Path | None = None
    # Least time between two saves of the state file (how much a SIGKILL can lose).
    state_save_seconds: float = 0.2
    # Balance and payouts: what a charge costs, how foreign currencies settle, when funds
    # become available and are paid out.
    fees: FeeSchedule = field(default_factory=FeeSchedule)
    # Settlement currency (`default_currency`) per unit of each presentment currency.
    exchange_rates: Mapping[str, Decimal] = field(
        default_factory=lambda: dict(DEFAULT_EXCHANGE_RATES)
    )
    # Days after a charge before its funds become available (`available_on`, at 00:00 UTC).
    available_days: int = 2
    # `daily`: an automatic payout of the available balance every day at 00:00 UTC;
    # `manual`: only when `POST /_emulator/payouts/run` asks.
    payout_schedule: str = "daily"
    # Days from a payout to its `arrival_date` (00:00 UTC).
    payout_arrival_days: int = 2
    # Delay before a payout made turns `paid` (or `failed`).
    payout_settle_seconds: float = 1.0
    # The account number of the bank account payouts go to: Stripe's failing test numbers
    # (`000111111116`, …) make every payout fail with their code.
    payout_bank_account: str = "000123456789"

    def __post_init__(self) -> None:
        if not self.secret_key.startswith("sk_test_"):
            raise ValueError("the emulator only accepts a test secret key (sk_test_...)")
        if not self.publishable_key.startswith("pk_test_"):
            raise ValueError("the emulator only accepts a test publishable key (pk_test_...)")
        if self.payout_schedule not in PAYOUT_SCHEDULES:
            raise ValueError(f"the payout schedule is one of {', '.join(PAYOUT_SCHEDULES)}")
        if self.available_days < 0 or self.payout_arrival_days < 0:
            raise ValueError("available_days and payout_arrival_days cannot be negative")
