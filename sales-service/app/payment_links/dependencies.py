"""Builds the payment-link services per request from the application state."""

from typing import Annotated

from fastapi import Depends, Request

from app.audit.repository import AuditRepository
from app.audit.service import AuditLog
from app.core.idempotency import IdempotencyStore
from app.core.settings import Settings
from app.infra.mailer import Mailer
from app.infra.stripe_errors import StripeFailure
from app.orders.repository import OrderRepository
from app.payment_links.checkout import PaymentLinkCheckout
from app.payment_links.link_audit import LinkAudit
from app.payment_links.repository import PaymentLinkRepository
from app.payment_links.service import PaymentLinkService
from app.payments.dependencies import build_intent_creation, build_payment_service
from app.payments.repository import PaymentRepository
from app.stripe_config.router import config_service


def build_mailer(settings: Settings) -> Mailer | None:
    if settings.smtp_url is None:
        return None
    return Mailer(settings.smtp_url.get_secret_value(), settings.smtp_from)


def get_payment_link_service(request: Request) -> PaymentLinkService:
    state = request.app.state
    database = state.database
    stripe_config = config_service(request)

    async def merchant_name() -> str | None:
        """Best effort: a mail without the merchant's name beats no mail."""
        try:
            return (await stripe_config.get()).account.display_name
        except StripeFailure:
            return None

    return PaymentLinkService(
        PaymentLinkRepository(database),
        OrderRepository(database),
        PaymentRepository(database),
        build_payment_service(state),
        IdempotencyStore(database),
        LinkAudit(AuditLog(AuditRepository(database))),
        public_base_url=state.settings.public_base_url,
        mailer=build_mailer(state.settings),
        merchant_name=merchant_name,
    )


def get_payment_link_checkout(request: Request) -> PaymentLinkCheckout:
    state = request.app.state
    database = state.database
    return PaymentLinkCheckout(
        PaymentLinkRepository(database),
        OrderRepository(database),
        PaymentRepository(database),
        build_intent_creation(state),
        build_payment_service(state),
    )


PaymentLinkServiceDep = Annotated[PaymentLinkService, Depends(get_payment_link_service)]
PaymentLinkCheckoutDep = Annotated[PaymentLinkCheckout, Depends(get_payment_link_checkout)]
