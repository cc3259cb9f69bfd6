"""Builds the refund service from the application state: per request, or for background work
(the webhook inbox sweep, the refund reconciler) where there is no request."""

from dataclasses import dataclass
from datetime import timedelta
from typing import Annotated

from fastapi import Depends, Request
from starlette.datastructures import State

from app.audit.repository import AuditRepository
from app.audit.service import AuditLog
from app.core.idempotency import IdempotencyStore
from app.core.periodic import PeriodicTask
from app.infra.stripe_gateway import StripeGateway
from app.orders.repository import OrderRepository
from app.payments.order_totals import OrderTotals
from app.payments.repository import PaymentRepository
from app.refunds.ledger import RefundLedger
from app.refunds.reconciler import RefundReconciler, start_background_reconciler
from app.refunds.repository import RefundRepository
from app.refunds.reservations import ReservationRepository
from app.refunds.service import RefundService
from app.refunds.sync import RefundSync


@dataclass(frozen=True)
class _RefundParts:
    """What both the refund service and the reconciler are built from, made once."""

    refunds: RefundRepository
    payments: PaymentRepository
    ledger: RefundLedger
    audit: AuditLog
    totals: OrderTotals
    sync: RefundSync


def _build_parts(state: State) -> _RefundParts:
    database = state.database
    stripe: StripeGateway = state.stripe
    refunds = RefundRepository(database)
    payments = PaymentRepository(database)
    ledger = RefundLedger(payments)
    audit = AuditLog(AuditRepository(database))
    totals = OrderTotals(payments, OrderRepository(database), audit)
    sync = RefundSync(refunds, payments, ledger, totals, audit, stripe)
    return _RefundParts(refunds, payments, ledger, audit, totals, sync)


def build_refund_service(state: State) -> RefundService:
    parts = _build_parts(state)
    return RefundService(
        parts.refunds,
        parts.payments,
        parts.ledger,
        parts.sync,
        IdempotencyStore(state.database),
        parts.audit,
        state.stripe,
    )


def build_refund_reconciler(state: State) -> RefundReconciler:
    parts = _build_parts(state)
    return RefundReconciler(
        parts.refunds,
        parts.payments,
        ReservationRepository(state.database),
        parts.ledger,
        parts.sync,
        parts.totals,
        state.stripe,
    )


def start_refund_reconciler(state: State) -> PeriodicTask | None:
    settings = state.settings
    if settings.refund_reconcile_interval_seconds <= 0:
        return None
    return start_background_reconciler(
        lambda: build_refund_reconciler(state),
        settings.refund_reconcile_interval_seconds,
        timedelta(seconds=settings.refund_stale_after_seconds),
    )


def get_refund_service(request: Request) -> RefundService:
    return build_refund_service(request.app.state)


RefundServiceDep = Annotated[RefundService, Depends(get_refund_service)]
