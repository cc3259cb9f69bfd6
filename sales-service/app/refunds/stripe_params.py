"""The refund we ask Stripe for, and how Stripe's refund statuses and reasons map to ours.

Built only from stored fields, so a retry with the same idempotency key (the refund id) sends
the very same parameters. Stripe knows three reasons; our codes that fit one are mapped, the rest
are sent without a reason. Our code, the free-text reason and the notes always go in the
metadata, where finance can find them in the Stripe Dashboard too.
"""

from typing import Any

from app.payments.models import LedgerState, Payment
from app.refund_records.models import Refund, RefundReason, RefundStatus

STRIPE_REASON = {
    RefundReason.REQUESTED_BY_CUSTOMER: "requested_by_customer",
    RefundReason.ORDER_CANCELED: "requested_by_customer",
    RefundReason.PRODUCT_RETURNED: "requested_by_customer",
    RefundReason.PRODUCT_UNACCEPTABLE: "requested_by_customer",
    RefundReason.DUPLICATE: "duplicate",
    RefundReason.FRAUDULENT: "fraudulent",
}
OUR_REASON = {
    "requested_by_customer": RefundReason.REQUESTED_BY_CUSTOMER,
    "duplicate": RefundReason.DUPLICATE,
    "fraudulent": RefundReason.FRAUDULENT,
}
# Where the amount of a refund in each Stripe status sits on the payment.
LEDGER_STATE = {
    "pending": LedgerState.RESERVED,
    "requires_action": LedgerState.RESERVED,
    "succeeded": LedgerState.REFUNDED,
    "failed": LedgerState.RELEASED,
    "canceled": LedgerState.RELEASED,
}
METADATA_VALUE_LIMIT = 500


def refund_create_params(refund: Refund, payment: Payment) -> dict[str, Any]:
    metadata = {
        "refund_id": refund.id,
        "payment_id": payment.id,
        "order_id": payment.order_id,
        "reason_code": refund.reason_code.value,
        "requested_by": refund.requested_by[:METADATA_VALUE_LIMIT],
    }
    if refund.reason:
        metadata["reason"] = refund.reason[:METADATA_VALUE_LIMIT]
    if refund.notes:
        metadata["notes"] = refund.notes[:METADATA_VALUE_LIMIT]
    params: dict[str, Any] = {
        "payment_intent": payment.payment_intent_id,
        "amount": refund.amount_minor,
        "metadata": metadata,
    }
    stripe_reason = STRIPE_REASON.get(refund.reason_code)
    if stripe_reason is not None:
        params["reason"] = stripe_reason
    return params


def status_for_state(state: LedgerState, stripe_status: str | None) -> RefundStatus:
    if state is LedgerState.RESERVED:
        return RefundStatus.PENDING
    if state is LedgerState.REFUNDED:
        return RefundStatus.SUCCEEDED
    return RefundStatus.CANCELED if stripe_status == "canceled" else RefundStatus.FAILED
