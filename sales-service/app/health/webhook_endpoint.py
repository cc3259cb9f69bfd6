"""Whether Stripe will deliver our events: an enabled webhook endpoint for our URL that
subscribes to every event type we handle. Without one, only the events sync brings news."""

import time
from collections.abc import Iterable, Mapping
from typing import Any, Literal

from pydantic import BaseModel

from app.infra.stripe_errors import StripeFailure
from app.infra.stripe_gateway import StripeGateway
from app.webhooks.processor import HANDLED_EVENTS

WEBHOOK_PATH = "/api/v1/payments/stripe/webhook"
# Readiness is probed often; Stripe is asked at most this often.
CHECK_TTL_SECONDS = 60.0

EndpointState = Literal["ok", "missing", "disabled", "incomplete", "unknown"]


class EndpointCheck(BaseModel):
    status: EndpointState
    detail: str
    endpoint_id: str | None = None
    missing_events: list[str] = []


def _covers(enabled: Iterable[str], event_type: str) -> bool:
    return any(
        pattern in ("*", event_type)
        or (pattern.endswith(".*") and event_type.startswith(pattern[:-1]))
        for pattern in enabled
    )


def _missing(endpoint: Mapping[str, Any]) -> list[str]:
    enabled = endpoint.get("enabled_events") or []
    return sorted(t for t in HANDLED_EVENTS if not _covers(enabled, t))


def judge(endpoints: Iterable[Mapping[str, Any]], url: str | None) -> EndpointCheck:
    """Pure: the best endpoint for our URL (any ending in our webhook path when none is set)."""
    ours = [
        e
        for e in endpoints
        if (e.get("url") == url if url else str(e.get("url", "")).endswith(WEBHOOK_PATH))
    ]
    if not ours:
        return EndpointCheck(
            status="missing", detail=f"no webhook endpoint for {url or WEBHOOK_PATH}"
        )
    enabled = [e for e in ours if e.get("status", "enabled") == "enabled"]
    if not enabled:
        return EndpointCheck(
            status="disabled", detail="the webhook endpoint is disabled", endpoint_id=ours[0]["id"]
        )
    best = min(
        enabled,
        key=lambda e: len(
            [t for t in HANDLED_EVENTS if not _covers(e.get("enabled_events") or [], t)]
        ),
    )
    missing = sorted(t for t in HANDLED_EVENTS if not _covers(best.get("enabled_events") or [], t))
    if missing:
        return EndpointCheck(
            status="incomplete",
            detail="the webhook endpoint does not send every event we handle",
            endpoint_id=best["id"],
            missing_events=missing,
        )
    return EndpointCheck(status="ok", detail="enabled, all handled events", endpoint_id=best["id"])


class WebhookEndpointCheck:
    """Asks Stripe, remembering the answer for a minute."""

    def __init__(self, stripe: StripeGateway, url: str | None) -> None:
        self._stripe = stripe
        self._url = url
        self._last: tuple[float, EndpointCheck] | None = None

    async def check(self, *, fresh: bool = False) -> EndpointCheck:
        if (
            not fresh
            and self._last is not None
            and time.monotonic() - self._last[0] < CHECK_TTL_SECONDS
        ):
            return self._last[1]
        if not self._stripe.configured:
            result = EndpointCheck(status="unknown", detail="Stripe is not configured")
        else:
            try:
                result = judge(await self._stripe.list_webhook_endpoints(), self._url)
            except StripeFailure as exc:
                result = EndpointCheck(status="unknown", detail=f"Stripe not asked: {exc.code}")
        self._last = (time.monotonic(), result)
        return result
