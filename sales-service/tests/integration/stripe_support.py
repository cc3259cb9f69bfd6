"""A Stripe emulator of the tests' own, the browser's side of a payment, and order helpers.

Each emulator here is a separate `python -m stripe_emulator` process on a free port, so fault
knobs and resets never reach the shared one other suites use.
"""

import os
import subprocess
import sys
import time
import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
import stripe
from fastapi import FastAPI
from httpx import AsyncClient
from pymongo.asynchronous.database import AsyncDatabase

from app.core.settings import Settings
from app.main import create_app
from tests.integration.conftest import SESSION_APP, Headers, closed_port, started
from tests.integration.orders.payloads import order_payload

EMULATOR_DIR = Path(__file__).resolve().parents[3] / "stripe-emulator"
SECRET_KEY = "sk_test_sales_service_suite_secret"
PUBLISHABLE_KEY = "pk_test_sales_service_suite_publishable"
RETURN_URL = "http://127.0.0.1:18080/orders/paid"
STARTUP_SECONDS = 20.0


@dataclass
class Emulator:
    """One emulator process; `control` reaches its `/_emulator` API."""

    webhooks: list[str] = field(default_factory=list)
    port: int = field(default_factory=closed_port)
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> "Emulator":
        command = [
            sys.executable, "-m", "stripe_emulator",
            "--host", "127.0.0.1", "--port", str(self.port),
            "--secret-key", SECRET_KEY, "--publishable-key", PUBLISHABLE_KEY,
            "--refund-settle-seconds", "0.3", "--log-level", "warning",
        ]  # fmt: skip
        for webhook in self.webhooks:
            command += ["--webhook", webhook]
        env = {**os.environ, "PYTHONPATH": str(EMULATOR_DIR)}
        env.pop("STRIPE_EMULATOR_WEBHOOK_URL", None)
        self.process = subprocess.Popen(command, cwd=EMULATOR_DIR, env=env)
        deadline = time.monotonic() + STARTUP_SECONDS
        while True:
            try:
                if httpx.get(f"{self.url}/_emulator/health", timeout=1).status_code == 200:
                    return self
            except httpx.HTTPError:
                pass
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"the Stripe emulator did not start on {self.url}")
            time.sleep(0.05)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def control(self, method: str, path: str, **kwargs: Any) -> Any:
        response = httpx.request(method, f"{self.url}/_emulator{path}", timeout=10, **kwargs)
        response.raise_for_status()
        return response.json() if response.content else None

    def set_faults(self, **knobs: Any) -> None:
        self.control("POST", "/faults", json=knobs)

    def clear_faults(self) -> None:
        self.control("DELETE", "/faults")

    def complete_3ds(self, intent_id: str, outcome: str = "complete") -> Any:
        return self.control(
            "POST", f"/payment_intents/{intent_id}/three_d_secure", json={"outcome": outcome}
        )

    def secret_client(self) -> stripe.StripeClient:
        """Stripe as the Dashboard or a test sees it (the secret key)."""
        return stripe.StripeClient(
            SECRET_KEY, base_addresses={"api": self.url}, http_client=stripe.HTTPXClient()
        )

    def intents_for_payment(self, payment_id: str) -> list[dict[str, Any]]:
        response = httpx.get(
            f"{self.url}/v1/payment_intents",
            params={"limit": 100},
            auth=(SECRET_KEY, ""),
            timeout=10,
        )
        response.raise_for_status()
        return [
            intent
            for intent in response.json()["data"]
            if intent["metadata"].get("payment_id") == payment_id
        ]

    def refunds_for_intent(self, intent_id: str) -> list[dict[str, Any]]:
        response = httpx.get(
            f"{self.url}/v1/refunds",
            params={"payment_intent": intent_id, "limit": 100},
            auth=(SECRET_KEY, ""),
            timeout=10,
        )
        response.raise_for_status()
        data: list[dict[str, Any]] = response.json()["data"]
        return data


async def pay_as_browser(
    emulator: Emulator, intent_id: str, client_secret: str, card: str = "pm_card_visa"
) -> dict[str, Any]:
    """Confirms the intent as Stripe.js does (publishable key + client secret); a decline is
    an answer here, not an error, as it is for the browser."""
    async with httpx.AsyncClient(base_url=emulator.url, timeout=10) as browser:
        response = await browser.post(
            f"/v1/payment_intents/{intent_id}/confirm",
            data={
                "key": PUBLISHABLE_KEY,
                "client_secret": client_secret,
                "payment_method": card,
                "return_url": RETURN_URL,
                "use_stripe_sdk": "true",
            },
        )
    body: dict[str, Any] = response.json()
    return body


async def card_payment_method(emulator: Emulator, number: str) -> str:
    """A payment method for a raw test card number, made as Stripe.js makes it."""
    async with httpx.AsyncClient(base_url=emulator.url, timeout=10) as browser:
        response = await browser.post(
            "/v1/payment_methods",
            data={
                "key": PUBLISHABLE_KEY,
                "type": "card",
                "card[number]": number,
                "card[exp_month]": "12",
                "card[exp_year]": "2034",
                "card[cvc]": "123",
            },
        )
    response.raise_for_status()
    method_id: str = response.json()["id"]
    return method_id


async def refund(
    client: AsyncClient, headers: Headers, payment_id: str, **fields: Any
) -> httpx.Response:
    return await client.post(
        f"/api/v1/payments/stripe/refund/{payment_id}",
        json={"reason": "requested_by_customer", **fields},
        headers=headers,
    )


async def create_order(
    client: AsyncClient,
    headers: Headers,
    customer_id: str,
    total: str = "100.00",
    currency: str = "usd",
) -> dict[str, Any]:
    line = {"sku": "SKU-1", "description": "Goods", "quantity": 1, "unit_price": total}
    response = await client.post(
        "/api/v1/orders",
        json=order_payload(customer_id, currency=currency, lines=[line]),
        headers=headers,
    )
    assert response.status_code == 201, response.text
    order: dict[str, Any] = response.json()
    return order


async def create_intent(
    client: AsyncClient, headers: Headers, order_id: str, **fields: Any
) -> httpx.Response:
    return await client.post(
        "/api/v1/payments/stripe/create-intent",
        json={"order_id": order_id, **fields},
        headers=headers,
    )


async def confirm(
    client: AsyncClient, headers: Headers, intent: dict[str, Any], order_id: str
) -> httpx.Response:
    return await client.post(
        "/api/v1/payments/stripe/confirm",
        json={"payment_intent_id": intent["payment_intent_id"], "order_id": order_id},
        headers=headers,
    )


@dataclass
class PaidOrder:
    order: dict[str, Any]
    intent: dict[str, Any]
    payment: dict[str, Any]


async def paid_order(
    client: AsyncClient,
    emulator: Emulator,
    headers: Headers,
    customer_id: str,
    total: str = "100.00",
    card: str = "pm_card_visa",
) -> PaidOrder:
    """An order paid in full by card, through create-intent, the browser and confirm."""
    order = await create_order(client, headers, customer_id, total)
    intent_response = await create_intent(client, headers, order["id"])
    assert intent_response.status_code == 200, intent_response.text
    intent = intent_response.json()
    await pay_as_browser(emulator, intent["payment_intent_id"], intent["client_secret"], card)
    confirmed = await confirm(client, headers, intent, order["id"])
    assert confirmed.status_code == 200, confirmed.text
    assert confirmed.json()["status"] == "completed"
    return PaidOrder(order, intent, confirmed.json())


async def get_order(client: AsyncClient, headers: Headers, order_id: str) -> dict[str, Any]:
    response = await client.get(f"/api/v1/orders/{order_id}", headers=headers)
    assert response.status_code == 200
    order: dict[str, Any] = response.json()
    return order


def stripe_settings(emulator: Emulator) -> dict[str, Any]:
    return {
        "stripe_secret_key": SECRET_KEY,
        "stripe_publishable_key": PUBLISHABLE_KEY,
        "stripe_api_base": emulator.url,
    }


# The shared apps leave the events sync to the tests that drive it: in the background it would
# settle what a test means to leave for the job under test (the refund reconciler, say).
NO_EVENTS_SYNC: dict[str, Any] = {"events_sync_interval_seconds": 0}


# Fixtures: imported by the payments and refunds conftests.


@pytest.fixture(scope="session")
def emulator() -> Iterator[Emulator]:
    server = Emulator().start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
async def stripe_app(
    mongo: AsyncDatabase[dict[str, Any]],
    settings_for: Callable[..., Settings],
    emulator: Emulator,
) -> FastAPI:
    return create_app(settings_for(**stripe_settings(emulator), **SESSION_APP))


@pytest.fixture(scope="session")
async def api(stripe_app: FastAPI) -> AsyncIterator[AsyncClient]:
    """The sales-service in process, talking to this suite's own emulator."""
    async for client in started(stripe_app):
        yield client


@dataclass
class FaultyStripe:
    """An app on its own database, talking to an emulator whose faults a test may turn on."""

    emulator: Emulator
    app: FastAPI
    api: AsyncClient


async def faulty_stripe(
    mongo: AsyncDatabase[dict[str, Any]],
    settings_for: Callable[..., Settings],
    database_name: str,
    **settings: Any,
) -> AsyncIterator[FaultyStripe]:
    """A FaultyStripe for a module's fixture, the app built with `settings` on top."""
    server = Emulator().start()
    database = f"{database_name}_f{uuid.uuid4().hex[:6]}"
    app = create_app(
        settings_for(
            mongodb_db=database, **stripe_settings(server), **{**NO_EVENTS_SYNC, **settings}
        )
    )
    try:
        async for client in started(app):
            yield FaultyStripe(server, app, client)
    finally:
        server.stop()
        await mongo.client.drop_database(database)


@pytest.fixture(scope="module")
async def faulty(
    mongo: AsyncDatabase[dict[str, Any]],
    settings_for: Callable[..., Settings],
    database_name: str,
) -> AsyncIterator[FaultyStripe]:
    async for stack in faulty_stripe(mongo, settings_for, database_name):
        yield stack


@pytest.fixture
def faults(faulty: FaultyStripe) -> Iterator[Emulator]:
    """The faulty emulator, its knobs cleared after the test."""
    yield faulty.emulator
    faulty.emulator.clear_faults()
