"""HTTP endpoints for an order's payment links (ERP staff and services)."""

from fastapi import APIRouter, Response

from app.core.auth import PaymentsRead, PaymentsWrite
from app.core.errors import error_responses
from app.core.idempotency import IdempotencyKey
from app.core.json_route import DecimalJSONRoute
from app.payment_links.dependencies import PaymentLinkServiceDep
from app.payment_links.schemas import CreatePaymentLinkRequest, PaymentLinkRead

router = APIRouter(
    prefix="/api/v1/orders/{order_id}/payment-links",
    tags=["payment links"],
    route_class=DecimalJSONRoute,
)


@router.post(
    "",
    status_code=201,
    summary="Make a link the customer opens to pay (part of) the order",
    description=(
        "The answer holds the link's `url`, which is shown only here: a replay with the same "
        "`Idempotency-Key` answers the same link with `url: null`. With `email` and SMTP "
        "configured, the link is mailed to it once stored (`email_status`)."
    ),
    responses=error_responses(
        401,
        403,
        404,
        409,
        422,
        500,
        503,
        beyond_schema=(
            "amount_exceeds_outstanding",
            "decimal_places",
            "amount_not_chargeable",
            "amount_too_large",
        ),
    ),
)
async def create_payment_link(
    order_id: str,
    body: CreatePaymentLinkRequest,
    principal: PaymentsWrite,
    service: PaymentLinkServiceDep,
    response: Response,
    idempotency_key: IdempotencyKey = None,
) -> PaymentLinkRead:
    created = await service.create(order_id, body, principal, idempotency_key)
    if created.replayed:
        response.headers["Idempotent-Replayed"] = "true"
    return PaymentLinkRead.of(created.link, created.payment, service.now, created.url)


@router.get(
    "",
    summary="The order's payment links, newest first, with their state",
    responses=error_responses(401, 403, 404, 422, 500, 503),
)
async def list_payment_links(
    order_id: str, principal: PaymentsRead, service: PaymentLinkServiceDep
) -> list[PaymentLinkRead]:
    found = await service.list_for_order(order_id)
    now = service.now
    return [PaymentLinkRead.of(item.link, item.payment, now) for item in found]


@router.delete(
    "/{link_id}",
    summary="Revoke a link (idempotent); a payment under way through it is canceled",
    responses=error_responses(401, 403, 404, 409, 422, 500, 502, 503),
)
async def revoke_payment_link(
    order_id: str, link_id: str, principal: PaymentsWrite, service: PaymentLinkServiceDep
) -> PaymentLinkRead:
    revoked = await service.revoke(order_id, link_id, principal)
    return PaymentLinkRead.of(revoked.link, revoked.payment, service.now)
