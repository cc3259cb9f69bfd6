"""Builds the order service per request from the shared database handle."""

from typing import Annotated

from fastapi import Depends

from app.core.idempotency import IdempotencyStore
from app.infra.mongo import Database
from app.orders.repository import OrderRepository
from app.orders.service import OrderService


def get_order_service(database: Database) -> OrderService:
    return OrderService(OrderRepository(database), IdempotencyStore(database))


OrderServiceDep = Annotated[OrderService, Depends(get_order_service)]
