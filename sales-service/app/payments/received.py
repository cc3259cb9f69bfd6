"""An intent of ours that Stripe charged for another amount than the payment asked (the intent
was updated at Stripe): the payment records what Stripe received, so the order is never paid for
more than that, and its history says why, which lists it for a person."""

from app.payments.intent_checks import AmountChanged
from app.payments.models import Payment, PaymentStatus
from app.payments.transitions import PlannedUpdate

AMOUNT_CHANGED_AT_STRIPE = "amount_changed_at_stripe"


def plan_amount_changed(payment: Payment, change: AmountChanged) -> PlannedUpdate | None:
    if payment.status is PaymentStatus.COMPLETED:
        if payment.amount_minor == change.received_minor:
            return None
        return PlannedUpdate(fields={"amount_minor": change.received_minor})
    return PlannedUpdate(
        fields={
            "status": PaymentStatus.COMPLETED.value,
            "failure": None,
            "amount_minor": change.received_minor,
            "amount_requested_minor": change.requested_minor,
        },
        status=PaymentStatus.COMPLETED,
        reason=AMOUNT_CHANGED_AT_STRIPE,
    )
