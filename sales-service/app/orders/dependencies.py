"""The order service for a request, from the composition root."""

from typing import Annotated

from fastapi import Depends, Request

from app.composition import services
from app.orders.service import OrderService


async def get_order_service(request: Request) -> OrderService:
    return services(request.app.state).orders


OrderServiceDep = Annotated[OrderService, Depends(get_order_service)]
