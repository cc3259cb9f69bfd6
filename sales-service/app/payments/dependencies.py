"""Builds the payment service from the application state: per request, or for background work
(the webhook inbox sweep) where there is no request."""

from typing import Annotated

from fastapi import Depends, Request
from starlette.datastructures import State

from app.audit.repository import AuditRepository
from app.audit.service import AuditLog
from app.core.idempotency import IdempotencyStore
from app.infra.stripe_gateway import StripeGateway
from app.orders.repository import OrderRepository
from app.payments.disputes import DisputeSync
from app.payments.intent_creation import IntentCreation
from app.payments.intent_sync import IntentSync
from app.payments.order_totals import OrderTotals
from app.payments.repository import PaymentRepository
from app.payments.service import PaymentService
from app.refunds.repository import RefundRepository


def build_payment_service(state: State) -> PaymentService:
    database = state.database
    stripe: StripeGateway = state.stripe
    payments = PaymentRepository(database)
    orders = OrderRepository(database)
    audit = AuditLog(AuditRepository(database))
    totals = OrderTotals(payments, orders, audit)
    sync = IntentSync(payments, totals, audit, stripe)
    creation = IntentCreation(payments, orders, sync, IdempotencyStore(database), audit, stripe)
    return PaymentService(
        payments,
        RefundRepository(database),
        creation,
        sync,
        DisputeSync(payments, totals, audit),
        stripe,
        state.settings.stripe_publishable_key,
    )


def get_payment_service(request: Request) -> PaymentService:
    return build_payment_service(request.app.state)


PaymentServiceDep = Annotated[PaymentService, Depends(get_payment_service)]
