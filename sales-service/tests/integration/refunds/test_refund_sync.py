"""sync_stripe_refund / sync_charge_refunds, as the webhooks call them: refunds that settle
later, fail after succeeding, or were made in the Stripe Dashboard; none counted twice."""

import asyncio
from collections.abc import Callable
from typing import Any

from fastapi import FastAPI
from httpx import AsyncClient

from app.audit.schemas import STRIPE_ACTOR
from app.composition import services
from tests.integration.conftest import Headers
from tests.integration.stripe_support import (
    Emulator,
    card_payment_method,
    get_order,
    paid_order,
    refund,
)

SETTLE_WAIT_SECONDS = 0.6  # the suite's emulator settles refunds after 0.3 s


async def _stripe_refund(emulator: Emulator, stripe_refund_id: str) -> dict[str, Any]:
    found = await emulator.secret_client().v1.refunds.retrieve_async(stripe_refund_id)
    return found.to_dict()


async def test_a_pending_refund_settles_when_stripe_reports_it(
    api: AsyncClient,
    stripe_app: FastAPI,
    emulator: Emulator,
    as_role: Callable[..., Headers],
    customer_id: str,
) -> None:
    card = await card_payment_method(emulator, "4000000000007726")
    paid = await paid_order(api, emulator, as_role("sales"), customer_id, "64.00", card)
    finance = as_role("finance")

    pending = (await refund(api, finance, paid.payment["id"], amount="14")).json()
    assert pending["status"] == "pending"
    payment = (
        await api.get(f"/api/v1/payments/stripe/payments/{paid.payment['id']}", headers=finance)
    ).json()
    assert (payment["amount_refunded"], payment["refundable"]) == (0, 50)  # 14 stays reserved

    await asyncio.sleep(SETTLE_WAIT_SECONDS)
    service = services(stripe_app.state).refunds
    settled_snapshot = await _stripe_refund(emulator, pending["stripe_refund_id"])
    for _ in range(3):
        synced = await service.sync_stripe_refund(settled_snapshot, STRIPE_ACTOR)
        assert synced is not None
        assert synced.status.value == "succeeded"

    order = await get_order(api, finance, paid.order["id"])
    assert (order["amount_refunded"], order["payment_status"]) == (14, "partially_refunded")


async def test_a_refund_failing_after_success_gives_the_amount_back(
    api: AsyncClient,
    stripe_app: FastAPI,
    emulator: Emulator,
    as_role: Callable[..., Headers],
    customer_id: str,
) -> None:
    paid = await paid_order(
        api, emulator, as_role("sales"), customer_id, "30.00", "pm_card_refundFail"
    )
    finance = as_role("finance")
    succeeded = (await refund(api, finance, paid.payment["id"])).json()
    assert succeeded["status"] == "succeeded"
    assert (await get_order(api, finance, paid.order["id"]))["payment_status"] == "refunded"

    await asyncio.sleep(SETTLE_WAIT_SECONDS)
    failed_snapshot = await _stripe_refund(emulator, succeeded["stripe_refund_id"])
    assert failed_snapshot["status"] == "failed"
    service = services(stripe_app.state).refunds
    failed = await service.sync_stripe_refund(failed_snapshot, STRIPE_ACTOR)
    # A late copy of the `succeeded` state cannot bring it back.
    late = await service.sync_stripe_refund(
        {**failed_snapshot, "status": "succeeded"}, STRIPE_ACTOR
    )

    assert failed is not None
    assert late is not None
    assert (late.status.value, late.failure) == (failed.status.value, failed.failure)
    assert failed.status.value == "failed"
    assert failed.failure is not None
    assert failed.failure.code == "expired_or_canceled_card"
    order = await get_order(api, finance, paid.order["id"])
    assert (order["amount_refunded"], order["payment_status"]) == (0, "paid")
    again = await refund(api, finance, paid.payment["id"], amount="1")
    assert again.status_code == 201  # the amount is refundable again


async def test_a_dashboard_refund_shows_up_on_the_order_once(
    api: AsyncClient,
    stripe_app: FastAPI,
    emulator: Emulator,
    as_role: Callable[..., Headers],
    customer_id: str,
) -> None:
    paid = await paid_order(api, emulator, as_role("sales"), customer_id, "90.00")
    dashboard = await emulator.secret_client().v1.refunds.create_async(
        {"payment_intent": paid.intent["payment_intent_id"], "amount": 2500, "reason": "duplicate"}
    )
    service = services(stripe_app.state).refunds

    recorded = await asyncio.gather(
        service.sync_stripe_refund(dashboard.to_dict(), STRIPE_ACTOR),
        service.sync_stripe_refund(dashboard.to_dict(), STRIPE_ACTOR),
    )
    charge = {"id": dashboard.charge, "object": "charge"}
    await service.sync_charge_refunds(charge, STRIPE_ACTOR)

    assert recorded[0] is not None
    assert recorded[1] is not None
    assert recorded[0].id == recorded[1].id
    finance = as_role("finance")
    payment = (
        await api.get(f"/api/v1/payments/stripe/payments/{paid.payment['id']}", headers=finance)
    ).json()
    assert [
        (r["amount_minor"], r["status"], r["reason_code"], r["requested_by"], r["stripe_refund_id"])
        for r in payment["refunds"]
    ] == [(2500, "succeeded", "duplicate", "stripe-dashboard", dashboard.id)]
    order = await get_order(api, finance, paid.order["id"])
    assert (order["amount_refunded"], order["payment_status"]) == (25, "partially_refunded")
    too_much = await refund(api, finance, paid.payment["id"], amount="65.01")
    assert too_much.json()["error"]["message"].startswith("At most 65.00 USD")


async def test_our_own_refund_events_are_matched_not_duplicated(
    api: AsyncClient,
    stripe_app: FastAPI,
    emulator: Emulator,
    as_role: Callable[..., Headers],
    customer_id: str,
) -> None:
    paid = await paid_order(api, emulator, as_role("sales"), customer_id, "20.00")
    finance = as_role("finance")
    ours = (await refund(api, finance, paid.payment["id"], amount="5")).json()
    service = services(stripe_app.state).refunds
    snapshot = await _stripe_refund(emulator, ours["stripe_refund_id"])

    await service.sync_stripe_refund(snapshot, STRIPE_ACTOR)
    await service.sync_charge_refunds({"id": snapshot["charge"]}, STRIPE_ACTOR)

    payment = (
        await api.get(f"/api/v1/payments/stripe/payments/{paid.payment['id']}", headers=finance)
    ).json()
    assert [r["id"] for r in payment["refunds"]] == [ours["id"]]
    assert payment["amount_refunded_minor"] == 500
    assert (
        await service.sync_stripe_refund({"id": "re_unknown", "object": "refund"}, STRIPE_ACTOR)
        is None
    )
