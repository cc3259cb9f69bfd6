"""The payment-link services for a request, from the composition root."""

from typing import Annotated

from fastapi import Depends, Request

from app.composition import services
from app.payment_links.checkout import PaymentLinkCheckout
from app.payment_links.service import PaymentLinkService


async def get_payment_link_service(request: Request) -> PaymentLinkService:
    return services(request.app.state).payment_links


async def get_payment_link_checkout(request: Request) -> PaymentLinkCheckout:
    return services(request.app.state).link_checkout


PaymentLinkServiceDep = Annotated[PaymentLinkService, Depends(get_payment_link_service)]
PaymentLinkCheckoutDep = Annotated[PaymentLinkCheckout, Depends(get_payment_link_checkout)]
