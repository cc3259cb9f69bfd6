"""Sequence 5 of issue 12: a reservation is never stranded, whether its record was never written
or many older refunds are legitimately pending ahead of it."""

import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from app.composition import services
from tests.integration.conftest import Headers
from tests.integration.crash_points import crashing, run_until_crash
from tests.integration.refunds.settled import assert_refunds_settled
from tests.integration.stripe_support import Emulator, FaultyStripe, paid_order, refund


async def _payment_document(faulty: FaultyStripe, payment_id: str) -> dict[str, Any]:
    document = await faulty.app.state.database["payments"].find_one({"_id": payment_id})
    assert document is not None
    return dict(document)


async def _stranded(
    faulty: FaultyStripe, emulator: Emulator, headers: Callable[..., Headers], customer: str
) -> tuple[str, str]:
    """A paid payment and the id of a reservation on it whose refund record was never written
    (the process died right after the reserving write)."""
    paid = await paid_order(faulty.api, emulator, headers("sales"), customer, "80.00")
    with crashing(faulty.app, 1):
        assert (
            await run_until_crash(refund(faulty.api, headers("finance"), paid.payment["id"]))
            is None
        )
    payment = await _payment_document(faulty, paid.payment["id"])
    (refund_id,) = payment["refund_ledger"]
    assert payment["refund_reserved_minor"] == 8000
    assert await faulty.app.state.database["refunds"].find_one({"_id": refund_id}) is None
    return paid.payment["id"], refund_id


async def test_a_reservation_without_a_record_that_stripe_never_saw_is_released(
    faulty: FaultyStripe, faults: Emulator, as_role: Callable[..., Headers], customer_id: str
) -> None:
    payment_id, _ = await _stranded(faulty, faults, as_role, customer_id)
    reconciler = services(faulty.app.state).refund_reconciler
    assert await reconciler.reconcile() == 0  # still within the grace period

    assert await reconciler.reconcile(stale_after=timedelta(0)) == 1

    payment = await _payment_document(faulty, payment_id)
    assert (payment["refund_reserved_minor"], payment["amount_refunded_minor"]) == (0, 0)
    await assert_refunds_settled(faulty.app.state.database, faults, payment_id)


async def test_a_reservation_without_a_record_that_stripe_made_is_recorded_and_settled(
    faulty: FaultyStripe, faults: Emulator, as_role: Callable[..., Headers], customer_id: str
) -> None:
    payment_id, refund_id = await _stranded(faulty, faults, as_role, customer_id)
    payment = await _payment_document(faulty, payment_id)
    await faults.secret_client().v1.refunds.create_async(
        {
            "payment_intent": payment["payment_intent_id"],
            "amount": 8000,
            "metadata": {"refund_id": refund_id, "reason": "duplicate", "requested_by": "fin-1"},
        },
        {"idempotency_key": refund_id},
    )

    assert await services(faulty.app.state).refund_reconciler.reconcile(timedelta(0)) == 1

    (at_stripe,) = await assert_refunds_settled(faulty.app.state.database, faults, payment_id)
    record = await faulty.app.state.database["refunds"].find_one({"_id": refund_id})
    assert record is not None
    assert (record["status"], record["amount_minor"], record["reason"], record["requested_by"]) == (
        "succeeded",
        8000,
        "duplicate",
        "fin-1",
    )
    assert record["stripe_refund_id"] == at_stripe["id"]


async def test_many_pending_refunds_do_not_starve_a_newer_stuck_one(
    faulty: FaultyStripe, faults: Emulator, as_role: Callable[..., Headers], customer_id: str
) -> None:
    """A hundred refunds sent again a moment ago (so not stale) and older than a stuck one."""
    paid = await paid_order(faulty.api, faults, as_role("sales"), customer_id, "200.00")
    payment_id, order_id = paid.payment["id"], paid.order["id"]
    database = faulty.app.state.database
    now = datetime.now(UTC)
    ledger: dict[str, Any] = {}
    records: list[dict[str, Any]] = []
    for index in range(101):
        stuck = index == 100
        refund_id = f"ref_{uuid.uuid4().hex}"
        created = now - (timedelta(minutes=20) if stuck else timedelta(hours=1))
        sent = now - timedelta(minutes=20) if stuck else now
        ledger[f"refund_ledger.{refund_id}"] = {
            "amount_minor": 100,
            "state": "reserved",
            "sent_at": sent,
        }
        records.append(
            {
                "_id": refund_id,
                "payment_id": payment_id,
                "order_id": order_id,
                "amount_minor": 100,
                "currency": "usd",
                "status": "pending",
                "reason": "other",
                "notes": None,
                "stripe_refund_id": None,
                "stripe_status": None,
                "requested_by": "user-finance",
                "failure": None,
                "stripe_problem": None,
                "version": 0,
                "created_at": created,
                "updated_at": created,
            }
        )
    await database["payments"].update_one(
        {"_id": payment_id},
        {"$set": ledger, "$inc": {"refund_reserved_minor": 10100, "version": 1}},
    )
    await database["refunds"].insert_many(records)

    assert await services(faulty.app.state).refund_reconciler.reconcile() == 1

    stuck_record = await database["refunds"].find_one({"_id": records[-1]["_id"]})
    assert stuck_record is not None
    assert (stuck_record["status"], stuck_record["failure"]["code"]) == ("failed", "not_at_stripe")
    payment = await _payment_document(faulty, payment_id)
    assert payment["refund_reserved_minor"] == 10000
