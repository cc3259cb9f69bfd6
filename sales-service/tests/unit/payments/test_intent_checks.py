"""What makes a fetched intent, dispute or event not ours: each case of the issue, alone."""

from datetime import UTC, datetime
from typing import Any

import pytest

from app.payments.intent_checks import (
    AmountChanged,
    Reason,
    Rejection,
    StrayIntent,
    check_dispute,
    check_envelope,
    check_intent,
    check_notice,
)
from app.payments.models import Payment, PaymentStatus
from app.payments.received import AMOUNT_CHANGED_AT_STRIPE, plan_amount_changed

NOW = datetime(2026, 3, 14, tzinfo=UTC)


def payment(**fields: Any) -> Payment:
    values: dict[str, Any] = {
        "id": "pay_1",
        "order_id": "ord_1",
        "order_number": "ORD-2026-000001",
        "customer_id": "cus_1",
        "amount_minor": 1000,
        "currency": "usd",
        "status": PaymentStatus.PENDING,
        "payment_intent_id": "pi_1",
        "version": 0,
        "created_by": "u",
        "created_at": NOW,
        "updated_at": NOW,
    }
    return Payment(**{**values, **fields})


def intent(**fields: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "id": "pi_1",
        "object": "payment_intent",
        "amount": 1000,
        "amount_received": 0,
        "currency": "usd",
        "livemode": False,
        "status": "requires_payment_method",
        "metadata": {"payment_id": "pay_1", "order_id": "ord_1"},
    }
    return {**values, **fields}


def reason(result: object) -> Reason:
    assert isinstance(result, Rejection)
    return result.reason


def test_our_intent_as_it_is_passes() -> None:
    assert check_intent(payment(), intent(), our_livemode=False) is None
    paid = intent(status="succeeded", amount_received=1000)
    assert check_intent(payment(), paid, our_livemode=False) is None


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"amount": 1}, Reason.AMOUNT_MISMATCH),
        ({"amount": 10_000_000}, Reason.AMOUNT_MISMATCH),
        ({"currency": "jpy"}, Reason.CURRENCY_MISMATCH),
        ({"livemode": True}, Reason.LIVEMODE_MISMATCH),
    ],
)
def test_an_intent_differing_from_the_payment_is_rejected(
    fields: dict[str, Any], expected: Reason
) -> None:
    result = check_intent(payment(), intent(**fields), our_livemode=False)
    assert reason(result) is expected
    assert isinstance(result, Rejection)
    assert (result.payment_id, result.order_id) == ("pay_1", "ord_1")


def test_an_intent_found_only_by_metadata_must_fit_a_payment_without_one() -> None:
    fresh = payment(payment_intent_id=None)
    stranger = intent(id="pi_stranger")
    assert check_intent(fresh, stranger, our_livemode=False) is None
    other_order = intent(id="pi_stranger", metadata={"payment_id": "pay_1", "order_id": "ord_2"})
    assert reason(check_intent(fresh, other_order, our_livemode=False)) is Reason.INTENT_NOT_OURS
    assert reason(check_intent(payment(), other_order, our_livemode=False)) is (
        Reason.INTENT_NOT_OURS
    )


CLOSED_WITHOUT_INTENT = {
    "holds another": {},
    "refused by Stripe": {
        "payment_intent_id": None,
        "status": PaymentStatus.FAILED,
        "intent_closed": True,
    },
    "refused here, never sent": {
        "payment_intent_id": None,
        "status": PaymentStatus.FAILED,
        "intent_closed": True,
        "sent_to_stripe": False,
    },
    "canceled here, never sent": {
        "payment_intent_id": None,
        "status": PaymentStatus.CANCELED,
        "intent_closed": True,
        "sent_to_stripe": False,
    },
    "never sent, still open": {"payment_intent_id": None, "sent_to_stripe": False},
}


@pytest.mark.parametrize("fields", CLOSED_WITHOUT_INTENT.values(), ids=CLOSED_WITHOUT_INTENT)
@pytest.mark.parametrize("status", ["requires_payment_method", "requires_action", "canceled"])
def test_an_open_intent_naming_a_payment_that_cannot_hold_it_is_a_stray(
    fields: dict[str, Any], status: str
) -> None:
    stray = check_intent(payment(**fields), intent(id="pi_x", status=status), our_livemode=False)
    assert isinstance(stray, StrayIntent)


@pytest.mark.parametrize("fields", CLOSED_WITHOUT_INTENT.values(), ids=CLOSED_WITHOUT_INTENT)
def test_a_stray_that_took_money_is_recorded_on_a_payment_holding_none(
    fields: dict[str, Any],
) -> None:
    """I5: exactly the payment's amount, on its order, taken by an intent naming it."""
    closed = payment(**fields)
    paid = intent(id="pi_x", status="succeeded", amount_received=1000)
    verdict = check_intent(closed, paid, our_livemode=False)
    if closed.payment_intent_id is None:
        assert verdict is None
    else:
        assert reason(verdict) is Reason.INTENT_NOT_OURS
    other_amount = intent(id="pi_x", status="succeeded", amount=999, amount_received=999)
    assert reason(check_intent(closed, other_amount, our_livemode=False)) is (
        Reason.INTENT_NOT_OURS
    )


def test_an_intent_changed_at_stripe_and_paid_records_what_was_received() -> None:
    changed = intent(amount=50, amount_received=50, status="succeeded")
    result = check_intent(payment(), changed, our_livemode=False)
    assert result == AmountChanged(requested_minor=1000, received_minor=50)
    # Found only by metadata it is not trusted that far: rejected, nothing moves.
    unbound = check_intent(
        payment(payment_intent_id=None), {**changed, "id": "pi_2"}, our_livemode=False
    )
    assert reason(unbound) is Reason.AMOUNT_MISMATCH
    # Changed but not paid: nothing to record yet.
    pending = check_intent(payment(), intent(amount=50), our_livemode=False)
    assert reason(pending) is Reason.AMOUNT_MISMATCH


def test_the_received_amount_is_what_the_payment_counts() -> None:
    plan = plan_amount_changed(payment(), AmountChanged(1000, 50))
    assert plan is not None
    assert plan.status is PaymentStatus.COMPLETED
    assert plan.reason == AMOUNT_CHANGED_AT_STRIPE
    assert (plan.fields["amount_minor"], plan.fields["amount_requested_minor"]) == (50, 1000)
    done = payment(status=PaymentStatus.COMPLETED, amount_minor=50)
    assert plan_amount_changed(done, AmountChanged(1000, 50)) is None


def test_an_event_copy_must_agree_with_stripe_on_amount_currency_and_mode() -> None:
    fetched = intent()
    assert check_notice(intent(status="succeeded"), fetched) is None  # a status moves on
    for forged in ({"amount": 1}, {"currency": "jpy"}, {"livemode": True}):
        assert reason(check_notice(intent(**forged), fetched)) is Reason.EVENT_DIFFERS_FROM_STRIPE


def test_the_envelope_must_be_of_our_mode_and_account() -> None:
    ok = check_envelope(livemode=False, account=None, our_livemode=False, our_account="acct_1")
    assert ok is None
    live = check_envelope(livemode=True, account=None, our_livemode=False, our_account=None)
    assert reason(live) is Reason.LIVEMODE_MISMATCH
    other = check_envelope(livemode=False, account="acct_2", our_livemode=False, our_account="a")
    assert reason(other) is Reason.FOREIGN_ACCOUNT


def dispute(**fields: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "id": "dp_1",
        "object": "dispute",
        "amount": 1000,
        "currency": "usd",
        "livemode": False,
        "payment_intent": "pi_1",
        "status": "needs_response",
    }
    return {**values, **fields}


def test_a_dispute_must_fit_its_payment() -> None:
    assert check_dispute(payment(), dispute(), our_livemode=False) is None
    for fields in ({"amount": 2000}, {"amount": 0}, {"currency": "eur"}, {"payment_intent": "x"}):
        result = check_dispute(payment(), dispute(**fields), our_livemode=False)
        assert reason(result) is Reason.DISPUTE_MISMATCH
    live = check_dispute(payment(), dispute(livemode=True), our_livemode=False)
    assert reason(live) is Reason.LIVEMODE_MISMATCH
