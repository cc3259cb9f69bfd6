"""An order's totals and payment status from its payments."""

from datetime import UTC, datetime
from typing import Any

import pytest

from app.payments.models import Dispute, Payment, PaymentStatus
from app.payments.order_totals import compute_totals

NOW = datetime(2026, 3, 14, tzinfo=UTC)
TOTAL = 10_000


def payment(status: PaymentStatus, amount: int, refunded: int = 0, **fields: Any) -> Payment:
    return Payment(
        id="pay_1",
        order_id="ord_1",
        order_number="ORD-2026-000001",
        customer_id="cus_1",
        amount_minor=amount,
        currency="usd",
        status=status,
        amount_refunded_minor=refunded,
        version=0,
        created_by="u",
        created_at=NOW,
        updated_at=NOW,
        **fields,
    )


def dispute(status: str) -> dict[str, Dispute]:
    return {"dp_1": Dispute(id="dp_1", status=status, amount_minor=100, updated_at=NOW)}


C, P, F, A, X = (
    PaymentStatus.COMPLETED,
    PaymentStatus.PROCESSING,
    PaymentStatus.FAILED,
    PaymentStatus.REQUIRES_ACTION,
    PaymentStatus.CANCELED,
)


@pytest.mark.parametrize(
    ("payments", "expected"),
    [
        ([], (0, 0, "unpaid")),
        ([payment(F, TOTAL), payment(X, TOTAL)], (0, 0, "unpaid")),
        ([payment(A, TOTAL)], (0, 0, "processing")),
        ([payment(P, 3000)], (0, 0, "processing")),
        ([payment(C, 3000), payment(P, 7000)], (3000, 0, "partially_paid")),
        ([payment(C, 3000), payment(C, 7000)], (TOTAL, 0, "paid")),
        ([payment(C, TOTAL, refunded=2500)], (TOTAL, 2500, "partially_refunded")),
        ([payment(C, 4000, 4000), payment(C, 6000, 6000)], (TOTAL, TOTAL, "refunded")),
        ([payment(C, TOTAL, disputes=dispute("needs_response"))], (TOTAL, 0, "disputed")),
        ([payment(C, TOTAL, disputes=dispute("lost"))], (TOTAL - 100, 0, "disputed")),
        ([payment(C, TOTAL, disputes=dispute("won"))], (TOTAL, 0, "paid")),
    ],
)
def test_compute_totals(payments: list[Payment], expected: tuple[int, int, str]) -> None:
    totals = compute_totals(TOTAL, payments)

    assert (
        totals["amount_paid_minor"],
        totals["amount_refunded_minor"],
        totals["payment_status"],
    ) == expected


def test_an_authorization_is_held_not_paid() -> None:
    held = payment(PaymentStatus.AUTHORIZED, 10_000, amount_capturable_minor=10_000)

    totals = compute_totals(TOTAL, [held])

    assert totals["amount_paid_minor"] == 0
    assert totals["amount_authorized_minor"] == 10_000
    assert totals["payment_status"] == "authorized"


def test_a_partial_capture_pays_what_was_captured() -> None:
    captured = payment(C, 10_000, amount_received_minor=4_000)

    totals = compute_totals(TOTAL, [captured])

    assert (totals["amount_paid_minor"], totals["amount_authorized_minor"]) == (4_000, 0)
    assert totals["payment_status"] == "partially_paid"
