"""HTTP endpoint for refunding a card payment, fully or in part."""

from fastapi import APIRouter, Response

from app.core.auth import RefundsWrite
from app.core.errors import error_responses
from app.core.idempotency import IdempotencyKey
from app.core.json_route import DecimalJSONRoute
from app.refund_records.schemas import RefundRead
from app.refunds.dependencies import RefundServiceDep
from app.refunds.schemas import RefundCreate

router = APIRouter(prefix="/api/v1/payments/stripe", tags=["refunds"], route_class=DecimalJSONRoute)


@router.post(
    "/refund/{payment_id}",
    status_code=201,
    summary="Refund a completed payment, fully or in part",
    responses=error_responses(
        401,
        403,
        404,
        409,
        422,
        500,
        502,
        503,
        beyond_schema=("decimal_places", "amount_not_chargeable", "amount_too_large"),
    ),
)
async def create_refund(
    payment_id: str,
    body: RefundCreate,
    principal: RefundsWrite,
    service: RefundServiceDep,
    response: Response,
    idempotency_key: IdempotencyKey = None,
) -> RefundRead:
    created = await service.create(payment_id, body, principal, idempotency_key)
    if created.replayed:
        response.headers["Idempotent-Replayed"] = "true"
    return RefundRead.from_refund(created.refund)
