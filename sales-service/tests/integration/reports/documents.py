"""Payment and refund documents as the payments and refunds repositories store them.

Each one is checked against the stored models, so a change of the stored shape fails here
instead of leaving the statistics quietly counting nothing.
"""

import random
import uuid
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from app.payments.models import Payment
from app.refund_records.models import Refund

Document = dict[str, Any]
STRIPE = {"type": "stripe", "id": "stripe"}


def far_past_day() -> date:
    """A day no other test's records are created on, so a period holds only this test's."""
    return date(1990, 1, 1) + timedelta(days=random.randrange(0, 7000) * 3)  # noqa: S311


def at(day: date, hour: int = 12, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=UTC)


def step(to_status: str, moment: datetime, reason: str | None = None) -> Document:
    return {
        "from_status": None,
        "to_status": to_status,
        "at": moment,
        "actor": STRIPE,
        "reason": reason,
    }


def payment(
    *,
    created: datetime,
    status: str,
    amount_minor: int,
    currency: str = "usd",
    history: list[Document] | None = None,
    amount_refunded_minor: int = 0,
) -> Document:
    payment_id = f"pay_{uuid.uuid4().hex}"
    document: Document = {
        "_id": payment_id,
        "order_id": f"ord_{uuid.uuid4().hex}",
        "order_number": "ORD-2001-000001",
        "customer_id": "cus_reports",
        "amount_minor": amount_minor,
        "currency": currency,
        "status": status,
        "open_order_key": payment_id,
        "payment_intent_id": f"pi_{uuid.uuid4().hex[:24]}",
        "client_secret": None,
        "amount_refunded_minor": amount_refunded_minor,
        "refund_reserved_minor": 0,
        "refund_ledger": {},
        "disputes": {},
        "history": history or [],
        "version": len(history or []),
        "created_by": "demo-sales",
        "created_at": created,
        "updated_at": created,
    }
    Payment.from_document(document)
    return document


def refund(
    *,
    of: Document,
    created: datetime,
    amount_minor: int,
    status: str,
    reason: str | None = "requested_by_customer",
    reason_code: str | None = None,
) -> Document:
    """A refund as stored; without `reason_code`, as stored before free-text reasons."""
    document: Document = {
        "_id": f"ref_{uuid.uuid4().hex}",
        "payment_id": of["_id"],
        "order_id": of["order_id"],
        "amount_minor": amount_minor,
        "currency": of["currency"],
        "status": status,
        "reason": reason,
        "notes": None,
        "stripe_refund_id": f"re_{uuid.uuid4().hex[:24]}",
        "requested_by": "demo-finance",
        "version": 0,
        "created_at": created,
        "updated_at": created,
    }
    if reason_code is not None:
        document["reason_code"] = reason_code
    Refund.from_document(document)
    return document
