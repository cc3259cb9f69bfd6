"""A crash (or a cancelled task) right after each write of create-intent, confirm, the webhook
apply of a payment intent, and cancel: the caller's retry and the repair job restore I1, I3, I5."""

import uuid
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from app.audit.schemas import STRIPE_ACTOR
from app.composition import services
from tests.integration.conftest import Headers
from tests.integration.money.invariants import payment_of
from tests.integration.money.sweeps import sweep
from tests.integration.stripe_support import (
    FaultyStripe,
    confirm,
    create_intent,
    create_order,
    get_order,
    pay_as_browser,
)


@pytest.fixture
def sales(as_role: Callable[..., Headers]) -> Headers:
    return as_role("sales")


async def test_create_intent(faulty: FaultyStripe, sales: Headers, customer_id: str) -> None:
    async def prepare() -> dict[str, Any]:
        order = await create_order(faulty.api, sales, customer_id, total="31.00")
        return {"order": order, "key": {"Idempotency-Key": uuid.uuid4().hex}}

    async def operation(world: dict[str, Any]) -> httpx.Response:
        return await create_intent(faulty.api, {**sales, **world["key"]}, world["order"]["id"])

    async def check(world: dict[str, Any]) -> None:
        answer = await operation(world)
        assert answer.status_code == 200, answer.text
        made = answer.json()
        await pay_as_browser(faulty.emulator, made["payment_intent_id"], made["client_secret"])
        assert (await confirm(faulty.api, sales, made, world["order"]["id"])).status_code == 200
        order = await get_order(faulty.api, sales, world["order"]["id"])
        assert (order["amount_paid_minor"], order["payment_status"]) == (3100, "paid")

    await sweep(faulty, prepare, operation, check)


async def _paid_at_stripe(faulty: FaultyStripe, sales: Headers, customer_id: str) -> dict[str, Any]:
    order = await create_order(faulty.api, sales, customer_id, total="32.00")
    made = (await create_intent(faulty.api, sales, order["id"])).json()
    await pay_as_browser(faulty.emulator, made["payment_intent_id"], made["client_secret"])
    return {"order": order, "intent": made}


async def _is_paid(faulty: FaultyStripe, sales: Headers, world: dict[str, Any]) -> None:
    order = await get_order(faulty.api, sales, world["order"]["id"])
    assert (order["amount_paid_minor"], order["payment_status"]) == (3200, "paid")
    payment = await payment_of(faulty.app, world["intent"]["payment_id"])
    assert payment["status"] == "completed"


async def test_confirm(faulty: FaultyStripe, sales: Headers, customer_id: str) -> None:
    async def operation(world: dict[str, Any]) -> httpx.Response:
        return await confirm(faulty.api, sales, world["intent"], world["order"]["id"])

    async def check(world: dict[str, Any]) -> None:
        await _is_paid(faulty, sales, world)

    await sweep(faulty, lambda: _paid_at_stripe(faulty, sales, customer_id), operation, check)


async def test_webhook_apply_of_a_succeeded_intent(
    faulty: FaultyStripe, sales: Headers, customer_id: str
) -> None:
    async def operation(world: dict[str, Any]) -> None:
        (intent,) = faulty.emulator.intents_for_payment(world["intent"]["payment_id"])
        # The app's state.database at call time: the crashing one inside `crashing`.
        await services(faulty.app.state).payments.sync_intent(intent, STRIPE_ACTOR)

    async def check(world: dict[str, Any]) -> None:
        await _is_paid(faulty, sales, world)

    await sweep(faulty, lambda: _paid_at_stripe(faulty, sales, customer_id), operation, check)


async def test_cancel(faulty: FaultyStripe, sales: Headers, customer_id: str) -> None:
    async def prepare() -> dict[str, Any]:
        order = await create_order(faulty.api, sales, customer_id, total="33.00")
        made = (await create_intent(faulty.api, sales, order["id"])).json()
        return {"order": order, "intent": made}

    async def operation(world: dict[str, Any]) -> httpx.Response:
        payment_id = world["intent"]["payment_id"]
        return await faulty.api.post(f"/api/v1/payments/stripe/cancel/{payment_id}", headers=sales)

    async def check(world: dict[str, Any]) -> None:
        payment = await payment_of(faulty.app, world["intent"]["payment_id"])
        assert (payment["status"], payment["intent_closed"]) == ("canceled", True)
        order = await faulty.app.state.database.orders.find_one({"_id": world["order"]["id"]})
        assert (order["committed_minor"], order["commitments"]) == (0, {})
        # The order takes a new payment of any amount again.
        again = await create_intent(faulty.api, sales, world["order"]["id"], amount="10.00")
        assert again.status_code == 200, again.text

    await sweep(faulty, prepare, operation, check)


async def test_capture(faulty: FaultyStripe, sales: Headers, customer_id: str) -> None:
    async def prepare() -> dict[str, Any]:
        order = await create_order(faulty.api, sales, customer_id, total="34.00")
        made = (await create_intent(faulty.api, sales, order["id"], capture="manual")).json()
        await pay_as_browser(faulty.emulator, made["payment_intent_id"], made["client_secret"])
        assert (await confirm(faulty.api, sales, made, order["id"])).json()["status"] == (
            "authorized"
        )
        return {"order": order, "intent": made, "key": {"Idempotency-Key": uuid.uuid4().hex}}

    async def operation(world: dict[str, Any]) -> httpx.Response:
        payment_id = world["intent"]["payment_id"]
        return await faulty.api.post(
            f"/api/v1/payments/stripe/capture/{payment_id}",
            json={"amount": "20.00"},
            headers={**sales, **world["key"]},
        )

    async def check(world: dict[str, Any]) -> None:
        answer = await operation(world)  # the same request once more: answered as before
        assert answer.status_code == 200, answer.text
        assert (answer.json()["status"], answer.json()["amount_captured_minor"]) == (
            "completed",
            2000,
        )
        order = await get_order(faulty.api, sales, world["order"]["id"])
        assert (order["amount_paid_minor"], order["amount_authorized_minor"]) == (2000, 0)
        (intent,) = faulty.emulator.intents_for_payment(world["intent"]["payment_id"])
        assert intent["amount_received"] == 2000

    await sweep(faulty, prepare, operation, check)
