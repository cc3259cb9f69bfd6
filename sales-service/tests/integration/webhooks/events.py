"""Building and delivering Stripe-shaped events the way Stripe does (signed raw JSON)."""

import json
import time
import uuid
from typing import Any

from httpx import AsyncClient, Response

from app.webhooks.signature import SIGNATURE_HEADER, sign

WEBHOOK_PATH = "/api/v1/payments/stripe/webhook"
CURRENT_SECRET = "whsec_webhook_tests_current"
PREVIOUS_SECRET = "whsec_webhook_tests_previous"


def new_event_id() -> str:
    return f"evt_test_{uuid.uuid4().hex}"


def stripe_event(event_type: str, stripe_object: dict[str, Any], **fields: Any) -> dict[str, Any]:
    return {
        "id": new_event_id(),
        "object": "event",
        "api_version": "2026-10-28.endive",
        "created": int(time.time()),
        "data": {"object": stripe_object},
        "livemode": False,
        "pending_webhooks": 1,
        "request": {"id": None, "idempotency_key": None},
        "type": event_type,
        **fields,
    }


def payment_intent(intent_id: str | None = None, **fields: Any) -> dict[str, Any]:
    return {
        "id": intent_id or f"pi_test_{uuid.uuid4().hex[:24]}",
        "object": "payment_intent",
        "amount": 1999,
        "currency": "usd",
        "status": "succeeded",
        "metadata": {},
        **fields,
    }


def refund(refund_id: str, intent_id: str, **fields: Any) -> dict[str, Any]:
    """A refund object as an event carries it (one Stripe may not hold)."""
    return {
        "id": refund_id,
        "object": "refund",
        "amount": 1000,
        "currency": "usd",
        "payment_intent": intent_id,
        "status": "succeeded",
        "metadata": {},
        **fields,
    }


def signed_headers(
    body: bytes, secret: str = CURRENT_SECRET, timestamp: int | None = None
) -> dict[str, str]:
    stamp = int(time.time()) if timestamp is None else timestamp
    return {SIGNATURE_HEADER: sign(body, secret, stamp), "Content-Type": "application/json"}


def encode(event: dict[str, Any]) -> bytes:
    return json.dumps(event, indent=2).encode()


async def deliver(
    client: AsyncClient,
    event: dict[str, Any],
    secret: str = CURRENT_SECRET,
    timestamp: int | None = None,
) -> Response:
    body = encode(event)
    return await client.post(
        WEBHOOK_PATH, content=body, headers=signed_headers(body, secret, timestamp)
    )
