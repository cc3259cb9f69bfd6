"""The refund ledger's moves, and the refund Stripe is asked for."""

from datetime import UTC, datetime

import pytest

from app.payments.models import LedgerState, Payment, PaymentStatus
from app.refunds.ledger import can_move, counter_changes
from app.refunds.models import Refund, RefundReason, RefundStatus
from app.refunds.stripe_params import refund_create_params, status_for_state
from app.refunds.sync import foreign_refund_id

NOW = datetime(2026, 3, 14, tzinfo=UTC)
R, D, X = LedgerState.RESERVED, LedgerState.REFUNDED, LedgerState.RELEASED


@pytest.mark.parametrize(
    ("current", "target", "changes"),
    [
        (None, R, {"refund_reserved_minor": 500}),
        (None, D, {"amount_refunded_minor": 500}),
        (None, X, {}),
        (R, D, {"refund_reserved_minor": -500, "amount_refunded_minor": 500}),
        (R, X, {"refund_reserved_minor": -500}),
        (D, X, {"amount_refunded_minor": -500}),
    ],
)
def test_counter_changes(
    current: LedgerState | None, target: LedgerState, changes: dict[str, int]
) -> None:
    assert can_move(current, target)
    assert counter_changes(current, target, 500) == changes


@pytest.mark.parametrize(("current", "target"), [(R, R), (D, D), (D, R), (X, R), (X, D), (X, X)])
def test_moves_never_go_back_or_repeat(current: LedgerState, target: LedgerState) -> None:
    assert not can_move(current, target)


@pytest.mark.parametrize(
    ("state", "stripe_status", "status"),
    [
        (R, "pending", RefundStatus.PENDING),
        (D, "succeeded", RefundStatus.SUCCEEDED),
        (X, "failed", RefundStatus.FAILED),
        (X, "canceled", RefundStatus.CANCELED),
        (X, None, RefundStatus.FAILED),
    ],
)
def test_refund_status_follows_the_ledger(
    state: LedgerState, stripe_status: str | None, status: RefundStatus
) -> None:
    assert status_for_state(state, stripe_status) is status


def _refund(reason: RefundReason, notes: str | None) -> Refund:
    return Refund(
        id="ref_1",
        payment_id="pay_1",
        order_id="ord_1",
        amount_minor=2500,
        currency="usd",
        status=RefundStatus.PENDING,
        reason=reason,
        notes=notes,
        requested_by="demo-finance",
        version=0,
        created_at=NOW,
        updated_at=NOW,
    )


PAYMENT = Payment(
    id="pay_1",
    order_id="ord_1",
    order_number="ORD-2026-000001",
    customer_id="cus_1",
    amount_minor=10_000,
    currency="usd",
    status=PaymentStatus.COMPLETED,
    payment_intent_id="pi_1",
    version=0,
    created_by="u",
    created_at=NOW,
    updated_at=NOW,
)


def test_refund_params_map_the_reason_and_keep_ours_in_metadata() -> None:
    assert refund_create_params(_refund(RefundReason.PRODUCT_RETURNED, "Scratched"), PAYMENT) == {
        "payment_intent": "pi_1",
        "amount": 2500,
        "reason": "requested_by_customer",
        "metadata": {
            "refund_id": "ref_1",
            "payment_id": "pay_1",
            "order_id": "ord_1",
            "reason": "product_returned",
            "requested_by": "demo-finance",
            "notes": "Scratched",
        },
    }
    goodwill = refund_create_params(_refund(RefundReason.GOODWILL, None), PAYMENT)
    assert "reason" not in goodwill
    assert "notes" not in goodwill["metadata"]


def test_dashboard_refunds_get_a_stable_id() -> None:
    assert foreign_refund_id("re_1") == foreign_refund_id("re_1")
    assert foreign_refund_id("re_1") != foreign_refund_id("re_2")
    assert len(foreign_refund_id("re_1")) == len("ref_") + 32
