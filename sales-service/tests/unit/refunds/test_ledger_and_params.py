"""The refund ledger's moves, and the refund Stripe is asked for."""

from datetime import UTC, datetime

import pytest

from app.payments.models import LedgerEntry, LedgerState, Payment, PaymentStatus
from app.refund_records.models import Refund, RefundReason, RefundStatus
from app.refunds.ledger import Word, can_move, counter_changes, plan_move
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
        (X, D, {"amount_refunded_minor": 500}),
    ],
)
def test_counter_changes(
    current: LedgerState | None, target: LedgerState, changes: dict[str, int]
) -> None:
    assert counter_changes(current, target, 500) == changes


def _entry(state: LedgerState, *, final: bool = False) -> LedgerEntry:
    return LedgerEntry(amount_minor=500, state=state, final=final)


@pytest.mark.parametrize(("state", "target"), [(R, D), (R, X), (D, X), (X, D), (X, R)])
def test_stripe_s_own_refund_moves_an_entry_where_stripe_says(
    state: LedgerState, target: LedgerState
) -> None:
    assert can_move(_entry(state), target, Word.STRIPE_OBJECT)


@pytest.mark.parametrize(("state", "target"), [(R, R), (D, D), (D, R)])
def test_moves_never_repeat_or_reopen_a_refund_stripe_made(
    state: LedgerState, target: LedgerState
) -> None:
    assert not can_move(_entry(state), target, Word.STRIPE_OBJECT)


@pytest.mark.parametrize("word", [Word.STRIPE_REFUSED, Word.NOT_AT_STRIPE])
def test_only_a_reservation_is_released_without_stripe_s_refund(word: Word) -> None:
    assert can_move(_entry(R), X, word)
    assert not can_move(_entry(D), X, word)  # a settled refund is never failed by us
    assert not can_move(_entry(R), D, word)
    assert not can_move(None, X, word)


def test_stripe_s_failure_is_final_and_our_release_is_not() -> None:
    ours = plan_move(_entry(R), X, 500, Word.NOT_AT_STRIPE)
    assert ours is not None
    assert not ours.final
    assert can_move(ours, D, Word.STRIPE_OBJECT)  # Stripe made it after all
    stripes = plan_move(_entry(D), X, 500, Word.STRIPE_OBJECT)
    assert stripes is not None
    assert stripes.final
    assert not can_move(stripes, D, Word.STRIPE_OBJECT)  # a late `succeeded` cannot revive it
    confirmed = plan_move(ours, X, 500, Word.STRIPE_OBJECT)
    assert confirmed is not None
    assert (confirmed.state, confirmed.final) == (X, True)


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
            "reason_code": "product_returned",
            "requested_by": "demo-finance",
            "reason": "product_returned",
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
