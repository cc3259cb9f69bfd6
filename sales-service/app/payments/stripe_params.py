"""The PaymentIntent we ask Stripe for, built from the payment record alone.

Built only from stored fields, so a retry with the same idempotency key (the payment id) always
sends the very same parameters, as Stripe requires for a replay.
"""

from typing import Any

from app.payments.models import CaptureMethod, Payment

# Asked with every intent we apply: the card's brand and last 4 (`payment_method`) and the
# authorization's `capture_before` (on `latest_charge`).
INTENT_EXPAND = ("payment_method", "latest_charge")


def intent_create_params(payment: Payment) -> dict[str, Any]:
    params: dict[str, Any] = {
        "amount": payment.amount_minor,
        "currency": payment.currency,
        "automatic_payment_methods": {"enabled": True},
        "description": payment.description or f"Payment for order {payment.order_number}",
        "metadata": {
            "order_id": payment.order_id,
            "order_number": payment.order_number,
            "payment_id": payment.id,
            "customer_id": payment.customer_id,
        },
    }
    if payment.receipt_email:
        params["receipt_email"] = payment.receipt_email
    if payment.capture_method is CaptureMethod.MANUAL:
        params["capture_method"] = "manual"
    return params


def cancel_idempotency_key(payment: Payment) -> str:
    return f"{payment.id}:cancel"


def stray_cancel_idempotency_key(payment: Payment, intent_id: str) -> str:
    """For canceling an intent that names the payment but is not on it (see `stray_intents`)."""
    return f"{payment.id}:cancel:{intent_id}"


def capture_idempotency_key(payment: Payment, amount_minor: int) -> str:
    """One key per amount: Stripe replays a refused capture for its key, so asking again for
    another amount after a refusal must be a new request."""
    return f"{payment.id}:capture:{amount_minor}"
