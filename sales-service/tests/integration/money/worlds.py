"""Payments in the states a cancel meets, made through the API as they arise in use."""

import asyncio
from typing import Any

import httpx

from tests.integration.conftest import Headers
from tests.integration.crash_points import Pause, pausing
from tests.integration.stripe_support import (
    FaultyStripe,
    confirm,
    create_intent,
    create_order,
    pay_as_browser,
)


async def cancel(faulty: FaultyStripe, sales: Headers, payment_id: str) -> httpx.Response:
    return await faulty.api.post(f"/api/v1/payments/stripe/cancel/{payment_id}", headers=sales)


async def only_payment(faulty: FaultyStripe, sales: Headers, order_id: str) -> dict[str, Any]:
    listed = await faulty.api.get(
        "/api/v1/payments/stripe/payments", params={"order_id": order_id}, headers=sales
    )
    (payment,) = [p for p in listed.json()["items"] if p["status"] != "completed"]
    return dict(payment)


def lost_answers_left(faulty: FaultyStripe) -> int:
    left: int = faulty.emulator.control("GET", "/faults")["drop_count"]
    return left


async def refused_before_stripe(
    faulty: FaultyStripe, sales: Headers, customer_id: str, key: str | None = None
) -> dict[str, Any]:
    """The issue's payment: create-intent read the order's outstanding, then the first payment
    completed and took the total, so the commitment did not fit: failed, never sent."""
    order = await create_order(faulty.api, sales, customer_id, total="61.00")
    first = (await create_intent(faulty.api, sales, order["id"])).json()
    await pay_as_browser(faulty.emulator, first["payment_intent_id"], first["client_secret"])
    headers = sales if key is None else {**sales, "Idempotency-Key": key}
    pause = Pause("payments", "insert_one")
    with pausing(faulty.app, pause):
        second = asyncio.create_task(
            create_intent(faulty.api, headers, order["id"], amount="61.00")
        )
        await asyncio.wait_for(pause.reached.wait(), 20)
        assert (await confirm(faulty.api, sales, first, order["id"])).status_code == 200
        pause.release()
        refused = await asyncio.wait_for(second, 20)
    assert refused.status_code == 422, refused.text
    assert refused.json()["error"]["details"][0]["type"] == "amount_exceeds_outstanding"
    payment = await only_payment(faulty, sales, order["id"])
    assert (payment["status"], payment["payment_intent_id"]) == ("failed", None)
    return {"order": order, "payment_id": payment["id"], "headers": headers}
