"""Stripe failing during a refund: never refunded twice, never reserved for ever."""

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from app.composition import services
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


async def test_server_errors_keep_the_refund_reserved_until_the_same_request_comes_again(
    faulty: FaultyStripe, faults: Emulator, as_role: Callable[..., Headers], customer_id: str
) -> None:
    paid = await paid_order(faulty.api, faults, as_role("sales"), customer_id, "60.00")
    finance = {**as_role("finance"), "Idempotency-Key": f"refund-{customer_id}"}
    faults.set_faults(error_count=3, error_status=500)

    failed = await refund(faulty.api, finance, paid.payment["id"], amount="20")

    assert failed.status_code == 502
    error = failed.json()["error"]
    assert error["code"] == "stripe_error"
    assert "stays pending (its amount reserved)" in error["message"]
    waiting = await _payment(faulty, finance, paid.payment["id"])
    assert (waiting["refundable"], waiting["amount_refunded"]) == (40, 0)
    (pending,) = waiting["refunds"]
    assert (pending["status"], pending["stripe_refund_id"]) == ("pending", None)

    retried = await refund(faulty.api, finance, paid.payment["id"], amount="20")

    assert retried.status_code == 201
    assert retried.headers["Idempotent-Replayed"] == "true"
    assert (retried.json()["id"], retried.json()["status"]) == (pending["id"], "succeeded")
    assert len(faults.refunds_for_intent(paid.intent["payment_intent_id"])) == 1
    order = await get_order(faulty.api, finance, paid.order["id"])
    assert (order["amount_refunded"], order["payment_status"]) == (20, "partially_refunded")


async def test_a_lost_answer_is_settled_by_the_reconciler_from_what_stripe_did(
    faulty: FaultyStripe, faults: Emulator, as_role: Callable[..., Headers], customer_id: str
) -> None:
    paid = await paid_order(faulty.api, faults, as_role("sales"), customer_id, "61.00")
    finance = as_role("finance")
    faults.set_faults(drop_count=3, drop_phase="after")

    lost = await refund(faulty.api, finance, paid.payment["id"], amount="11")
    assert (lost.status_code, lost.json()["error"]["code"]) == (503, "stripe_unavailable")
    assert len(faults.refunds_for_intent(paid.intent["payment_intent_id"])) == 1

    settled = await services(faulty.app.state).refund_reconciler.reconcile(stale_after=timedelta(0))

    assert settled == 1
    payment = await _payment(faulty, finance, paid.payment["id"])
    assert [(r["status"], r["amount"]) for r in payment["refunds"]] == [("succeeded", 11)]
    assert (payment["amount_refunded"], payment["refundable"]) == (11, 50)
    assert len(faults.refunds_for_intent(paid.intent["payment_intent_id"])) == 1


async def test_a_refund_stripe_never_received_is_released_by_the_reconciler(
    faulty: FaultyStripe, faults: Emulator, as_role: Callable[..., Headers], customer_id: str
) -> None:
    paid = await paid_order(faulty.api, faults, as_role("sales"), customer_id, "62.00")
    finance = as_role("finance")
    faults.set_faults(drop_count=3, drop_phase="before")

    lost = await refund(faulty.api, finance, paid.payment["id"], amount="12")
    assert lost.status_code == 503
    assert faults.refunds_for_intent(paid.intent["payment_intent_id"]) == []
    reconciler = services(faulty.app.state).refund_reconciler
    assert await reconciler.reconcile() == 0  # not stale yet: it may still be retried

    assert await reconciler.reconcile(stale_after=timedelta(0)) == 1

    payment = await _payment(faulty, finance, paid.payment["id"])
    (released,) = payment["refunds"]
    assert released["status"] == "failed"
    assert released["failure"]["code"] == "not_at_stripe"
    assert (payment["amount_refunded"], payment["refundable"]) == (0, 62)
    assert (await get_order(faulty.api, finance, paid.order["id"]))["payment_status"] == "paid"


async def test_a_rate_limited_refund_stays_pending_until_the_same_request_comes_again(
    faulty: FaultyStripe, faults: Emulator, as_role: Callable[..., Headers], customer_id: str
) -> None:
    """A 429 is not Stripe's word on the refund: an earlier attempt may have reached it."""
    paid = await paid_order(faulty.api, faults, as_role("sales"), customer_id, "63.00")
    finance = {**as_role("finance"), "Idempotency-Key": f"limited-{customer_id}"}
    faults.set_faults(error_count=3, error_status=429, retry_after_seconds=1)

    limited = await refund(faulty.api, finance, paid.payment["id"], amount="13")

    assert (limited.status_code, limited.json()["error"]["code"]) == (503, "stripe_rate_limited")
    assert limited.headers["Retry-After"] == "1"
    payment = await _payment(faulty, finance, paid.payment["id"])
    assert payment["refundable"] == 50
    assert [r["status"] for r in payment["refunds"]] == ["pending"]
    again = await refund(faulty.api, finance, paid.payment["id"], amount="13")
    assert (again.status_code, again.json()["status"]) == (201, "succeeded")
    assert again.headers["Idempotent-Replayed"] == "true"
    assert len(faults.refunds_for_intent(paid.intent["payment_intent_id"])) == 1


async def test_a_refund_stripe_refuses_is_released_and_explained(
    faulty: FaultyStripe, faults: Emulator, as_role: Callable[..., Headers], customer_id: str
) -> None:
    paid = await paid_order(faulty.api, faults, as_role("sales"), customer_id, "64.00")
    intent = await faults.secret_client().v1.payment_intents.retrieve_async(
        paid.intent["payment_intent_id"]
    )
    faults.control("POST", f"/charges/{intent.latest_charge}/dispute", json={})
    finance = as_role("finance")

    refused = await refund(faulty.api, finance, paid.payment["id"], amount="14")

    assert refused.status_code == 409
    error = refused.json()["error"]
    assert error["code"] == "refund_rejected"
    assert "has been charged back" in error["message"]
    payment = await _payment(faulty, finance, paid.payment["id"])
    assert payment["refundable"] == 64
    assert [(r["status"], r["failure"]["code"]) for r in payment["refunds"]] == [
        ("failed", "charge_disputed")
    ]
