"""Stripe's public configuration: settings plus the account, cached in Redis for a while.

Read-through: a Redis that is down only costs a call to Stripe per request, never the answer.
The cache key names the API base and key, so switching accounts never serves a stale one.
"""

import hashlib
from typing import Any

from app.core.settings import Settings
from app.infra.cache import Cache
from app.infra.stripe_gateway import StripeGateway
from app.stripe_config.schemas import StripeAccount, StripeConfig, StripeMode

ACCOUNT_TTL_SECONDS = 300


class StripeConfigService:
    def __init__(self, settings: Settings, cache: Cache, stripe: StripeGateway) -> None:
        self._settings = settings
        self._cache = cache
        self._stripe = stripe

    async def get(self) -> StripeConfig:
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
        key = self._cache_key()
        cached = await self._cache.get_json(key)
        if isinstance(cached, dict):
            return StripeAccount.model_validate(cached)
        account = _account_from_stripe(await self._stripe.retrieve_account())
        await self._cache.set_json(key, account.model_dump(), ACCOUNT_TTL_SECONDS)
        return account

    def _cache_key(self) -> str:
        secret = self._settings.stripe_secret_key
        identity = (
            f"{self._settings.stripe_api_base or ''}|{secret.get_secret_value() if secret else ''}"
        )
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
