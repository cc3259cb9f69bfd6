"""The gateway's side of Stripe failures, with the SDK stubbed at its boundary."""

from collections.abc import Awaitable, Callable
from types import SimpleNamespace
from typing import Any

import pytest
import stripe

from app.core.metrics import STRIPE_CALL_SECONDS
from app.infra.stripe_errors import (
    StripeAuthenticationFailed,
    StripeCardDeclined,
    StripeFailure,
    StripeIdempotencyConflict,
    StripeNotConfigured,
    StripeRateLimited,
    StripeRejected,
    StripeServerError,
    StripeUnreachable,
)
from app.infra.stripe_gateway import StripeGateway


class FakeIntents:
    """Answers `create_async` with the next of `outcomes` (an exception is raised)."""

    def __init__(self, outcomes: list[Any]) -> None:
        self.outcomes = outcomes
        self.calls: list[tuple[dict[str, Any], dict[str, Any]]] = []

    async def create_async(self, params: dict[str, Any], options: dict[str, Any]) -> Any:
        self.calls.append((params, options))
        outcome = self.outcomes.pop(0)
        if isinstance(outcome, Exception):
            raise outcome
        return outcome


async def no_wait(seconds: float) -> None:
    return None


def gateway_with(
    intents: FakeIntents, wait: Callable[[float], Awaitable[None]] = no_wait
) -> StripeGateway:
    gateway = StripeGateway("sk_test_unit", "http://127.0.0.1:9", wait=wait)
    gateway._client = SimpleNamespace(v1=SimpleNamespace(payment_intents=intents))  # type: ignore[assignment]
    return gateway


def card_error() -> stripe.CardError:
    body = {
        "error": {
            "type": "card_error",
            "code": "card_declined",
            "decline_code": "insufficient_funds",
            "message": "Your card has insufficient funds.",
            "payment_intent": {"id": "pi_1", "status": "requires_payment_method"},
        }
    }
    return stripe.CardError(
        "Your card has insufficient funds.", None, "card_declined", json_body=body, http_status=402
    )


@pytest.mark.parametrize(
    ("error", "ours", "status", "unknown"),
    [
        (stripe.APIConnectionError("cut"), StripeUnreachable, 503, True),
        (stripe.APIError("boom", http_status=500), StripeServerError, 502, True),
        (stripe.IdempotencyError("in use", http_status=409), StripeIdempotencyConflict, 502, True),
        (
            stripe.AuthenticationError("bad key", http_status=401),
            StripeAuthenticationFailed,
            502,
            False,
        ),
        (
            stripe.InvalidRequestError(
                "No such intent", "intent", "resource_missing", http_status=404
            ),
            StripeRejected,
            502,
            False,
        ),
    ],
)
async def test_sdk_errors_become_ours(
    error: stripe.StripeError, ours: type[StripeFailure], status: int, unknown: bool
) -> None:
    gateway = gateway_with(FakeIntents([error]))

    with pytest.raises(ours) as raised:
        await gateway.create_payment_intent({"amount": 100}, idempotency_key="pay_1")

    assert raised.value.status_code == status
    assert raised.value.outcome_unknown is unknown
    assert raised.value.operation == "payment_intents.create"


async def test_a_card_error_is_data_not_a_server_error() -> None:
    gateway = gateway_with(FakeIntents([card_error()]))

    with pytest.raises(StripeCardDeclined) as raised:
        await gateway.create_payment_intent({"amount": 100}, idempotency_key="pay_1")

    assert (raised.value.stripe_code, raised.value.decline_code) == (
        "card_declined",
        "insufficient_funds",
    )
    assert raised.value.payment_intent == {"id": "pi_1", "status": "requires_payment_method"}


async def test_rate_limits_are_retried_with_the_same_key_after_retry_after() -> None:
    waits: list[float] = []

    async def record_wait(seconds: float) -> None:
        waits.append(seconds)

    limited = stripe.RateLimitError("slow down", http_status=429, headers={"Retry-After": "7"})
    answer = stripe.StripeObject.construct_from({"id": "pi_1", "object": "payment_intent"}, "k")
    intents = FakeIntents([limited, limited, answer])

    result = await gateway_with(intents, record_wait).create_payment_intent(
        {"amount": 1}, idempotency_key="k1"
    )

    assert result == {"id": "pi_1", "object": "payment_intent"}
    assert waits == [2.0, 2.0]  # Stripe's 7 s, capped
    assert [options["idempotency_key"] for _, options in intents.calls] == ["k1"] * 3


async def test_rate_limits_that_persist_are_a_503_with_retry_after() -> None:
    limited: Callable[[], stripe.RateLimitError] = lambda: stripe.RateLimitError(  # noqa: E731
        "slow down", http_status=429, headers={"Retry-After": "3"}
    )

    with pytest.raises(StripeRateLimited) as raised:
        await gateway_with(FakeIntents([limited() for _ in range(3)])).create_payment_intent(
            {"amount": 1}, idempotency_key="k1"
        )

    assert (raised.value.status_code, raised.value.headers) == (503, {"Retry-After": "3"})


async def test_every_call_is_timed_by_operation() -> None:
    def observed() -> float:
        for metric in STRIPE_CALL_SECONDS.collect():
            for sample in metric.samples:
                if sample.name.endswith("_count") and sample.labels == {
                    "operation": "payment_intents.create"
                }:
                    return sample.value
        return 0.0

    before = observed()
    with pytest.raises(StripeUnreachable):
        await gateway_with(FakeIntents([stripe.APIConnectionError("x")])).create_payment_intent(
            {}, idempotency_key="k"
        )
    assert observed() == before + 1


async def test_without_a_secret_key_calls_are_503() -> None:
    gateway = StripeGateway(None)

    with pytest.raises(StripeNotConfigured) as raised:
        await gateway.retrieve_account()

    assert raised.value.status_code == 503
    assert not gateway.configured
    await gateway.close()
