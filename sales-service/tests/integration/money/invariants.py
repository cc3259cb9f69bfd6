"""What must hold for one order once retries and background jobs have run (I1-I5), checked
against the emulator's objects: Stripe's truth, not our records. Every intent at Stripe naming
one of the order's payments is on that payment's record, or canceled at Stripe."""

from datetime import UTC, datetime, timedelta
from typing import Any

from fastapi import FastAPI

from app.composition import wire
from app.orders.schemas import Order
from app.payments.models import Payment, PaymentStatus
from app.payments.order_totals import compute_totals
from app.payments.repair import ORDERS_PER_ROUND
from app.payments.repository import PaymentRepository
from tests.integration.stripe_support import Emulator

# Intents that may still take money (an authorization may be captured).
LIVE = (
    "requires_payment_method",
    "requires_confirmation",
    "requires_action",
    "processing",
    "requires_capture",
)


async def settle(app: FastAPI, later: timedelta = timedelta(hours=3)) -> None:
    """Runs the repair job as if `later` had passed: every check is due by then, and nothing
    is old enough yet to count as abandoned."""
    repair = wire(app.state, clock=lambda: datetime.now(UTC) + later).payment_repair
    for _ in range(3):
        await repair.check_due_payments()
    while await repair.reconcile_order_page() == ORDERS_PER_ROUND:
        pass  # until the cursor wraps: every order once


async def violations(app: FastAPI, emulator: Emulator, order_id: str) -> list[str]:
    database = app.state.database
    order = Order.from_document(await database.orders.find_one({"_id": order_id}))
    payments = [
        Payment.from_document(d) for d in await PaymentRepository(database).find_for_order(order_id)
    ]
    found: list[str] = []
    charged = 0
    for payment in payments:
        intents = emulator.intents_for_payment(payment.id)
        if len(intents) > 1:
            found.append(f"I2: {payment.id} has {len(intents)} intents at Stripe")
        for intent in intents:
            if intent["id"] != payment.payment_intent_id and intent["status"] != "canceled":
                found.append(
                    f"I4: intent {intent['id']} is {intent['status']} at Stripe, "
                    f"not on the record of {payment.id}"
                )
            if intent["status"] == "succeeded":
                charged += intent["amount_received"]
                if payment.status is not PaymentStatus.COMPLETED:
                    found.append(f"I5: {payment.id} is {payment.status} but Stripe took the money")
                elif payment.captured_minor != intent["amount_received"]:
                    found.append(
                        f"I3: {payment.id} records {payment.captured_minor} taken, "
                        f"Stripe received {intent['amount_received']}"
                    )
            elif intent["status"] in LIVE:
                charged += intent["amount"]
                if payment.id not in order.commitments:
                    found.append(f"I1: live intent of {payment.id} holds no commitment")
    if charged > order.total_minor:
        found.append(f"I1: {charged} paid or payable on a total of {order.total_minor}")
    if order.committed_minor != sum(order.commitments.values()):
        found.append(f"I3: committed {order.committed_minor} != {order.commitments}")
    expected = compute_totals(order.total_minor, payments)
    actual = {
        "amount_paid_minor": order.amount_paid_minor,
        "amount_refunded_minor": order.amount_refunded_minor,
        "amount_authorized_minor": order.amount_authorized_minor,
        "payment_status": order.payment_status.value,
    }
    if actual != expected:
        found.append(f"I3: order shows {actual}, its payments say {expected}")
    return found


async def payment_of(app: FastAPI, payment_id: str) -> dict[str, Any]:
    document: dict[str, Any] = await app.state.database.payments.find_one({"_id": payment_id})
    return document
