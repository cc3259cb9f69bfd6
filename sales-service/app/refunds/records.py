"""The refund documents we insert: one asked for here, one made in the Stripe Dashboard, and
one rebuilt from Stripe for a reservation whose record a crash never wrote."""

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from app.payments.models import LedgerEntry, Payment
from app.refund_records.models import (
    DASHBOARD_REQUESTER,
    RefundReason,
    RefundStatus,
    reason_code_of,
)
from app.refunds.stripe_params import OUR_REASON

Document = dict[str, Any]


def refund_document(
    refund_id: str,
    payment: Payment,
    amount_minor: int,
    *,
    reason: str | None,
    reason_code: str,
    notes: str | None,
    requested_by: str,
    stripe_refund_id: str | None = None,
) -> Document:
    now = datetime.now(UTC)
    return {
        "_id": refund_id,
        "payment_id": payment.id,
        "order_id": payment.order_id,
        "amount_minor": amount_minor,
        "currency": payment.currency,
        "status": RefundStatus.PENDING.value,
        "reason": reason,
        "reason_code": reason_code,
        "notes": notes,
        "stripe_refund_id": stripe_refund_id,
        "stripe_status": None,
        "requested_by": requested_by,
        "failure": None,
        "stripe_problem": None,
        "version": 0,
        "created_at": now,
        "updated_at": now,
    }


def foreign_document(
    refund_id: str, payment: Payment, stripe_refund: Mapping[str, Any]
) -> Document:
    """A refund made in Stripe itself: reason mapped back from Stripe's, no notes."""
    reason = stripe_refund.get("reason")
    ours = OUR_REASON.get(reason, RefundReason.OTHER) if isinstance(reason, str) else None
    document = refund_document(
        refund_id,
        payment,
        int(stripe_refund.get("amount") or 0),
        reason=None,
        reason_code=(ours or RefundReason.OTHER).value,
        notes=None,
        requested_by=DASHBOARD_REQUESTER,
        stripe_refund_id=str(stripe_refund["id"]),
    )
    document["currency"] = str(stripe_refund.get("currency") or payment.currency)
    return document


def orphan_document(
    refund_id: str, payment: Payment, entry: LedgerEntry, stripe_refund: Mapping[str, Any]
) -> Document:
    """Our own refund, found at Stripe by `metadata.refund_id`: what was asked is in the
    metadata we sent, the amount on the reservation."""
    metadata = stripe_refund.get("metadata") or {}
    reason = metadata.get("reason")
    reason = reason if isinstance(reason, str) else None
    code = metadata.get("reason_code")  # absent from refunds sent before free-text reasons
    code = code if code in RefundReason.__members__.values() else reason_code_of(reason).value
    notes = metadata.get("notes")
    return refund_document(
        refund_id,
        payment,
        entry.amount_minor,
        reason=reason,
        reason_code=str(code),
        notes=notes if isinstance(notes, str) else None,
        requested_by=str(metadata.get("requested_by") or "unknown"),
    )
