"""Our own exception types for what went wrong talking to Stripe (no SDK types leak past here).

Each says whether the outcome of the call is unknown: a connection failure or a 5xx may have
happened after Stripe acted, so the record it concerns stays as it is until Stripe tells us
(a webhook) or the caller retries with the same idempotency key. A refusal (4xx, 429) is certain:
nothing happened at Stripe.
"""

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any, Self

from pydantic import BaseModel

from app.core.errors import AppError, ServiceUnavailable


class StripeFailure(AppError):
    """Base of every Stripe call failure; `outcome_unknown` as in the module docstring."""

    status_code = 502
    code = "stripe_error"
    message = "Stripe could not complete the request; try again in a minute."
    outcome_unknown = False

    def __init__(self, message: str | None = None, *, operation: str = "") -> None:
        super().__init__(message)
        self.operation = operation


class StripeNotConfigured(ServiceUnavailable, StripeFailure):
    code = "stripe_not_configured"
    message = "Card payments are not configured on this service (no Stripe secret key)."


class StripeUnreachable(ServiceUnavailable, StripeFailure):
    code = "stripe_unavailable"
    message = (
        "Stripe could not be reached, even after retrying. Nothing is charged or refunded "
        "twice: send the same request again (with the same Idempotency-Key) in a minute."
    )
    outcome_unknown = True


class StripeServerError(StripeFailure):
    code = "stripe_error"
    message = (
        "Stripe answered with a server error, even after retrying. Nothing is charged or "
        "refunded twice: send the same request again (with the same Idempotency-Key) shortly."
    )
    outcome_unknown = True


class StripeIdempotencyConflict(StripeFailure):
    """Stripe holds this idempotency key for other parameters, or is still running a request
    with it: what happened under the key is not known from this answer."""

    code = "stripe_idempotency_conflict"
    message = (
        "Stripe is still working on an earlier request like this one, or saw it with other "
        "details. Nothing more was done: try again in a minute; if it persists, report it."
    )
    outcome_unknown = True


class StripeRateLimited(ServiceUnavailable, StripeFailure):
    code = "stripe_rate_limited"
    message = "Stripe is limiting our request rate; nothing was done. Try again in a few seconds."

    def __init__(self, retry_after_seconds: int, *, operation: str = "") -> None:
        super().__init__(operation=operation)
        self.headers = {"Retry-After": str(retry_after_seconds)}


class StripeAuthenticationFailed(StripeFailure):
    code = "stripe_auth_failed"
    message = (
        "Stripe refused this service's API key; an administrator must check STRIPE_SECRET_KEY."
    )


class StripeRejected(StripeFailure):
    """Stripe refused the request as invalid (400/404/409): certain that nothing happened."""

    code = "stripe_rejected"

    def __init__(
        self,
        stripe_message: str,
        *,
        stripe_code: str | None,
        param: str | None,
        http_status: int | None,
        operation: str = "",
    ) -> None:
        super().__init__(f"Stripe refused the request: {stripe_message}", operation=operation)
        self.stripe_message = stripe_message
        self.stripe_code = stripe_code
        self.param = param
        self.http_status = http_status

    @property
    def resource_missing(self) -> bool:
        return self.stripe_code == "resource_missing"


class StripeCardDeclined(StripeFailure):
    """A card error: not a server failure, the caller turns it into data (a failed attempt)."""

    code = "card_declined"
    status_code = 402

    def __init__(
        self,
        stripe_message: str,
        *,
        stripe_code: str | None,
        decline_code: str | None,
        payment_intent: Mapping[str, Any] | None,
        operation: str = "",
    ) -> None:
        super().__init__(stripe_message, operation=operation)
        self.stripe_code = stripe_code
        self.decline_code = decline_code
        self.payment_intent = payment_intent


class StripeProblem(BaseModel):
    """The last Stripe call about this record that failed, so staff can see what happened."""

    operation: str
    code: str
    message: str
    at: datetime

    @classmethod
    def of(cls, failure: StripeFailure) -> Self:
        return cls(
            operation=failure.operation,
            code=failure.code,
            message=failure.message,
            at=datetime.now(UTC),
        )
