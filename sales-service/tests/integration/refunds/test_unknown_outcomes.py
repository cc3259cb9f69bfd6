"""Sequence 2 of issue 12: a refund Stripe made whose answer was lost is never made twice, never
recorded as failed, and its caller's Idempotency-Key stays bound until Stripe has answered."""

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest

from app.audit.schemas import STRIPE_ACTOR
from app.composition import services
from app.core.errors import AppError
from app.refund_records.models import Refund
from tests.integration.conftest import Headers
from tests.integration.stripe_support import (
    Emulator,
    FaultyStripe,
    get_order,
    paid_order,
    refund,
)


async def _payment(faulty: FaultyStripe, headers: Headers, payment_id: str) -> dict[str, Any]:
    response = await faulty.api.get(
        f"/api/v1/payments/stripe/payments/{payment_id}", headers=headers
    )
    body: dict[str, Any] = response.json()
    return body


async def test_a_lost_answer_then_rate_limits_keep_the_refund_pending_and_made_once(
    faulty: FaultyStripe, faults: Emulator, as_role: Callable[..., Headers], customer_id: str
) -> None:
    paid = await paid_order(faulty.api, faults, as_role("sales"), customer_id, "70.00")
    finance = {**as_role("finance"), "Idempotency-Key": f"lost-{customer_id}"}
    intent_id = paid.intent["payment_intent_id"]
    faults.set_faults(drop_count=3, drop_phase="after")  # made at Stripe, every answer lost
    lost = await refund(faulty.api, finance, paid.payment["id"], amount="40")
    assert lost.status_code == 503
    assert len(faults.refunds_for_intent(intent_id)) == 1

    faults.set_faults(error_count=3, error_status=429, retry_after_seconds=1)
    limited = await refund(faulty.api, finance, paid.payment["id"], amount="40")

    assert (limited.status_code, limited.json()["error"]["code"]) == (503, "stripe_rate_limited")
    assert "stays pending" in limited.json()["error"]["message"]
    waiting = await _payment(faulty, finance, paid.payment["id"])
    assert [r["status"] for r in waiting["refunds"]] == ["pending"]
    assert (waiting["refundable"], waiting["amount_refunded"]) == (30, 0)

    faults.clear_faults()
    again = await refund(faulty.api, finance, paid.payment["id"], amount="40")

    assert again.status_code == 201, again.text
    assert again.headers["Idempotent-Replayed"] == "true"
    assert (again.json()["id"], again.json()["status"]) == (
        waiting["refunds"][0]["id"],
        "succeeded",
    )
    assert len(faults.refunds_for_intent(intent_id)) == 1
    settled = await _payment(faulty, finance, paid.payment["id"])
    assert (settled["refundable"], settled["amount_refunded"]) == (30, 40)
    order = await get_order(faulty.api, finance, paid.order["id"])
    assert order["amount_refunded"] == 40


async def test_a_twin_that_meets_a_rate_limit_cannot_fail_a_settled_refund(
    faulty: FaultyStripe, faults: Emulator, as_role: Callable[..., Headers], customer_id: str
) -> None:
    """The twin read the refund while it was pending; its own send meets 429s after the first
    request settled it."""
    paid = await paid_order(faulty.api, faults, as_role("sales"), customer_id, "71.00")
    finance = as_role("finance")
    faults.set_faults(drop_count=3, drop_phase="after")
    await refund(faulty.api, finance, paid.payment["id"], amount="21")
    (pending,) = (await _payment(faulty, finance, paid.payment["id"]))["refunds"]
    service = services(faulty.app.state).refunds
    twin_read = Refund.from_document(
        await faulty.app.state.database["refunds"].find_one({"_id": pending["id"]})
    )
    assert await services(faulty.app.state).refund_reconciler.reconcile(timedelta(0)) == 1

    faults.set_faults(error_count=3, error_status=429, retry_after_seconds=1)
    payment = await service._payment(paid.payment["id"])
    with pytest.raises(AppError) as raised:
        await service._send(twin_read, payment, STRIPE_ACTOR)
    assert raised.value.code == "stripe_rate_limited"

    after = await _payment(faulty, finance, paid.payment["id"])
    assert [r["status"] for r in after["refunds"]] == ["succeeded"]
    assert (after["amount_refunded"], after["refundable"]) == (21, 50)


async def test_a_late_refund_event_settles_a_refund_released_before_stripe_made_it(
    faulty: FaultyStripe, faults: Emulator, as_role: Callable[..., Headers], customer_id: str
) -> None:
    paid = await paid_order(faulty.api, faults, as_role("sales"), customer_id, "72.00")
    finance = as_role("finance")
    intent_id = paid.intent["payment_intent_id"]
    faults.set_faults(drop_count=3, drop_phase="before")
    await refund(faulty.api, finance, paid.payment["id"], amount="12")
    assert await services(faulty.app.state).refund_reconciler.reconcile(timedelta(0)) == 1
    (released,) = (await _payment(faulty, finance, paid.payment["id"]))["refunds"]
    assert released["status"] == "failed"

    # A request still in flight past the grace period reaches Stripe after all.
    stripe_refund = await faults.secret_client().v1.refunds.create_async(
        {"payment_intent": intent_id, "amount": 1200, "metadata": {"refund_id": released["id"]}},
        {"idempotency_key": released["id"]},
    )
    service = services(faulty.app.state).refunds
    for _ in range(2):
        await service.sync_stripe_refund(stripe_refund.to_dict(), STRIPE_ACTOR)

    settled = await _payment(faulty, finance, paid.payment["id"])
    assert [(r["status"], r["failure"]) for r in settled["refunds"]] == [("succeeded", None)]
    assert (settled["amount_refunded"], settled["refundable"]) == (12, 60)
    assert (await get_order(faulty.api, finance, paid.order["id"]))["amount_refunded"] == 12
