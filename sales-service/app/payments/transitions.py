"""The payment state machine: what a PaymentIntent (as Stripe shows it) changes on our payment.

Pure functions, shared by `/confirm` and the webhooks, so both apply a given intent the same way.

- `completed` is final. `canceled` is final too, with one exception: money Stripe took is
  always recorded (I5), so a succeeded intent completes a payment canceled here.
- A failed attempt is not final: Stripe returns the intent to `requires_payment_method` and the
  customer may try another card on the same intent, so `failed` may move on.
- Within one attempt (one payment method) the status only moves forward
  (`pending` -> `requires_action` -> `processing` -> `authorized` | `failed`), and a payment
  method that has failed is done: a late or duplicated snapshot of an earlier state is ignored.
- `authorized` (manual capture) ends in `completed` (captured, all or part) or `canceled`
  (released here, or expired at Stripe after 7 days: `cancellation_reason` says which). An
  authorization never fails, so a failure seen after it is an older snapshot.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from app.payments.models import FINAL_STATUSES, Card, Failure, Payment, PaymentStatus

_RANK_WITHIN_ATTEMPT = {
    PaymentStatus.PENDING: 0,
    PaymentStatus.REQUIRES_ACTION: 1,
    PaymentStatus.PROCESSING: 2,
    PaymentStatus.AUTHORIZED: 3,
    PaymentStatus.FAILED: 4,
}


@dataclass(frozen=True)
class PlannedUpdate:
    """Fields to set on the payment; `status` is set only when the status changes.

    `release_slot` ends the payment's hold on its order's one open payment (see the repository)
    even though the status is not final: a payment Stripe made no intent for is over.
    """

    fields: dict[str, Any] = field(default_factory=dict)
    status: PaymentStatus | None = None
    reason: str | None = None
    release_slot: bool = False


SUCCEEDED_AFTER_CANCEL = "succeeded_after_cancel"
# Stripe's hold on an online card authorization, when the charge does not say.
AUTHORIZATION_VALIDITY = timedelta(days=7)


def never_sent(payment: Payment) -> bool:
    """Nothing was ever sent to Stripe for this payment, so no intent can exist for it."""
    return not payment.sent_to_stripe and payment.payment_intent_id is None


def plan_cancel_without_intent(payment: Payment, reason: str | None = None) -> PlannedUpdate | None:
    """Canceling a payment with no intent on record. One never sent to Stripe is closed here
    for good: nothing exists at Stripe, and nothing will be sent for a canceled payment. One
    that may have been sent stays open (`intent_closed` false) until Stripe answers for its
    key: only our record's status changes here."""
    if payment.status in FINAL_STATUSES:
        if payment.status is PaymentStatus.CANCELED and never_sent(payment):
            return None if payment.intent_closed else PlannedUpdate(fields={"intent_closed": True})
        return None
    fields: dict[str, Any] = {"status": PaymentStatus.CANCELED.value}
    if reason is not None:
        fields["cancellation_reason"] = reason
    if never_sent(payment):
        fields["intent_closed"] = True
    return PlannedUpdate(fields=fields, status=PaymentStatus.CANCELED, reason=reason)


def plan_refused_here(payment: Payment, failure: Failure) -> PlannedUpdate | None:
    """We refuse the payment before sending it to Stripe (the order's total is held by others):
    it failed and can never be paid. Never for one that may have been sent: only Stripe's word
    closes that."""
    if not never_sent(payment):
        return None
    return plan_rejected_intent(payment, failure)


def plan_rejected_intent(payment: Payment, failure: Failure) -> PlannedUpdate | None:
    """Stripe refused to create the intent (its answer for the payment's key): the payment
    failed and can never be paid."""
    if payment.status is not PaymentStatus.PENDING or payment.payment_intent_id is not None:
        return None
    return PlannedUpdate(
        fields={
            "status": PaymentStatus.FAILED.value,
            "failure": failure.model_dump(),
            "intent_closed": True,
        },
        status=PaymentStatus.FAILED,
        reason=failure.code,
        release_slot=True,
    )


def status_for_intent(intent: Mapping[str, Any]) -> PaymentStatus | None:
    """Our status for a Stripe intent status; None when it says nothing new (not yet tried)."""
    stripe_status = intent.get("status")
    if stripe_status == "succeeded":
        return PaymentStatus.COMPLETED
    if stripe_status == "canceled":
        return PaymentStatus.CANCELED
    if stripe_status == "requires_action":
        return PaymentStatus.REQUIRES_ACTION
    if stripe_status == "requires_capture":
        return PaymentStatus.AUTHORIZED
    if stripe_status == "processing":
        return PaymentStatus.PROCESSING
    if stripe_status == "requires_payment_method" and intent.get("last_payment_error"):
        return PaymentStatus.FAILED
    return None


def plan_intent_update(payment: Payment, intent: Mapping[str, Any]) -> PlannedUpdate | None:
    """What applying `intent` changes on `payment`, or None when it changes nothing."""
    target = status_for_intent(intent)
    card = card_from_intent(intent)
    if payment.status is PaymentStatus.CANCELED and target is PaymentStatus.COMPLETED:
        recovered: dict[str, Any] = {
            "status": target.value,
            "failure": None,
            **_captured_fields(intent),
        }
        if card is not None:
            recovered["card"] = card.model_dump()
        return PlannedUpdate(fields=recovered, status=target, reason=SUCCEEDED_AFTER_CANCEL)
    if target is PaymentStatus.CANCELED and not payment.intent_closed:
        if payment.status is PaymentStatus.CANCELED:
            return PlannedUpdate(fields={"intent_closed": True})
        if payment.status is not PaymentStatus.COMPLETED:
            return PlannedUpdate(
                fields={
                    "status": target.value,
                    "failure": None,
                    "intent_closed": True,
                    "amount_capturable_minor": 0,
                    "capture_requested_minor": None,
                    "cancellation_reason": _text(intent.get("cancellation_reason")),
                },
                status=target,
                reason=_text(intent.get("cancellation_reason")),
            )
    if payment.status is PaymentStatus.AUTHORIZED and target is PaymentStatus.AUTHORIZED:
        return _plan_authorization_news(payment, intent)
    if payment.status in FINAL_STATUSES or target is None:
        if payment.card is None and card is not None and target is payment.status:
            return PlannedUpdate(fields={"card": card.model_dump()})
        return None
    if target is PaymentStatus.FAILED:
        return _plan_failure(payment, intent)
    method = payment_method_id(intent)
    if target is PaymentStatus.COMPLETED:
        fields: dict[str, Any] = {
            "status": target.value,
            "failure": None,
            **_captured_fields(intent),
        }
    elif target is PaymentStatus.CANCELED:
        fields = {"status": target.value, "failure": None}
    else:
        if method is not None and method in payment.failed_payment_method_ids:
            return None  # a snapshot from before that card failed
        same_attempt = method is None or method == payment.attempt_payment_method_id
        if same_attempt and _RANK_WITHIN_ATTEMPT[target] <= _RANK_WITHIN_ATTEMPT[payment.status]:
            return None
        fields = {"status": target.value}
        if target is PaymentStatus.AUTHORIZED:
            fields.update(_authorized_fields(intent))
    if method is not None:
        fields["attempt_payment_method_id"] = method
    if card is not None:
        fields["card"] = card.model_dump()
    return PlannedUpdate(fields=fields, status=target)


def _plan_failure(payment: Payment, intent: Mapping[str, Any]) -> PlannedUpdate | None:
    failure = failure_from_intent(intent)
    if failure is None or payment.status is PaymentStatus.AUTHORIZED:
        return None
    method = failure.payment_method_id
    if method is None and payment.status is PaymentStatus.FAILED:
        return None
    if method is not None and method in payment.failed_payment_method_ids:
        return None  # this attempt's failure is already recorded
    fields: dict[str, Any] = {"status": PaymentStatus.FAILED.value, "failure": failure.model_dump()}
    if method is not None:
        fields["attempt_payment_method_id"] = method
        fields["failed_payment_method_ids"] = [*payment.failed_payment_method_ids, method]
    card = _card_of(_as_mapping((intent.get("last_payment_error") or {}).get("payment_method")))
    if card is not None:
        fields["card"] = card.model_dump()
    return PlannedUpdate(
        fields=fields,
        status=PaymentStatus.FAILED,
        reason=failure.decline_code or failure.code,
    )


def _plan_authorization_news(payment: Payment, intent: Mapping[str, Any]) -> PlannedUpdate | None:
    """An authorization seen again: Stripe may say more exactly until when it holds."""
    fields: dict[str, Any] = {}
    expires_at = authorization_expiry(intent)
    if expires_at is not None and expires_at != payment.authorization_expires_at:
        fields["authorization_expires_at"] = expires_at
    capturable = intent.get("amount_capturable")
    if isinstance(capturable, int) and capturable != payment.amount_capturable_minor:
        fields["amount_capturable_minor"] = capturable
    return PlannedUpdate(fields=fields) if fields else None


def _captured_fields(intent: Mapping[str, Any]) -> dict[str, Any]:
    """What a succeeded intent took; an intent without the figure took its whole amount."""
    received = intent.get("amount_received")
    return {
        "amount_received_minor": received if isinstance(received, int) else None,
        "amount_capturable_minor": 0,
        "capture_requested_minor": None,
    }


def _authorized_fields(intent: Mapping[str, Any]) -> dict[str, Any]:
    capturable = intent.get("amount_capturable")
    expires_at = authorization_expiry(intent) or datetime.now(UTC) + AUTHORIZATION_VALIDITY
    return {
        "amount_capturable_minor": capturable if isinstance(capturable, int) else 0,
        "authorization_expires_at": expires_at,
    }


def authorization_expiry(intent: Mapping[str, Any]) -> datetime | None:
    """Until when Stripe lets the authorization be captured (`capture_before` on the card
    charge, present when the intent comes with `latest_charge` expanded)."""
    charge = _as_mapping(intent.get("latest_charge"))
    details = _as_mapping(_as_mapping(charge.get("payment_method_details")).get("card"))
    capture_before = details.get("capture_before")
    if isinstance(capture_before, int):
        return datetime.fromtimestamp(capture_before, UTC)
    return None


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def payment_method_id(intent: Mapping[str, Any]) -> str | None:
    method = intent.get("payment_method")
    if isinstance(method, str):
        return method
    if isinstance(method, Mapping) and isinstance(method.get("id"), str):
        return str(method["id"])
    return None


def card_from_intent(intent: Mapping[str, Any]) -> Card | None:
    """Brand and last 4 digits, when the intent carries them (an expanded method or charge)."""
    card = _card_of(_as_mapping(intent.get("payment_method")))
    if card is not None:
        return card
    charge = _as_mapping(intent.get("latest_charge"))
    details = _as_mapping(charge.get("payment_method_details"))
    return _card_fields(_as_mapping(details.get("card")))


def card_from_payment_method(payment_method: Mapping[str, Any]) -> Card | None:
    return _card_of(payment_method)


def failure_from_intent(intent: Mapping[str, Any]) -> Failure | None:
    error = _as_mapping(intent.get("last_payment_error"))
    if not error:
        return None
    method = _as_mapping(error.get("payment_method"))
    return Failure(
        code=str(error.get("code") or error.get("type") or "payment_failed"),
        message=str(error.get("message") or "The payment failed."),
        decline_code=error.get("decline_code")
        if isinstance(error.get("decline_code"), str)
        else None,
        payment_method_id=method.get("id") if isinstance(method.get("id"), str) else None,
    )


def _card_of(payment_method: Mapping[str, Any]) -> Card | None:
    return _card_fields(_as_mapping(payment_method.get("card")))


def _card_fields(card: Mapping[str, Any]) -> Card | None:
    brand, last4 = card.get("brand"), card.get("last4")
    if not isinstance(brand, str) and not isinstance(last4, str):
        return None
    return Card(
        brand=brand if isinstance(brand, str) else None,
        last4=last4 if isinstance(last4, str) else None,
    )


def _as_mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}
