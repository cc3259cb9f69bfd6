"""Sequence 6 of issue 12: what a lost dispute took back cannot be refunded; a won one gives the
payment's refundable amount back."""

from collections.abc import Callable
from typing import Any

import pytest

from app.audit.schemas import STRIPE_ACTOR
from app.composition import services
from tests.integration.conftest import Headers
from tests.integration.stripe_support import Emulator, FaultyStripe, paid_order, refund


async def _refundable(faulty: FaultyStripe, headers: Headers, payment_id: str) -> Any:
    response = await faulty.api.get(
        f"/api/v1/payments/stripe/payments/{payment_id}", headers=headers
    )
    return response.json()["refundable"]


@pytest.mark.parametrize(("outcome", "refundable"), [("lost", 50), ("won", 80)])
async def test_a_closed_dispute_sets_what_is_still_refundable(
    faulty: FaultyStripe,
    faults: Emulator,
    as_role: Callable[..., Headers],
    customer_id: str,
    outcome: str,
    refundable: int,
) -> None:
    paid = await paid_order(faulty.api, faults, as_role("sales"), customer_id, "80.00")
    finance = as_role("finance")
    intent = await faults.secret_client().v1.payment_intents.retrieve_async(
        paid.intent["payment_intent_id"]
    )
    payments = services(faulty.app.state).payments
    opened = faults.control(
        "POST", f"/charges/{intent.latest_charge}/dispute", json={"amount": 3000}
    )
    await payments.sync_dispute(opened, STRIPE_ACTOR)
    closed = faults.control("POST", f"/disputes/{opened['id']}/close", json={"outcome": outcome})

    await payments.sync_dispute(closed, STRIPE_ACTOR)

    assert await _refundable(faulty, finance, paid.payment["id"]) == refundable
    too_much = await refund(faulty.api, finance, paid.payment["id"], amount=str(refundable + 1))
    assert too_much.status_code == 409
    assert too_much.json()["error"]["code"] == "refund_exceeds_refundable"
