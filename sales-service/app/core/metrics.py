"""Prometheus metrics of the payment flows, served at /metrics (not routed by the gateway).

Per process: with several workers or replicas, Prometheus scrapes each and sums.
"""

from fastapi import APIRouter, Response
from prometheus_client import CONTENT_TYPE_LATEST, Counter, Gauge, Histogram, generate_latest

PAYMENTS_FINAL = Counter("erp_payments_final_total", "Payments reaching a final status", ["status"])
PAYMENT_DECLINES = Counter(
    "erp_payment_declines_total", "Declined payment attempts by decline code", ["code"]
)
THREE_D_SECURE = Counter(
    "erp_payment_3ds_total",
    "3D Secure challenges by stage",
    ["stage"],  # required | completed
)
PAYMENTS_RECOVERED = Counter(
    "erp_payments_recovered_total",
    "Money Stripe took on payments our records had given up (e.g. canceled here)",
    ["from_status"],
)
REFUNDS = Counter("erp_refunds_total", "Refunds by outcome", ["status"])
REFUNDED_MINOR = Counter(
    "erp_refunded_amount_minor_total", "Refunded amount in minor units", ["currency"]
)
WEBHOOK_EVENTS = Counter(
    "erp_webhook_events_total", "Webhook events by type and outcome", ["type", "outcome"]
)
EVENTS_REJECTED = Counter(
    "erp_stripe_events_rejected_total",
    "Stripe events that named an object not matching our records; nothing applied",
    ["type", "reason"],
)
EVENTS_SYNCED = Counter(
    "erp_stripe_events_synced_total",
    "Events the events sync found at Stripe that no webhook had delivered",
    ["type"],
)
STRIPE_CALL_SECONDS = Histogram(
    "erp_stripe_call_seconds",
    "Latency of calls to Stripe by operation",
    ["operation"],
    buckets=(0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
)
WEBHOOK_INBOX_BACKLOG = Gauge(
    "erp_webhook_inbox_backlog", "Stored webhook events not yet processed"
)

router = APIRouter(include_in_schema=False)


@router.get("/metrics")
async def metrics() -> Response:
    return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)
