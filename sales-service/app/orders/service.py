"""Order rules: pricing lines in minor units, numbering, idempotent creation, reads."""

import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from app.core.auth import Principal
from app.core.errors import ErrorDetail
from app.core.idempotency import IdempotencyStore, fingerprint
from app.core.money import MAX_AMOUNT_MINOR, MoneyError, to_minor
from app.core.pagination import PageRequest
from app.orders.errors import InvalidOrderAmounts, OrderNotFound
from app.orders.repository import OrderRepository
from app.orders.schemas import Order, OrderCreate, OrderFilters, PaymentStatus

ORDER_ID = re.compile(r"^ord_[0-9a-f]{32}$")
IDEMPOTENCY_SCOPE = "POST /api/v1/orders"


def new_order_id() -> str:
    return f"ord_{uuid.uuid4().hex}"


def utc_now() -> datetime:
    """Now, to the millisecond: what MongoDB stores, so a created order equals its re-read."""
    now = datetime.now(UTC)
    return now.replace(microsecond=now.microsecond // 1000 * 1000)


@dataclass(frozen=True)
class CreatedOrder:
    order: Order
    replayed: bool


class OrderService:
    def __init__(
        self,
        repository: OrderRepository,
        idempotency: IdempotencyStore,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        self._repository = repository
        self._idempotency = idempotency
        self._clock = clock

    async def create(
        self, data: OrderCreate, principal: Principal, idempotency_key: str | None = None
    ) -> CreatedOrder:
        lines = price_lines(data)
        total_minor = sum(line["total_minor"] for line in lines)
        if total_minor > MAX_AMOUNT_MINOR:
            raise InvalidOrderAmounts(
                [_amount_detail("lines", "order total is too large", "amount_too_large")]
            )

        order_id = new_order_id()
        if idempotency_key is not None:
            request = {
                "customer_id": data.customer_id,
                "currency": data.currency,
                "lines": lines,
                "notes": data.notes,
            }
            order_id = await self._idempotency.claim(
                scope=f"{principal.subject} {IDEMPOTENCY_SCOPE}",
                key=idempotency_key,
                request_hash=fingerprint(request),
                resource_id=order_id,
            )
            existing = await self._repository.get(order_id)
            if existing is not None:
                return CreatedOrder(Order.from_document(existing), replayed=True)

        now = self._clock()
        sequence = await self._repository.next_sequence(f"orders-{now.year}")
        document: dict[str, Any] = {
            "_id": order_id,
            "number": f"ORD-{now.year}-{sequence:06d}",
            "customer_id": data.customer_id,
            "currency": data.currency,
            "lines": lines,
            "notes": data.notes,
            "total_minor": total_minor,
            "amount_paid_minor": 0,
            "amount_refunded_minor": 0,
            "amount_authorized_minor": 0,
            "committed_minor": 0,
            "commitments": {},
            "payment_status": PaymentStatus.UNPAID.value,
            "version": 0,
            "created_by": principal.subject,
            "created_at": now,
            "updated_at": now,
        }
        if not await self._repository.insert(document):
            # A concurrent retry with the same idempotency key created it first.
            return CreatedOrder(await self.get(order_id), replayed=True)
        return CreatedOrder(Order.from_document(document), replayed=False)

    async def get(self, order_id: str) -> Order:
        if not ORDER_ID.match(order_id):
            raise OrderNotFound()
        document = await self._repository.get(order_id)
        if document is None:
            raise OrderNotFound()
        return Order.from_document(document)

    async def list(self, filters: OrderFilters, page: PageRequest) -> tuple[list[Order], int]:
        documents = await self._repository.find_page(filters, page.offset, page.page_size)
        total = await self._repository.count(filters)
        return [Order.from_document(document) for document in documents], total


def price_lines(data: OrderCreate) -> list[dict[str, Any]]:
    """Lines with unit prices and totals in minor units; every bad amount is reported at once."""
    lines: list[dict[str, Any]] = []
    problems: list[ErrorDetail] = []
    for index, line in enumerate(data.lines):
        try:
            unit_price_minor = to_minor(line.unit_price, data.currency)
        except MoneyError as exc:
            problems.append(_amount_detail(f"lines.{index}.unit_price", str(exc), exc.type))
            continue
        total_minor = unit_price_minor * line.quantity
        if total_minor > MAX_AMOUNT_MINOR:
            problems.append(
                _amount_detail(f"lines.{index}", "line total is too large", "amount_too_large")
            )
        lines.append(
            {
                "sku": line.sku,
                "description": line.description,
                "quantity": line.quantity,
                "unit_price_minor": unit_price_minor,
                "total_minor": total_minor,
            }
        )
    if problems:
        raise InvalidOrderAmounts(problems)
    return lines


def _amount_detail(field: str, message: str, error_type: str) -> ErrorDetail:
    return ErrorDetail(field=field, location="body", message=message, type=error_type)
