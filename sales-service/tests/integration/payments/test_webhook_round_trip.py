"""The whole loop with real signed webhooks: an emulator of this module's own delivers its events
to the sales-service under uvicorn, and orders move without anyone calling /confirm."""

import asyncio
import threading
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from dataclasses import dataclass
from typing import Any, TypeVar

import httpx
import pytest
import uvicorn

from app.core.settings import Settings
from app.main import create_app
from tests.integration.conftest import Headers, closed_port
from tests.integration.stripe_support import (
    Emulator,
    create_intent,
    create_order,
    get_order,
    pay_as_browser,
    stripe_settings,
)

WEBHOOK_SECRET = "whsec_sales_service_round_trip"
T = TypeVar("T")


@dataclass
class Stack:
    emulator: Emulator
    client: httpx.AsyncClient


@pytest.fixture(scope="module")
def service_port() -> int:
    return closed_port()


@pytest.fixture(scope="module")
def webhook_emulator(service_port: int) -> Iterator[Emulator]:
    url = f"http://127.0.0.1:{service_port}/api/v1/payments/stripe/webhook"
    server = Emulator(webhooks=[f"{url}={WEBHOOK_SECRET}"]).start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
async def stack(
    settings_for: Callable[..., Settings], webhook_emulator: Emulator, service_port: int
) -> AsyncIterator[Stack]:
    settings = settings_for(
        stripe_webhook_secret=WEBHOOK_SECRET, **stripe_settings(webhook_emulator)
    )
    server = uvicorn.Server(
        uvicorn.Config(
            create_app(settings), host="127.0.0.1", port=service_port, log_level="warning"
        )
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started:
        assert thread.is_alive(), "the server stopped while starting"
        assert time.monotonic() < deadline, "the server did not start"
        await asyncio.sleep(0.02)
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{service_port}", timeout=30) as c:
        yield Stack(webhook_emulator, c)
    server.should_exit = True
    thread.join(timeout=15)


async def eventually(check: Callable[[], Awaitable[T]], within: float = 10.0) -> T:
    deadline = time.monotonic() + within
    while True:
        result = await check()
        if result:
            return result
        assert time.monotonic() < deadline, f"not reached within {within} s"
        await asyncio.sleep(0.05)


async def _order_when(stack: Stack, headers: Headers, order_id: str, status: str) -> dict[str, Any]:
    async def reached() -> dict[str, Any] | None:
        order = await get_order(stack.client, headers, order_id)
        return order if order["payment_status"] == status else None

    return await eventually(reached)


async def test_webhooks_alone_pay_refund_and_dispute_an_order(
    stack: Stack, as_role: Callable[..., Headers], customer_id: str
) -> None:
    sales, finance = as_role("sales"), as_role("finance")
    order = await create_order(stack.client, sales, customer_id, total="88.00")
    intent = (await create_intent(stack.client, sales, order["id"])).json()

    await pay_as_browser(stack.emulator, intent["payment_intent_id"], intent["client_secret"])
    paid = await _order_when(stack, sales, order["id"], "paid")
    assert paid["amount_paid"] == 88

    dashboard = await stack.emulator.secret_client().v1.refunds.create_async(
        {"payment_intent": intent["payment_intent_id"], "amount": 800}
    )
    refunded = await _order_when(stack, sales, order["id"], "partially_refunded")
    assert refunded["amount_refunded"] == 8
    payment = (
        await stack.client.get(
            f"/api/v1/payments/stripe/payments/{intent['payment_id']}", headers=finance
        )
    ).json()
    assert [(r["stripe_refund_id"], r["requested_by"]) for r in payment["refunds"]] == [
        (dashboard.id, "stripe-dashboard")
    ]
    assert payment["card"] == {"brand": "visa", "last4": "4242"}

    stack.emulator.control("POST", f"/charges/{dashboard.charge}/dispute", json={})
    await _order_when(stack, sales, order["id"], "disputed")


async def test_duplicated_deliveries_are_applied_once(
    stack: Stack, as_role: Callable[..., Headers], customer_id: str
) -> None:
    sales = as_role("sales")
    order = await create_order(stack.client, sales, customer_id, total="12.00")
    intent = (await create_intent(stack.client, sales, order["id"])).json()
    stack.emulator.set_faults(webhook_duplicate_rate=1.0)
    try:
        await pay_as_browser(stack.emulator, intent["payment_intent_id"], intent["client_secret"])
        await _order_when(stack, sales, order["id"], "paid")
    finally:
        stack.emulator.clear_faults()

    detail = (
        await stack.client.get(
            f"/api/v1/payments/stripe/payments/{intent['payment_id']}", headers=sales
        )
    ).json()
    assert [step["to_status"] for step in detail["history"]] == ["completed"]
    assert (await get_order(stack.client, sales, order["id"]))["amount_paid_minor"] == 1200
