"""Documents shaped as the service stores them (see app/orders/service.py,
app/payments/intent_creation.py and app/webhooks/service.py), for seeding the database directly.

Seeded records are settled: a paid order with its completed payment, or an unpaid order whose
payment was canceled, and processed webhook events. Nothing seeded is pending, so no background
job has work to do because of them and the figures measure the requests, not a catch-up.
"""

import json
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

Document = dict[str, Any]
SEEDED_BY = "bench-seed"
SEEDED_CUSTOMER = "cus_bench_seeded"
UNIT_PRICE_MINOR = 2500
PAID_SHARE_PERCENT = 80  # of seeded orders; the rest are unpaid with a canceled payment


def order(
    number: str, created_at: datetime, *, paid: bool, created_by: str = SEEDED_BY
) -> Document:
    total = UNIT_PRICE_MINOR
    return {
        "_id": f"ord_{uuid.uuid4().hex}",
        "number": number,
        "customer_id": SEEDED_CUSTOMER,
        "currency": "usd",
        "lines": [
            {
                "sku": "BENCH",
                "description": "Bench item",
                "quantity": 1,
                "unit_price_minor": UNIT_PRICE_MINOR,
                "total_minor": total,
            }
        ],
        "notes": None,
        "total_minor": total,
        "amount_paid_minor": total if paid else 0,
        "amount_refunded_minor": 0,
        "payment_status": "paid" if paid else "unpaid",
        "version": 1 if paid else 0,
        "created_by": created_by,
        "created_at": created_at,
        "updated_at": created_at + timedelta(minutes=2) if paid else created_at,
    }


def payment(order_document: Document, *, paid: bool) -> Document:
    """The order's one payment, over: completed (paid order) or canceled (unpaid order)."""
    payment_id = f"pay_{uuid.uuid4().hex}"
    started: datetime = order_document["created_at"] + timedelta(minutes=1)
    ended = started + timedelta(minutes=1)
    status = "completed" if paid else "canceled"
    actor = {"type": "stripe", "id": "stripe"} if paid else {"type": "user", "id": SEEDED_BY}
    return {
        "_id": payment_id,
        "order_id": order_document["_id"],
        "order_number": order_document["number"],
        "customer_id": order_document["customer_id"],
        "amount_minor": order_document["total_minor"],
        "currency": order_document["currency"],
        "description": None,
        "receipt_email": None,
        "status": status,
        "open_order_key": payment_id,  # over: no longer holds its order's open slot
        "payment_intent_id": f"pi_seed{uuid.uuid4().hex[:20]}",
        "client_secret": f"pi_seed_secret_{uuid.uuid4().hex[:24]}",
        "card": {"brand": "visa", "last4": "4242"} if paid else None,
        "failure": None,
        "attempt_payment_method_id": None,
        "failed_payment_method_ids": [],
        "amount_refunded_minor": 0,
        "refund_reserved_minor": 0,
        "refund_ledger": {},
        "disputes": {},
        "history": [{"from_status": "pending", "to_status": status, "at": ended, "actor": actor}],
        "stripe_problem": None,
        "version": 2,
        "created_by": SEEDED_BY,
        "created_at": started,
        "updated_at": ended,
    }


def webhook_event(index: int, received_at: datetime) -> Document:
    """A processed `payment_intent.succeeded` with a Stripe-sized payload (~2 KB)."""
    event_id = f"evt_seed{index:08d}{uuid.uuid4().hex[:12]}"
    intent_id = f"pi_seed{uuid.uuid4().hex[:20]}"
    created = int(received_at.timestamp())
    payload = json.dumps(
        {
            "id": event_id,
            "object": "event",
            "api_version": "2026-10-28.endive",
            "created": created,
            "data": {"object": _intent(intent_id, created)},
            "livemode": False,
            "pending_webhooks": 1,
            "request": {"id": f"req_{uuid.uuid4().hex[:14]}", "idempotency_key": None},
            "type": "payment_intent.succeeded",
        }
    )
    processed_at = received_at + timedelta(milliseconds=40)
    return {
        "_id": event_id,
        "type": "payment_intent.succeeded",
        "object_id": intent_id,
        "livemode": False,
        "created": datetime.fromtimestamp(created, UTC),
        "payload": payload,
        "received_at": received_at,
        "state": "processed",
        "outcome": "applied",
        "processed_at": processed_at,
        "attempts": 1,
        "last_error": None,
        "next_attempt_at": received_at,
        "lease_owner": None,
        "lease_until": processed_at,
    }


def _intent(intent_id: str, created: int) -> Document:
    payment_method = f"pm_{uuid.uuid4().hex[:24]}"
    return {
        "id": intent_id,
        "object": "payment_intent",
        "amount": UNIT_PRICE_MINOR,
        "amount_capturable": 0,
        "amount_received": UNIT_PRICE_MINOR,
        "automatic_payment_methods": {"allow_redirects": "always", "enabled": True},
        "capture_method": "automatic",
        "client_secret": f"{intent_id}_secret_{uuid.uuid4().hex[:24]}",
        "confirmation_method": "automatic",
        "created": created,
        "currency": "usd",
        "customer": None,
        "description": None,
        "last_payment_error": None,
        "latest_charge": f"ch_{uuid.uuid4().hex[:24]}",
        "livemode": False,
        "metadata": {
            "order_id": f"ord_{uuid.uuid4().hex}",
            "order_number": "ORD-2026-000000",
            "payment_id": f"pay_{uuid.uuid4().hex}",
            "source": "erp-sales-service",
        },
        "next_action": None,
        "payment_method": {
            "id": payment_method,
            "object": "payment_method",
            "billing_details": {"address": None, "email": None, "name": None, "phone": None},
            "card": {
                "brand": "visa",
                "checks": {
                    "address_line1_check": None,
                    "address_postal_code_check": None,
                    "cvc_check": "pass",
                },
                "country": "US",
                "exp_month": 12,
                "exp_year": 2034,
                "fingerprint": uuid.uuid4().hex[:16],
                "funding": "credit",
                "last4": "4242",
                "networks": {"available": ["visa"], "preferred": None},
                "three_d_secure_usage": {"supported": True},
            },
            "created": created,
            "livemode": False,
            "type": "card",
        },
        "payment_method_options": {
            "card": {"installments": None, "network": None, "request_three_d_secure": "automatic"}
        },
        "payment_method_types": ["card"],
        "receipt_email": None,
        "setup_future_usage": None,
        "shipping": None,
        "statement_descriptor": None,
        "status": "succeeded",
    }
