"""What each measured endpoint is sent, and the data it needs, prepared through the real API.

- `GET config`: public, served from the Redis cache after the first call.
- `POST create-intent`: a fresh order every request, so each one creates a PaymentIntent.
- `POST confirm`: paid intents confirmed again in turn (reads the intent from Stripe, applies it).
- `POST webhook`: signed `payment_intent.succeeded` events with new ids for those paid intents.
- `GET orders?payment_status=…` and `GET payments?status=…`: the first page (20, newest first)
  of a list filtered by status, with its total count.
"""

import asyncio
import json
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import jwt

from app.webhooks.signature import SIGNATURE_HEADER, sign
from bench.load import http_request
from bench.stack import JWT_SECRET, SECRET_KEY, WEBHOOK_SECRET, Stack

PAYMENTS = "/api/v1/payments/stripe"
# Automatic payment methods may redirect, so Stripe wants somewhere to come back to.
RETURN_URL = "http://127.0.0.1/bench/paid"
RequestFactory = Callable[[int], bytes]
# bench/bare_app.py serves its GET behind the service's middleware stack under this path.
STACKED_BARE_PATH = "/stacked/bare"


def sales_token() -> str:
    now = datetime.now(UTC)
    claims = {"sub": "bench-sales", "roles": ["sales"], "iat": now, "exp": now + timedelta(hours=1)}
    return jwt.encode(claims, JWT_SECRET, algorithm="HS256")


@dataclass(frozen=True)
class PaidIntent:
    order_id: str
    payment_intent_id: str
    intent: dict[str, Any]


class Preparation:
    """Creates orders and paid intents through the service and the emulator (not timed)."""

    def __init__(self, stack: Stack) -> None:
        self._stack = stack
        self._auth = {"Authorization": f"Bearer {sales_token()}"}
        self._service = httpx.AsyncClient(
            base_url=f"http://127.0.0.1:{stack.ports.sales}", timeout=60, headers=self._auth
        )
        self._stripe = httpx.AsyncClient(
            base_url=stack.emulator_url, timeout=60, auth=(SECRET_KEY, "")
        )

    @property
    def auth_header(self) -> dict[str, str]:
        return dict(self._auth)

    async def close(self) -> None:
        await self._service.aclose()
        await self._stripe.aclose()

    async def orders(self, count: int, parallel: int = 16) -> list[str]:
        created: list[str] = []
        semaphore = asyncio.Semaphore(parallel)

        async def create() -> None:
            body = {
                "customer_id": "cus_bench",
                "currency": "usd",
                "lines": [
                    {
                        "sku": "BENCH",
                        "description": "Bench item",
                        "quantity": 1,
                        "unit_price": "25.00",
                    }
                ],
            }
            async with semaphore:
                response = await self._service.post("/api/v1/orders", json=body)
            response.raise_for_status()
            created.append(response.json()["id"])

        await asyncio.gather(*(create() for _ in range(count)))
        return created

    async def create_intent(self, order_id: str) -> str:
        response = await self._service.post(
            f"{PAYMENTS}/create-intent", json={"order_id": order_id}
        )
        response.raise_for_status()
        return str(response.json()["payment_intent_id"])

    async def paid_intents(self, count: int) -> list[PaidIntent]:
        paid: list[PaidIntent] = []
        for order_id in await self.orders(count):
            intent_id = await self.create_intent(order_id)
            confirmed = await self._stripe.post(
                f"/v1/payment_intents/{intent_id}/confirm",
                data={"payment_method": "pm_card_visa", "return_url": RETURN_URL},
            )
            if confirmed.status_code != 200:
                raise SystemExit(f"bench: paying {intent_id} failed: {confirmed.text[:300]}")
            ours = await self._service.post(
                f"{PAYMENTS}/confirm", json={"payment_intent_id": intent_id, "order_id": order_id}
            )
            ours.raise_for_status()
            paid.append(PaidIntent(order_id, intent_id, confirmed.json()))
        return paid

    async def set_stripe_latency(self, milliseconds: int) -> None:
        response = await self._stripe.post("/_emulator/faults", json={"latency_ms": milliseconds})
        response.raise_for_status()


def config_requests(port: int) -> RequestFactory:
    raw = http_request("GET", f"{PAYMENTS}/config", port)
    return lambda index: raw


def create_intent_requests(port: int, auth: dict[str, str], orders: list[str]) -> RequestFactory:
    """Takes orders from the front of the list, so no order is ever used twice."""

    def build(index: int) -> bytes:
        order_id = orders.pop(0)
        return http_request("POST", f"{PAYMENTS}/create-intent", port, {"order_id": order_id}, auth)

    return build


def confirm_requests(port: int, auth: dict[str, str], paid: list[PaidIntent]) -> RequestFactory:
    bodies = [
        http_request(
            "POST",
            f"{PAYMENTS}/confirm",
            port,
            {"payment_intent_id": p.payment_intent_id, "order_id": p.order_id},
            auth,
        )
        for p in paid
    ]
    return lambda index: bodies[index % len(bodies)]


def webhook_requests(port: int, paid: list[PaidIntent]) -> RequestFactory:
    """Each request a new event id (a repeated id would only hit the duplicate path)."""

    def build(index: int) -> bytes:
        intent = paid[index % len(paid)].intent
        event = {
            "id": f"evt_bench_{uuid.uuid4().hex}",
            "object": "event",
            "api_version": "2026-10-28.endive",
            "created": int(time.time()),
            "data": {"object": intent},
            "livemode": False,
            "pending_webhooks": 1,
            "request": {"id": None, "idempotency_key": None},
            "type": "payment_intent.succeeded",
        }
        body = json.dumps(event).encode()
        headers = {SIGNATURE_HEADER: sign(body, WEBHOOK_SECRET, int(time.time()))}
        return http_request("POST", f"{PAYMENTS}/webhook", port, body, headers)

    return build


def order_list_requests(port: int, auth: dict[str, str], payment_status: str) -> RequestFactory:
    raw = http_request("GET", f"/api/v1/orders?payment_status={payment_status}", port, None, auth)
    return lambda index: raw


def payment_list_requests(port: int, auth: dict[str, str], status: str) -> RequestFactory:
    raw = http_request("GET", f"{PAYMENTS}/payments?status={status}", port, None, auth)
    return lambda index: raw


def bare_requests(port: int, path: str = "/bare") -> RequestFactory:
    raw = http_request("GET", path, port)
    return lambda index: raw


def bare_sink_requests(port: int, paid: list[PaidIntent]) -> RequestFactory:
    """The webhook's bodies and headers, sent to the bare sink: the same bytes on the wire."""
    webhooks = webhook_requests(port, paid)

    def build(index: int) -> bytes:
        return webhooks(index).replace(f"POST {PAYMENTS}/webhook ".encode(), b"POST /bare ", 1)

    return build
