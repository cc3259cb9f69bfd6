"""GET config's memory layer: one refresh for many concurrent misses, a TTL, and the last
answer kept while Stripe fails. Stripe and Redis are stubbed at their gateway boundary."""

import asyncio
import json
from typing import Any, cast

import pytest

from app.infra.cache import Cache
from app.infra.stripe_errors import StripeServerError
from app.infra.stripe_gateway import StripeGateway
from app.stripe_config.service import StripeConfigService
from tests.support import make_settings


class NoCache:
    """Redis down: every read a miss, every write lost."""

    async def get_json(self, key: str) -> Any | None:
        return None

    async def set_json(self, key: str, value: Any, ttl_seconds: int) -> bool:
        return False


class CountingStripe:
    def __init__(self) -> None:
        self.calls = 0
        self.failing = False

    async def retrieve_account(self) -> dict[str, Any]:
        self.calls += 1
        await asyncio.sleep(0.01)
        if self.failing:
            raise StripeServerError()
        return {"country": "US", "default_currency": "usd", "business_profile": {"name": "ERP"}}


class Clock:
    now = 0.0

    def __call__(self) -> float:
        return self.now


def service(stripe: CountingStripe, clock: Clock) -> StripeConfigService:
    return StripeConfigService(
        make_settings(),
        cast(Cache, NoCache()),
        cast(StripeGateway, stripe),
        memory_ttl_seconds=10,
        clock=clock,
    )


async def test_concurrent_misses_make_one_call_and_agree() -> None:
    stripe, clock = CountingStripe(), Clock()
    config = service(stripe, clock)

    answers = await asyncio.gather(*(config.get_json() for _ in range(50)))

    assert stripe.calls == 1
    assert len(set(answers)) == 1
    assert json.loads(answers[0])["account"]["display_name"] == "ERP"


async def test_memory_answer_expires_after_its_ttl() -> None:
    stripe, clock = CountingStripe(), Clock()
    config = service(stripe, clock)
    await config.get_json()
    clock.now = 9.9
    await config.get_json()
    assert stripe.calls == 1

    clock.now = 10.1
    await config.get_json()
    assert stripe.calls == 2


async def test_last_answer_is_served_while_stripe_fails_and_none_before() -> None:
    stripe, clock = CountingStripe(), Clock()
    config = service(stripe, clock)
    stripe.failing = True
    with pytest.raises(StripeServerError):
        await config.get_json()

    stripe.failing = False
    first = await config.get_json()
    stripe.failing = True
    clock.now = 60
    assert await config.get_json() == first
    assert await config.get_json() == first  # within the retry pause: no new call
    assert stripe.calls == 3
