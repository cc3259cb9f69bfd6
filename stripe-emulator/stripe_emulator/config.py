"""Start-up settings of one emulator process."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

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

    def __post_init__(self) -> None:
        if not self.secret_key.startswith("sk_test_"):
            raise ValueError("the emulator only accepts a test secret key (sk_test_...)")
        if not self.publishable_key.startswith("pk_test_"):
            raise ValueError("the emulator only accepts a test publishable key (pk_test_...)")
