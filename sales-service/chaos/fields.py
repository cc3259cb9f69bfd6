"""The one place that knows our documents' and Stripe's field names (they evolve; change here).

Each function turns one MongoDB document, API answer or Stripe object into a `chaos.world`
value. The workload tags each logical request (a create-intent's `description`, a refund's
`notes`, which Stripe gets as `metadata.notes`) so the checker can count effects per request.
"""

from typing import Any

from chaos.world import (
    DisputeItem,
    LedgerItem,
    OurOrder,
    OurPayment,
    OurRefund,
    StripeDispute,
    StripeIntent,
    StripeRefund,
)

TAG_PREFIX = "chaos-request:"
ORDERS = "orders"
PAYMENTS = "payments"
REFUNDS = "refunds"
INBOX = "webhook_events"
INBOX_PROCESSED = {"state": "processed"}
PENDING_REFUND = {"status": "pending"}
RESERVED_PAYMENT = {"refund_reserved_minor": {"$gt": 0}}


def tag(request_id: str) -> str:
    return f"{TAG_PREFIX}{request_id}"


def _tag_of(text: Any) -> str | None:
    return text if isinstance(text, str) and text.startswith(TAG_PREFIX) else None


def order(document: dict[str, Any], served: dict[str, Any] | None = None) -> OurOrder:
    return OurOrder(
        id=str(document["_id"]),
        total_minor=int(document["total_minor"]),
        amount_paid_minor=int(document.get("amount_paid_minor", 0)),
        amount_refunded_minor=int(document.get("amount_refunded_minor", 0)),
        payment_status=str(document.get("payment_status")),
        amount_authorized_minor=int(document.get("amount_authorized_minor") or 0),
        served_outstanding_minor=int(served["outstanding_minor"]) if served else None,
        served_amount_paid_minor=int(served["amount_paid_minor"]) if served else None,
    )


def payment(document: dict[str, Any], served: dict[str, Any] | None = None) -> OurPayment:
    ledger = {
        str(refund_id): LedgerItem(int(entry["amount_minor"]), str(entry["state"]))
        for refund_id, entry in (document.get("refund_ledger") or {}).items()
    }
    disputes = {
        str(dispute_id): DisputeItem(str(entry["status"]), int(entry.get("amount_minor", 0)))
        for dispute_id, entry in (document.get("disputes") or {}).items()
    }
    return OurPayment(
        id=str(document["_id"]),
        order_id=str(document["order_id"]),
        amount_minor=int(document["amount_minor"]),
        status=str(document["status"]),
        payment_intent_id=document.get("payment_intent_id"),
        amount_refunded_minor=int(document.get("amount_refunded_minor", 0)),
        refund_reserved_minor=int(document.get("refund_reserved_minor", 0)),
        ledger=ledger,
        disputes=disputes,
        request_tag=_tag_of(document.get("description")),
        served_refundable_minor=int(served["refundable_minor"]) if served else None,
        amount_received_minor=_int_or_none(document.get("amount_received_minor")),
        amount_capturable_minor=int(document.get("amount_capturable_minor") or 0),
        capture_requested_minor=_int_or_none(document.get("capture_requested_minor")),
    )


def _int_or_none(value: Any) -> int | None:
    return int(value) if value is not None else None


def refund(document: dict[str, Any]) -> OurRefund:
    return OurRefund(
        id=str(document["_id"]),
        payment_id=str(document["payment_id"]),
        amount_minor=int(document["amount_minor"]),
        status=str(document["status"]),
        stripe_refund_id=document.get("stripe_refund_id"),
        request_tag=_tag_of(document.get("notes")),
    )


def stripe_intent(intent: dict[str, Any]) -> StripeIntent:
    metadata = intent.get("metadata") or {}
    return StripeIntent(
        id=str(intent["id"]),
        amount=int(intent["amount"]),
        status=str(intent["status"]),
        payment_id=metadata.get("payment_id"),
        order_id=metadata.get("order_id"),
        latest_charge=intent.get("latest_charge"),
        amount_received=int(intent.get("amount_received") or 0),
        amount_capturable=int(intent.get("amount_capturable") or 0),
    )


def stripe_refund(refund: dict[str, Any]) -> StripeRefund:
    metadata = refund.get("metadata") or {}
    return StripeRefund(
        id=str(refund["id"]),
        payment_intent=refund.get("payment_intent"),
        amount=int(refund["amount"]),
        status=str(refund["status"]),
        refund_id=metadata.get("refund_id"),
        request_tag=_tag_of(metadata.get("notes")),
    )


def stripe_dispute(dispute: dict[str, Any]) -> StripeDispute:
    return StripeDispute(
        id=str(dispute["id"]),
        charge=str(dispute["charge"]),
        amount=int(dispute["amount"]),
        status=str(dispute["status"]),
    )
