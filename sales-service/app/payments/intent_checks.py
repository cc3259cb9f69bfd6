"""Whether an object Stripe returned (and the event that named it) still belongs to us.

Pure functions: a webhook is only a notice, so the intent, dispute or refund it names is fetched
from Stripe and checked here before anything moves. A `Rejection` moves no money and no status;
the event is stored, audited and listed for a person instead.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from app.core.errors import Conflict
from app.payments.models import CaptureMethod, Payment


class Reason(StrEnum):
    LIVEMODE_MISMATCH = "livemode_mismatch"
    FOREIGN_ACCOUNT = "foreign_account"
    UNKNOWN_AT_STRIPE = "unknown_at_stripe"
    EVENT_DIFFERS_FROM_STRIPE = "event_differs_from_stripe"
    INTENT_NOT_OURS = "intent_not_ours"
    AMOUNT_MISMATCH = "amount_mismatch"
    CURRENCY_MISMATCH = "currency_mismatch"
    DISPUTE_MISMATCH = "dispute_mismatch"
    REFUND_MISMATCH = "refund_mismatch"


@dataclass(frozen=True)
class Rejection:
    reason: Reason
    message: str
    payment_id: str | None = None
    order_id: str | None = None


class ObjectRejected(Conflict):
    """Raised by a sync when what Stripe returned (or the event) is not ours to apply. The
    webhook path records it for a person; a request that meets it gets a 409."""

    code = "stripe_object_mismatch"

    def __init__(self, rejection: Rejection) -> None:
        super().__init__(
            f"Stripe's object does not match this payment ({rejection.reason.value}): "
            f"{rejection.message}; nothing was changed."
        )
        self.rejection = rejection


@dataclass(frozen=True)
class AmountChanged:
    """The intent is ours, but Stripe took a different amount than the payment asked for (the
    intent was updated at Stripe): record what was received, and flag it."""

    requested_minor: int
    received_minor: int


@dataclass(frozen=True)
class StrayIntent:
    """An intent at Stripe whose metadata names this payment and its order, but which the
    payment cannot hold: it holds another, or it was closed without one (never sent to Stripe,
    or Stripe refused its own). Nobody can rightly pay through it, and no record of ours settles
    it: it is canceled at Stripe (I2, I4)."""

    message: str


# Fields an event's copy of an object must share with the object Stripe returns now.
_SETTLED_FIELDS = ("amount", "currency", "livemode", "payment_intent")


def check_envelope(
    *, livemode: bool, account: str | None, our_livemode: bool, our_account: str | None
) -> Rejection | None:
    """An event of the other mode, or naming another account, is not ours."""
    if livemode is not our_livemode:
        mode = "live" if livemode else "test"
        return Rejection(Reason.LIVEMODE_MISMATCH, f"a {mode}-mode event reached this service")
    if account is not None and account != our_account:
        return Rejection(Reason.FOREIGN_ACCOUNT, f"the event names account {account}")
    return None


def check_notice(notice: Mapping[str, Any], fetched: Mapping[str, Any]) -> Rejection | None:
    """The event's copy must not claim an amount, currency or mode Stripe's object lacks.

    A status may differ (the object moved on since); those fields never do for one object.
    """
    for name in _SETTLED_FIELDS:
        if name in notice and name in fetched and notice[name] != fetched[name]:
            return Rejection(
                Reason.EVENT_DIFFERS_FROM_STRIPE,
                f"the event says {name}={notice[name]!r}, Stripe says {fetched[name]!r}",
            )
    return None


def check_intent(
    payment: Payment, intent: Mapping[str, Any], *, our_livemode: bool
) -> Rejection | AmountChanged | StrayIntent | None:
    """None when the intent may be applied to the payment as it is."""

    def reject(reason: Reason, message: str) -> Rejection:
        return Rejection(reason, message, payment.id, payment.order_id)

    intent_id = intent.get("id")
    stored = payment.payment_intent_id is not None and payment.payment_intent_id == intent_id
    if not stored:
        binding = _metadata_binding(payment, intent)
        if isinstance(binding, StrayIntent):
            return binding
        if binding is not None:
            return reject(Reason.INTENT_NOT_OURS, binding)
    if bool(intent.get("livemode", False)) is not our_livemode:
        return reject(Reason.LIVEMODE_MISMATCH, "the intent is of the other mode")
    if intent.get("currency") != payment.currency:
        return reject(
            Reason.CURRENCY_MISMATCH,
            f"intent in {intent.get('currency')!r}, payment in {payment.currency!r}",
        )
    amount = intent.get("amount")
    received = intent.get("amount_received")
    succeeded = intent.get("status") == "succeeded"
    if amount == payment.amount_minor and (not succeeded or received in (None, amount)):
        return None
    partial_capture = (
        payment.capture_method is CaptureMethod.MANUAL
        and isinstance(received, int)
        and 0 < received <= payment.amount_minor
    )
    if amount == payment.amount_minor and partial_capture:
        return None  # Stripe released the rest
    if stored and succeeded and isinstance(received, int) and received >= 0:
        return AmountChanged(requested_minor=payment.amount_minor, received_minor=received)
    return reject(
        Reason.AMOUNT_MISMATCH, f"intent amount {amount!r}, payment amount {payment.amount_minor}"
    )


def check_dispute(
    payment: Payment, dispute: Mapping[str, Any], *, our_livemode: bool
) -> Rejection | None:
    """A dispute on our payment's intent, in its currency, for no more than it took."""

    def reject(message: str) -> Rejection:
        return Rejection(Reason.DISPUTE_MISMATCH, message, payment.id, payment.order_id)

    if bool(dispute.get("livemode", False)) is not our_livemode:
        return Rejection(
            Reason.LIVEMODE_MISMATCH, "the dispute is of the other mode", payment.id,
            payment.order_id,
        )  # fmt: skip
    if dispute.get("payment_intent") != payment.payment_intent_id:
        return reject("the dispute names another intent")
    if dispute.get("currency") != payment.currency:
        return reject(f"dispute in {dispute.get('currency')!r}, payment in {payment.currency!r}")
    amount = dispute.get("amount")
    taken = payment.amount_received_minor
    limit = payment.amount_minor if taken is None else taken
    if not isinstance(amount, int) or not 0 < amount <= limit:
        return reject(f"dispute amount {amount!r} for a payment that took {limit}")
    return None


def check_refund(payment: Payment, refund: Mapping[str, Any]) -> Rejection | None:
    """A refund Stripe holds that we have no record of (made in the Dashboard, or ours before
    its record was written): on our payment's intent, in its currency, of money it took."""

    def reject(message: str) -> Rejection:
        return Rejection(Reason.REFUND_MISMATCH, message, payment.id, payment.order_id)

    if refund.get("payment_intent") != payment.payment_intent_id:
        return reject("the refund names another intent")
    if payment.captured_minor <= 0:
        return reject(f"a refund on a payment that is {payment.status.value} here, not paid")
    if refund.get("currency") != payment.currency:
        return reject(f"refund in {refund.get('currency')!r}, payment in {payment.currency!r}")
    amount = refund.get("amount")
    if not isinstance(amount, int) or not 0 < amount <= payment.captured_minor:
        return reject(f"refund amount {amount!r} for a payment that took {payment.captured_minor}")
    return None


def _metadata_binding(payment: Payment, intent: Mapping[str, Any]) -> str | StrayIntent | None:
    """Why an intent found only by `metadata.payment_id` cannot be this payment's (or None).

    A payment without an intent takes the one its metadata names while it may still have one
    (a request that died after Stripe made it). One that cannot (it holds another, or was closed
    without one) makes the intent a stray, unless the intent took money: then exactly this
    payment's amount, on a payment holding none, is recorded on it (I5); anything else is for a
    person."""
    metadata = intent.get("metadata")
    order_id = metadata.get("order_id") if isinstance(metadata, Mapping) else None
    if payment.payment_intent_id is not None:
        why = "the payment already has another intent"
    elif payment.intent_closed or not payment.sent_to_stripe:
        why = "the payment was closed without an intent; no intent can be its"
    elif order_id != payment.order_id:
        return "the intent's metadata names another order"
    else:
        return None
    if order_id != payment.order_id:
        return f"{why}, and the intent's metadata names another order"
    if intent.get("status") != "succeeded":
        return StrayIntent(why)
    fits = intent.get("amount") == payment.amount_minor and (
        intent.get("currency") == payment.currency
    )
    if payment.payment_intent_id is None and fits:
        return None
    return why
