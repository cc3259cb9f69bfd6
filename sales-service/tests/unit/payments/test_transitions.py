"""The payment state machine, on intent snapshots shaped as Stripe's API and webhooks send them."""

from datetime import UTC, datetime
from typing import Any

import pytest

from app.payments.models import Card, Failure, Payment, PaymentStatus
from app.payments.transitions import (
    PlannedUpdate,
    card_from_intent,
    plan_cancel_without_intent,
    plan_intent_update,
    plan_refused_here,
    plan_rejected_intent,
    status_for_intent,
)

NOW = datetime(2026, 3, 14, tzinfo=UTC)


def payment(status: PaymentStatus = PaymentStatus.PENDING, **fields: Any) -> Payment:
    values: dict[str, Any] = {
        "id": "pay_1",
        "order_id": "ord_1",
        "order_number": "ORD-2026-000001",
        "customer_id": "cus_1",
        "amount_minor": 1000,
        "currency": "usd",
        "status": status,
        "payment_intent_id": "pi_1",
        "version": 0,
        "created_by": "u",
        "created_at": NOW,
        "updated_at": NOW,
    }
    return Payment(**{**values, **fields})


def intent(status: str, **fields: Any) -> dict[str, Any]:
    return {"id": "pi_1", "object": "payment_intent", "status": status, **fields}


def declined(method: str, decline_code: str = "generic_decline") -> dict[str, Any]:
    return intent(
        "requires_payment_method",
        payment_method=None,
        last_payment_error={
            "type": "card_error",
            "code": "card_declined",
            "decline_code": decline_code,
            "message": "Your card was declined.",
            "payment_method": {"id": method, "card": {"brand": "visa", "last4": "0002"}},
        },
    )


@pytest.mark.parametrize(
    ("stripe_status", "extra", "ours"),
    [
        ("succeeded", {}, PaymentStatus.COMPLETED),
        ("canceled", {}, PaymentStatus.CANCELED),
        ("requires_action", {}, PaymentStatus.REQUIRES_ACTION),
        ("processing", {}, PaymentStatus.PROCESSING),
        ("requires_capture", {}, PaymentStatus.AUTHORIZED),
        ("requires_payment_method", {"last_payment_error": {"code": "x"}}, PaymentStatus.FAILED),
        ("requires_payment_method", {"last_payment_error": None}, None),
        ("requires_confirmation", {}, None),
    ],
)
def test_status_for_intent(stripe_status: str, extra: dict[str, Any], ours: PaymentStatus) -> None:
    assert status_for_intent(intent(stripe_status, **extra)) is ours


class TestPlanIntentUpdate:
    def test_success_completes_with_the_card_and_clears_a_failure(self) -> None:
        failed = payment(
            PaymentStatus.FAILED,
            failure=Failure(code="card_declined", message="no"),
            failed_payment_method_ids=["pm_a"],
        )
        succeeded = intent(
            "succeeded", payment_method={"id": "pm_b", "card": {"brand": "visa", "last4": "4242"}}
        )

        plan = plan_intent_update(failed, succeeded)

        assert plan is not None
        assert plan.status is PaymentStatus.COMPLETED
        assert plan.fields == {
            "status": "completed",
            "failure": None,
            "amount_received_minor": None,
            "amount_capturable_minor": 0,
            "capture_requested_minor": None,
            "attempt_payment_method_id": "pm_b",
            "card": {"brand": "visa", "last4": "4242"},
        }

    @pytest.mark.parametrize("final", [PaymentStatus.COMPLETED, PaymentStatus.CANCELED])
    def test_final_statuses_never_move(self, final: PaymentStatus) -> None:
        for snapshot in (declined("pm_a"), intent("requires_action", payment_method="pm_a")):
            assert plan_intent_update(payment(final, card=Card(brand="visa")), snapshot) is None

    def test_a_completed_payment_still_learns_its_card(self) -> None:
        completed = payment(PaymentStatus.COMPLETED)
        snapshot = intent(
            "succeeded", payment_method={"id": "pm_a", "card": {"brand": "amex", "last4": "0005"}}
        )

        plan = plan_intent_update(completed, snapshot)

        assert plan is not None
        assert (plan.status, plan.fields) == (None, {"card": {"brand": "amex", "last4": "0005"}})

    def test_a_decline_records_the_reason_once_per_card(self) -> None:
        plan = plan_intent_update(payment(), declined("pm_a", "insufficient_funds"))

        assert plan is not None
        assert (plan.status, plan.reason) == (PaymentStatus.FAILED, "insufficient_funds")
        assert plan.fields["failed_payment_method_ids"] == ["pm_a"]
        assert plan.fields["failure"] == {
            "code": "card_declined",
            "message": "Your card was declined.",
            "decline_code": "insufficient_funds",
            "payment_method_id": "pm_a",
        }
        after = payment(PaymentStatus.FAILED, failed_payment_method_ids=["pm_a"])
        assert plan_intent_update(after, declined("pm_a", "insufficient_funds")) is None
        assert plan_intent_update(after, declined("pm_b")) is not None

    def test_a_late_snapshot_of_a_failed_card_is_ignored(self) -> None:
        after = payment(
            PaymentStatus.FAILED,
            failed_payment_method_ids=["pm_a"],
            attempt_payment_method_id="pm_a",
        )

        assert plan_intent_update(after, intent("requires_action", payment_method="pm_a")) is None
        assert plan_intent_update(after, intent("processing", payment_method="pm_a")) is None

    def test_within_one_attempt_the_status_only_moves_forward(self) -> None:
        processing = payment(PaymentStatus.PROCESSING, attempt_payment_method_id="pm_a")

        assert (
            plan_intent_update(processing, intent("requires_action", payment_method="pm_a")) is None
        )
        assert plan_intent_update(processing, intent("processing", payment_method="pm_a")) is None
        waiting = plan_intent_update(payment(), intent("requires_action", payment_method="pm_a"))
        assert waiting is not None
        assert waiting.status is PaymentStatus.REQUIRES_ACTION

    def test_a_new_card_after_a_failure_starts_a_new_attempt(self) -> None:
        after = payment(
            PaymentStatus.FAILED,
            failed_payment_method_ids=["pm_a"],
            attempt_payment_method_id="pm_a",
        )

        plan = plan_intent_update(after, intent("requires_action", payment_method="pm_b"))

        assert plan is not None
        assert plan.status is PaymentStatus.REQUIRES_ACTION
        assert plan.fields["attempt_payment_method_id"] == "pm_b"

    def test_nothing_new_is_none(self) -> None:
        assert plan_intent_update(payment(), intent("requires_payment_method")) is None
        assert plan_intent_update(payment(), intent("requires_confirmation")) is None


def test_card_from_an_expanded_charge() -> None:
    snapshot = intent(
        "succeeded",
        payment_method="pm_a",
        latest_charge={
            "payment_method_details": {"card": {"brand": "mastercard", "last4": "4444"}}
        },
    )

    assert card_from_intent(snapshot) == Card(brand="mastercard", last4="4444")
    assert card_from_intent(intent("succeeded", payment_method="pm_a")) is None


def test_local_plans() -> None:
    canceled = plan_cancel_without_intent(payment(payment_intent_id=None))
    assert canceled is not None
    assert canceled.status is PaymentStatus.CANCELED
    assert plan_cancel_without_intent(payment(PaymentStatus.COMPLETED)) is None

    failure = Failure(code="amount_too_small", message="Amount must be at least $0.50 usd")
    rejected = plan_rejected_intent(payment(payment_intent_id=None), failure)
    assert rejected is not None
    assert (rejected.status, rejected.release_slot) == (PaymentStatus.FAILED, True)
    assert plan_rejected_intent(payment(), failure) is None  # it has an intent


def test_only_a_payment_never_sent_to_stripe_is_closed_here() -> None:
    """Closing (`intent_closed`) is Stripe's word, except for a payment never sent there."""
    unsent = payment(payment_intent_id=None, sent_to_stripe=False)
    maybe_sent = payment(payment_intent_id=None)  # marked, or from before the mark: maybe sent

    closed = plan_cancel_without_intent(unsent, "abandoned")
    assert closed is not None
    assert closed.status is PaymentStatus.CANCELED
    assert closed.fields == {
        "status": "canceled",
        "cancellation_reason": "abandoned",
        "intent_closed": True,
    }
    open_ = plan_cancel_without_intent(maybe_sent)
    assert open_ is not None
    assert "intent_closed" not in open_.fields

    canceled_unsent = payment(PaymentStatus.CANCELED, payment_intent_id=None, sent_to_stripe=False)
    assert plan_cancel_without_intent(canceled_unsent) == PlannedUpdate(
        fields={"intent_closed": True}
    )
    assert (
        plan_cancel_without_intent(canceled_unsent.model_copy(update={"intent_closed": True}))
        is None
    )
    assert (
        plan_cancel_without_intent(maybe_sent.model_copy(update={"status": PaymentStatus.CANCELED}))
        is None
    )

    over = Failure(code="amount_exceeds_outstanding", message="not sent")
    refused = plan_refused_here(unsent, over)
    assert refused is not None
    assert refused.fields["intent_closed"] is True
    assert plan_refused_here(maybe_sent, over) is None


class TestManualCapture:
    def authorized(self, **fields: Any) -> Payment:
        return payment(
            PaymentStatus.AUTHORIZED,
            capture_method="manual",
            amount_capturable_minor=1000,
            attempt_payment_method_id="pm_a",
            **fields,
        )

    def test_an_authorization_records_what_is_capturable_and_until_when(self) -> None:
        held = intent(
            "requires_capture",
            amount=1000,
            amount_capturable=1000,
            payment_method="pm_a",
            latest_charge={"payment_method_details": {"card": {"capture_before": 1_800_000_000}}},
        )

        plan = plan_intent_update(payment(capture_method="manual"), held)

        assert plan is not None
        assert plan.status is PaymentStatus.AUTHORIZED
        assert plan.fields["amount_capturable_minor"] == 1000
        assert plan.fields["authorization_expires_at"] == datetime.fromtimestamp(1_800_000_000, UTC)

    def test_a_partial_capture_completes_with_what_stripe_received(self) -> None:
        captured = intent("succeeded", amount=1000, amount_received=600, amount_capturable=0)

        plan = plan_intent_update(self.authorized(capture_requested_minor=600), captured)

        assert plan is not None
        assert plan.status is PaymentStatus.COMPLETED
        assert plan.fields["amount_received_minor"] == 600
        assert plan.fields["capture_requested_minor"] is None

    def test_an_expired_authorization_is_canceled_with_stripes_reason(self) -> None:
        expired = intent("canceled", cancellation_reason="automatic", amount_capturable=0)

        plan = plan_intent_update(self.authorized(), expired)

        assert plan is not None
        assert plan.status is PaymentStatus.CANCELED
        assert plan.reason == "automatic"
        assert plan.fields["cancellation_reason"] == "automatic"
        assert plan.fields["amount_capturable_minor"] == 0

    def test_a_late_failure_snapshot_does_not_undo_an_authorization(self) -> None:
        assert plan_intent_update(self.authorized(), declined("pm_old")) is None

    def test_a_late_processing_snapshot_does_not_undo_an_authorization(self) -> None:
        late = intent("processing", payment_method="pm_a")

        assert plan_intent_update(self.authorized(), late) is None

    def test_captured_amount_and_refundable_follow_what_was_received(self) -> None:
        done = payment(PaymentStatus.COMPLETED, capture_method="manual", amount_received_minor=600)

        assert (done.captured_minor, done.refundable_minor, done.authorized_minor) == (600, 600, 0)
        assert self.authorized().authorized_minor == 1000
        assert self.authorized().refundable_minor == 0
