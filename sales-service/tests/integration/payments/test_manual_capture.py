"""Authorize now, capture at shipment: through the API, against the emulator over HTTP."""

import asyncio
import uuid
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from httpx import AsyncClient

from app.audit.schemas import STRIPE_ACTOR
from app.composition import services
from tests.integration.conftest import Headers
from tests.integration.money.invariants import payment_of, settle, violations
from tests.integration.stripe_support import (
    Emulator,
    FaultyStripe,
    confirm,
    create_intent,
    create_order,
    get_order,
    pay_as_browser,
    refund,
)


@pytest.fixture
def sales(as_role: Callable[..., Headers]) -> Headers:
    return as_role("sales")


@pytest.fixture
def admin(as_role: Callable[..., Headers]) -> Headers:
    return as_role("admin")


@pytest.fixture
def finance(as_role: Callable[..., Headers]) -> Headers:
    return as_role("finance")


async def authorized(
    client: AsyncClient, emulator: Emulator, headers: Headers, customer_id: str, total: str
) -> dict[str, Any]:
    """An order whose card is authorized for its total, confirmed through our API."""
    order = await create_order(client, headers, customer_id, total=total)
    made = await create_intent(client, headers, order["id"], capture="manual")
    assert made.status_code == 200, made.text
    intent = made.json()
    assert intent["capture"] == "manual"
    await pay_as_browser(emulator, intent["payment_intent_id"], intent["client_secret"])
    confirmed = await confirm(client, headers, intent, order["id"])
    assert confirmed.status_code == 200, confirmed.text
    return {"order": order, "intent": intent, "payment": confirmed.json()}


async def capture(
    client: AsyncClient, headers: Headers, payment_id: str, **body: Any
) -> httpx.Response:
    return await client.post(
        f"/api/v1/payments/stripe/capture/{payment_id}", json=body, headers=headers
    )


async def test_an_authorized_payment_holds_the_card_without_paying_the_order(
    api: AsyncClient, emulator: Emulator, sales: Headers, admin: Headers, customer_id: str
) -> None:
    world = await authorized(api, emulator, sales, customer_id, "80.00")

    payment = world["payment"]
    assert payment["status"] == "authorized"
    assert (payment["amount_authorized_minor"], payment["amount_captured_minor"]) == (8000, 0)
    assert payment["authorization_expires_at"] is not None
    assert payment["refundable_minor"] == 0
    order = await get_order(api, sales, world["order"]["id"])
    assert order["payment_status"] == "authorized"
    assert (order["amount_authorized_minor"], order["amount_paid_minor"]) == (8000, 0)
    assert order["outstanding_minor"] == 8000
    stats = await api.get("/api/v1/payments/stripe/stats", headers=admin)
    assert stats.status_code == 200, stats.text
    held = {row["currency"]: row for row in stats.json()["authorizations"]["held"]}
    assert held["usd"]["amount_minor"] >= 8000
    assert held["usd"]["count"] >= 1


async def test_a_partial_capture_pays_that_much_and_releases_the_rest(
    api: AsyncClient,
    emulator: Emulator,
    sales: Headers,
    finance: Headers,
    customer_id: str,
    stripe_app: FastAPI,
) -> None:
    world = await authorized(api, emulator, sales, customer_id, "80.00")
    payment_id = world["payment"]["id"]

    captured = await capture(api, sales, payment_id, amount="50.00")

    assert captured.status_code == 200, captured.text
    body = captured.json()
    assert body["status"] == "completed"
    assert (body["amount_captured_minor"], body["amount_authorized_minor"]) == (5000, 0)
    assert body["refundable_minor"] == 5000
    order = await get_order(api, sales, world["order"]["id"])
    assert (order["amount_paid_minor"], order["outstanding_minor"]) == (5000, 3000)
    assert (order["payment_status"], order["amount_authorized_minor"]) == ("partially_paid", 0)
    (intent,) = emulator.intents_for_payment(payment_id)
    assert (intent["status"], intent["amount_received"]) == ("succeeded", 5000)
    # The rest of the order may now be taken by another payment.
    rest = await create_intent(api, sales, world["order"]["id"])
    assert rest.status_code == 200, rest.text
    assert rest.json()["amount_minor"] == 3000
    # Refunds apply to what was captured only.
    too_much = await refund(api, finance, payment_id, amount="60.00", reason="returned")
    assert too_much.status_code == 409, too_much.text
    assert too_much.json()["error"]["code"] == "refund_exceeds_refundable"
    some = await refund(api, finance, payment_id, amount="20.00", reason="returned")
    assert some.status_code == 201, some.text
    assert await violations(stripe_app, emulator, world["order"]["id"]) == []


async def test_capture_defaults_to_everything_authorized_and_counts_once(
    api: AsyncClient, emulator: Emulator, sales: Headers, customer_id: str, stripe_app: FastAPI
) -> None:
    world = await authorized(api, emulator, sales, customer_id, "40.00")
    payment_id = world["payment"]["id"]

    captured = await capture(api, sales, payment_id)
    again = await capture(api, sales, payment_id)

    assert captured.status_code == 200, captured.text
    assert captured.json()["amount_captured_minor"] == 4000
    assert again.status_code == 409
    assert again.json()["error"]["code"] == "payment_not_capturable"
    # The capture's own webhook arrives after the answer: it changes nothing.
    (intent,) = emulator.intents_for_payment(payment_id)
    app = stripe_app
    await services(app.state).payments.sync_intent(intent, STRIPE_ACTOR)
    order = await get_order(api, sales, world["order"]["id"])
    assert (order["amount_paid_minor"], order["payment_status"]) == (4000, "paid")


async def test_more_than_authorized_is_refused_and_nothing_moves(
    api: AsyncClient, emulator: Emulator, sales: Headers, customer_id: str, stripe_app: FastAPI
) -> None:
    world = await authorized(api, emulator, sales, customer_id, "40.00")
    payment_id = world["payment"]["id"]

    refused = await capture(api, sales, payment_id, amount="40.01")

    assert refused.status_code == 422
    assert refused.json()["error"]["details"][0]["type"] == "amount_exceeds_capturable"
    payment = await payment_of(stripe_app, payment_id)
    assert (payment["status"], payment.get("capture_requested_minor")) == ("authorized", None)


async def test_an_automatic_payment_cannot_be_captured(
    api: AsyncClient, emulator: Emulator, sales: Headers, customer_id: str
) -> None:
    order = await create_order(api, sales, customer_id, total="12.00")
    made = (await create_intent(api, sales, order["id"])).json()

    refused = await capture(api, sales, made["payment_id"])

    assert refused.status_code == 409
    assert refused.json()["error"]["code"] == "payment_not_capturable"


async def test_concurrent_captures_never_exceed_the_authorization(
    api: AsyncClient, emulator: Emulator, sales: Headers, customer_id: str, stripe_app: FastAPI
) -> None:
    world = await authorized(api, emulator, sales, customer_id, "90.00")
    payment_id = world["payment"]["id"]
    amounts = ["90.00", "30.00", "60.00", "90.00", "10.00", "45.00"]

    answers = await asyncio.gather(
        *(capture(api, sales, payment_id, amount=amount) for amount in amounts)
    )

    ok = [a.json() for a in answers if a.status_code == 200]
    assert ok, [a.text for a in answers]
    assert {a.status_code for a in answers} <= {200, 409}
    taken = {body["amount_captured_minor"] for body in ok}
    assert len(taken) == 1  # every success reports the one capture Stripe made
    (intent,) = emulator.intents_for_payment(payment_id)
    assert intent["amount_received"] == taken.pop()
    assert await violations(stripe_app, emulator, world["order"]["id"]) == []


async def test_the_same_idempotency_key_replays_the_capture(
    api: AsyncClient, emulator: Emulator, sales: Headers, customer_id: str
) -> None:
    world = await authorized(api, emulator, sales, customer_id, "30.00")
    payment_id = world["payment"]["id"]
    keyed = {**sales, "Idempotency-Key": uuid.uuid4().hex}

    first = await capture(api, keyed, payment_id, amount="10.00")
    replay = await capture(api, keyed, payment_id, amount="10.00")
    reused = await capture(api, keyed, payment_id, amount="20.00")

    assert first.status_code == replay.status_code == 200
    assert replay.headers.get("Idempotent-Replayed") == "true"
    assert replay.json()["amount_captured_minor"] == 1000
    assert reused.status_code == 409
    assert reused.json()["error"]["code"] == "idempotency_key_reused"


async def test_release_cancels_the_authorization(
    api: AsyncClient, emulator: Emulator, sales: Headers, customer_id: str
) -> None:
    world = await authorized(api, emulator, sales, customer_id, "25.00")
    payment_id = world["payment"]["id"]

    released = await api.post(f"/api/v1/payments/stripe/cancel/{payment_id}", headers=sales)

    assert released.status_code == 200, released.text
    assert (released.json()["status"], released.json()["amount_authorized_minor"]) == (
        "canceled",
        0,
    )
    order = await get_order(api, sales, world["order"]["id"])
    assert (order["payment_status"], order["amount_authorized_minor"]) == ("unpaid", 0)
    (intent,) = emulator.intents_for_payment(payment_id)
    assert intent["status"] == "canceled"
    assert (await capture(api, sales, payment_id)).status_code == 409


async def test_a_capture_whose_answer_is_lost_is_finished_by_the_retry_or_the_repair_job(
    faulty: FaultyStripe, faults: Emulator, sales: Headers, customer_id: str
) -> None:
    world = await authorized(faulty.api, faults, sales, customer_id, "70.00")
    payment_id = world["payment"]["id"]
    faults.set_faults(drop_count=3, drop_phase="after")  # captured at Stripe, answers lost

    lost = await capture(faulty.api, sales, payment_id, amount="35.00")

    assert lost.status_code in (502, 503), lost.text
    payment = await payment_of(faulty.app, payment_id)
    assert (payment["status"], payment["capture_requested_minor"]) == ("authorized", 3500)
    # Another amount may not race the one under way.
    faults.clear_faults()
    other = await capture(faulty.api, sales, payment_id, amount="70.00")
    assert other.status_code == 409
    assert other.json()["error"]["code"] == "capture_in_progress"
    await settle(faulty.app)
    payment = await payment_of(faulty.app, payment_id)
    assert (payment["status"], payment["amount_received_minor"]) == ("completed", 3500)
    assert await violations(faulty.app, faults, world["order"]["id"]) == []


async def test_an_expired_authorization_cancels_the_payment_and_frees_the_order(
    api: AsyncClient,
    emulator: Emulator,
    sales: Headers,
    admin: Headers,
    customer_id: str,
    stripe_app: FastAPI,
) -> None:
    world = await authorized(api, emulator, sales, customer_id, "15.00")
    payment_id = world["payment"]["id"]
    intent_id = world["intent"]["payment_intent_id"]
    # Six and a half days old: listed as expiring within a day.
    emulator.control(
        "POST", f"/payment_intents/{intent_id}/age", json={"seconds": 6 * 86400 + 43200}
    )
    (aged,) = emulator.intents_for_payment(payment_id)
    app = stripe_app
    await services(app.state).payments.sync_intent(aged, STRIPE_ACTOR)
    attention = await api.get("/api/v1/payments/stripe/attention?page_size=100", headers=admin)
    assert attention.status_code == 200, attention.text
    expiring = [i for i in attention.json()["items"] if i["payment_id"] == payment_id]
    assert [i["kind"] for i in expiring] == ["authorization_expiring"]

    emulator.control("POST", f"/payment_intents/{intent_id}/age", json={"seconds": 86400})
    (expired,) = emulator.intents_for_payment(payment_id)
    # Stripe says `expired` since API version 2025-03-31 (`automatic` before).
    assert (expired["status"], expired["cancellation_reason"]) == ("canceled", "expired")
    await services(app.state).payments.sync_intent(expired, STRIPE_ACTOR)

    payment = await api.get(f"/api/v1/payments/stripe/payments/{payment_id}", headers=sales)
    assert payment.status_code == 200
    body = payment.json()
    assert (body["status"], body["cancellation_reason"]) == ("canceled", "expired")
    assert body["history"][-1]["reason"] == "expired"
    order = await get_order(api, sales, world["order"]["id"])
    assert (order["payment_status"], order["amount_authorized_minor"]) == ("unpaid", 0)
    assert await violations(app, emulator, world["order"]["id"]) == []
