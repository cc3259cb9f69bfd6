"""What must hold for a payment's refunds once retries and background jobs have run, checked
against Stripe's own refunds (the emulator's)."""

from collections import Counter
from typing import Any

from pymongo.asynchronous.database import AsyncDatabase

from tests.integration.stripe_support import Emulator

LEDGER_STATE = {"succeeded": "refunded", "pending": "reserved", "failed": "released"}


async def assert_refunds_settled(
    database: AsyncDatabase[dict[str, Any]], emulator: Emulator, payment_id: str
) -> list[dict[str, Any]]:
    """At most one Stripe refund per refund of ours; the payment's and order's figures are what
    Stripe says; nothing reserved or pending is left. Returns Stripe's refunds."""
    payment = await database["payments"].find_one({"_id": payment_id})
    assert payment is not None
    at_stripe = emulator.refunds_for_intent(payment["payment_intent_id"])
    per_request = Counter(r["metadata"].get("refund_id") for r in at_stripe)
    assert all(count == 1 for count in per_request.values()), per_request
    refunded = sum(r["amount"] for r in at_stripe if r["status"] == "succeeded")
    assert (payment["amount_refunded_minor"], payment["refund_reserved_minor"]) == (refunded, 0)
    records = await database["refunds"].find({"payment_id": payment_id}).to_list()
    assert [r["_id"] for r in records if r["status"] == "pending"] == []
    by_stripe_id = {r["stripe_refund_id"]: r for r in records}
    for stripe_refund in at_stripe:
        record = by_stripe_id.get(stripe_refund["id"])
        assert record is not None, f"no record of {stripe_refund['id']}"
        assert record["status"] == stripe_refund["status"]
        entry = payment["refund_ledger"][record["_id"]]
        assert entry["state"] == LEDGER_STATE[stripe_refund["status"]]
    order = await database["orders"].find_one({"_id": payment["order_id"]})
    assert order is not None
    assert order["amount_refunded_minor"] == refunded
    return at_stripe
