"""HTTP endpoints for sales orders."""

from typing import Annotated

from fastapi import APIRouter, Query, Response

from app.core.auth import OrdersRead, OrdersWrite
from app.core.errors import error_responses
from app.core.idempotency import IdempotencyKey
from app.core.json_route import DecimalJSONRoute
from app.core.pagination import Page, PageParams
from app.orders.dependencies import OrderServiceDep
from app.orders.schemas import OrderCreate, OrderFilters, OrderRead, PaymentStatus

router = APIRouter(prefix="/api/v1/orders", tags=["orders"], route_class=DecimalJSONRoute)


@router.post(
    "",
    status_code=201,
    summary="Create a sales order",
    responses=error_responses(
        401,
        403,
        409,
        422,
        500,
        503,
        beyond_schema=("decimal_places", "amount_not_chargeable", "amount_too_large"),
    ),
)
async def create_order(
    body: OrderCreate,
    principal: OrdersWrite,
    service: OrderServiceDep,
    response: Response,
    idempotency_key: IdempotencyKey = None,
) -> OrderRead:
    created = await service.create(body, principal, idempotency_key)
    response.headers["Location"] = f"{router.prefix}/{created.order.id}"
    if created.replayed:
        response.headers["Idempotent-Replayed"] = "true"
    return OrderRead.from_order(created.order)


@router.get(
    "",
    summary="List orders, newest first",
    responses=error_responses(401, 403, 422, 500, 503),
)
async def list_orders(
    principal: OrdersRead,
    service: OrderServiceDep,
    page: PageParams,
    payment_status: PaymentStatus | None = None,
    customer_id: Annotated[str | None, Query(min_length=1, max_length=64)] = None,
    q: Annotated[
        str | None,
        Query(
            min_length=1,
            max_length=32,
            pattern=r"^[A-Za-z0-9-]+$",
            description="Part of the order number, e.g. `000123` or `ord-2026`",
        ),
    ] = None,
) -> Page[OrderRead]:
    filters = OrderFilters(
        payment_status=payment_status,
        customer_id=customer_id,
        number_contains=q.upper() if q else None,
    )
    orders, total = await service.list(filters, page)
    return Page[OrderRead](
        items=[OrderRead.from_order(order) for order in orders],
        total=total,
        page=page.page,
        page_size=page.page_size,
    )


@router.get(
    "/{order_id}",
    summary="Get one order",
    responses=error_responses(401, 403, 404, 422, 500, 503),
)
async def get_order(order_id: str, principal: OrdersRead, service: OrderServiceDep) -> OrderRead:
    return OrderRead.from_order(await service.get(order_id))
