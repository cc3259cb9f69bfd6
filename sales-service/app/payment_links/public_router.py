"""The public endpoints of a payment link: no ERP sign-in, the token in the path is the only
credential. Every answer is `Cache-Control: no-store` (one holds a client secret), and the
token is never logged (see `app.core.request_id`)."""

from fastapi import APIRouter, Request, Response

from app.core.errors import error_responses
from app.core.json_route import DecimalJSONRoute
from app.core.money import from_minor
from app.payment_links.dependencies import PaymentLinkCheckoutDep
from app.payment_links.public_schemas import PayIntent, PayLinkView
from app.stripe_config.router import config_service

router = APIRouter(
    prefix="/api/v1/pay", tags=["payment links (public)"], route_class=DecimalJSONRoute
)
NOT_STORED = {"Cache-Control": "no-store"}
STRIPE_ERRORS = (502, 503)


@router.get(
    "/{token}",
    summary="What a payment link asks for (no authentication)",
    description="Unknown, expired and revoked links are all the same 404.",
    responses=error_responses(404, 422, 500, *STRIPE_ERRORS),
)
async def get_payment_link(
    token: str, request: Request, response: Response, checkout: PaymentLinkCheckoutDep
) -> PayLinkView:
    response.headers.update(NOT_STORED)
    view = await checkout.view(token)
    return PayLinkView.of(view, await config_service(request).get())


@router.post(
    "/{token}/intent",
    summary="The client secret for exactly the link's amount (the same one on every call)",
    responses=error_responses(
        404,
        409,
        422,
        500,
        *STRIPE_ERRORS,
        beyond_schema=("amount_too_small", "amount_too_large", "stripe_rejected"),
    ),
)
async def start_link_payment(
    token: str, response: Response, checkout: PaymentLinkCheckoutDep
) -> PayIntent:
    response.headers.update(NOT_STORED)
    payment = await checkout.start(token)
    assert payment.client_secret is not None  # noqa: S101 - ensured by the checkout
    return PayIntent(
        client_secret=payment.client_secret,
        amount=from_minor(payment.amount_minor, payment.currency),
        amount_minor=payment.amount_minor,
        currency=payment.currency,
        payment_status=payment.status,
    )


@router.post(
    "/{token}/confirm",
    summary="Record what Stripe says after the browser confirmed, and answer the link",
    responses=error_responses(404, 422, 500, *STRIPE_ERRORS),
)
async def confirm_link_payment(
    token: str, request: Request, response: Response, checkout: PaymentLinkCheckoutDep
) -> PayLinkView:
    response.headers.update(NOT_STORED)
    view = await checkout.confirm(token)
    return PayLinkView.of(view, await config_service(request).get())
