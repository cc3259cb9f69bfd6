"""Stripe's public configuration: settings plus the account, answered from memory.

Two layers in front of Stripe: the encoded answer in this process's memory for a few seconds
(nothing per request but a clock read), then the account in Redis for minutes (shared by every
worker and replica, so a fleet asks Stripe once per TTL). Concurrent misses wait for one refresh.
When the refresh fails (Stripe down, Redis down and Stripe down) the last answer keeps being
served; a Redis that is down only means the refresh asks Stripe. The Redis key names the API
base and key, so switching accounts never serves a stale one.
"""

import asyncio
import hashlib
import time
from collections.abc import Callable
from typing import Any

from pydantic import TypeAdapter

from app.core.settings import Settings
from app.infra.cache import Cache
from app.infra.stripe_errors import StripeFailure
from app.infra.stripe_gateway import StripeGateway
from app.stripe_config.schemas import StripeAccount, StripeConfig, StripeMode

ACCOUNT_TTL_SECONDS = 300
MEMORY_TTL_SECONDS = 10.0
# After a failed refresh, the stale answer is served this long before trying again.
RETRY_AFTER_FAILURE_SECONDS = 2.0

_CONFIG_JSON = TypeAdapter(StripeConfig)


class StripeConfigService:
    def __init__(
        self,
        settings: Settings,
        cache: Cache,
        stripe: StripeGateway,
        *,
        memory_ttl_seconds: float = MEMORY_TTL_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._settings = settings
        self._cache = cache
        self._stripe = stripe
        self._memory_ttl = memory_ttl_seconds
        self._clock = clock
        self._cache_key = _cache_key(settings)
        self._encoded: bytes | None = None
        self._fresh_until = float("-inf")
        self._refreshing = asyncio.Lock()

    async def get(self) -> StripeConfig:
        return _CONFIG_JSON.validate_json(await self.get_json())

    async def get_json(self) -> bytes:
        """The answer as JSON bytes (`None` fields left out), from memory while it is fresh."""
        if self._clock() < self._fresh_until and self._encoded is not None:
            return self._encoded
        async with self._refreshing:
            if self._clock() < self._fresh_until and self._encoded is not None:
                return self._encoded  # another request refreshed it while this one waited
            try:
                config = await self._build()
            except StripeFailure:
                if self._encoded is None:
                    raise
                self._fresh_until = self._clock() + RETRY_AFTER_FAILURE_SECONDS
                return self._encoded
            self._encoded = config.model_dump_json(exclude_none=True).encode()
            self._fresh_until = self._clock() + self._memory_ttl
            return self._encoded

    async def _build(self) -> StripeConfig:
        settings = self._settings
        mode = self.mode
        return StripeConfig(
            publishable_key=settings.stripe_publishable_key,
            currency=settings.stripe_currency.lower(),
            mode=mode,
            stripe_js_url=self._stripe_js_url() if mode == "emulator" else None,
            account=await self.account(),
        )

    def _stripe_js_url(self) -> str:
        return self._settings.stripe_js_url or f"{self._settings.stripe_api_base}/v3"

    @property
    def mode(self) -> StripeMode:
        if self._settings.stripe_api_base:
            return "emulator"
        secret = self._settings.stripe_secret_key
        if secret is not None and secret.get_secret_value().startswith("sk_live_"):
            return "live"
        return "test"

    async def account(self) -> StripeAccount:
        cached = await self._cache.get_json(self._cache_key)
        if isinstance(cached, dict):
            return StripeAccount.model_validate(cached)
        account = _account_from_stripe(await self._stripe.retrieve_account())
        await self._cache.set_json(self._cache_key, account.model_dump(), ACCOUNT_TTL_SECONDS)
        return account


def _cache_key(settings: Settings) -> str:
    secret = settings.stripe_secret_key
    identity = f"{settings.stripe_api_base or ''}|{secret.get_secret_value() if secret else ''}"
    return f"stripe:account:{hashlib.sha256(identity.encode()).hexdigest()[:16]}"


def _account_from_stripe(account: dict[str, Any]) -> StripeAccount:
    settings = account.get("settings") or {}
    dashboard = settings.get("dashboard") or {}
    profile = account.get("business_profile") or {}
    return StripeAccount(
        country=account.get("country"),
        default_currency=account.get("default_currency"),
        display_name=dashboard.get("display_name") or profile.get("name"),
    )
