"""Builds the payment service from the application state: per request, or for background work
(the webhook inbox sweep) where there is no request."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Annotated

from fastapi import Depends, Request
from starlette.datastructures import State

from app.audit.repository import AuditRepository
from app.audit.service import AuditLog
from app.core.idempotency import IdempotencyStore
from app.core.periodic import PeriodicTask
from app.infra.stripe_gateway import StripeGateway
from app.orders.repository import OrderRepository
from app.payments.capture import PaymentCapture
from app.payments.disputes import DisputeSync
from app.payments.intent_creation import IntentCreation
from app.payments.intent_sync import IntentSync
from app.payments.order_totals import OrderTotals
from app.payments.repair import PaymentRepair, start_payment_repair
from app.payments.repository import PaymentRepository
from app.payments.service import PaymentService
from app.refunds.repository import RefundRepository


@dataclass(frozen=True)
class _Parts:
    payments: PaymentRepository
    orders: OrderRepository
    audit: AuditLog
    totals: OrderTotals
    sync: IntentSync
    creation: IntentCreation
    capture: PaymentCapture


def _parts(state: State) -> _Parts:
    database = state.database
    stripe: StripeGateway = state.stripe
    payments = PaymentRepository(database)
    orders = OrderRepository(database)
    audit = AuditLog(AuditRepository(database))
    settings = state.settings
    totals = OrderTotals(payments, orders, audit)
    sync = IntentSync(
        payments, totals, audit, stripe, timedelta(seconds=settings.payment_check_delay_seconds)
    )
    idempotency = IdempotencyStore(database)
    creation = IntentCreation(
        payments,
        orders,
        sync,
        idempotency,
        audit,
        stripe,
        timedelta(seconds=settings.intentless_grace_seconds),
    )
    capture = PaymentCapture(payments, sync, idempotency, audit, stripe)
    return _Parts(payments, orders, audit, totals, sync, creation, capture)


def build_intent_creation(state: State) -> IntentCreation:
    """For records that start payments of their own (payment links)."""
    return _parts(state).creation


def build_payment_repair(
    state: State, clock: Callable[[], datetime] = lambda: datetime.now(UTC)
) -> PaymentRepair:
    parts = _parts(state)
    return PaymentRepair(
        parts.payments,
        parts.orders,
        parts.creation,
        parts.sync,
        parts.totals,
        parts.capture,
        state.stripe,
        clock,
        timedelta(hours=state.settings.abandoned_intent_after_hours),
    )


def start_background_repair(state: State) -> PeriodicTask | None:
    interval = state.settings.payment_repair_interval_seconds
    if interval <= 0:
        return None
    return start_payment_repair(build_payment_repair(state), interval)


def build_payment_service(state: State) -> PaymentService:
    parts = _parts(state)
    return PaymentService(
        parts.payments,
        RefundRepository(state.database),
        parts.creation,
        parts.sync,
        parts.capture,
        DisputeSync(parts.payments, parts.totals, parts.audit),
        state.stripe,
        state.settings.stripe_publishable_key,
    )


def get_payment_service(request: Request) -> PaymentService:
    return build_payment_service(request.app.state)


PaymentServiceDep = Annotated[PaymentService, Depends(get_payment_service)]
