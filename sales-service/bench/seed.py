"""Fills the bench's database directly (insert_many in batches), much faster than the API: stored
webhook events, settled orders with their payments, and fresh orders for create-intent."""

import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pymongo
from pymongo import ReturnDocument
from pymongo.asynchronous.database import AsyncDatabase

from bench import documents
from bench.documents import Document

BATCH = 1000
# Seeded history spreads over this many days before now (processed events are kept 30 days).
HISTORY_DAYS = 20
CREATED_BY = "bench-sales"  # the subject of the bench's own token


class Seeder:
    def __init__(self, mongodb_url: str, database: str) -> None:
        self._client: pymongo.AsyncMongoClient[Document] = pymongo.AsyncMongoClient(mongodb_url)
        self._database: AsyncDatabase[Document] = self._client[database]
        self.events = 0
        self.settled_orders = 0

    @property
    def database(self) -> AsyncDatabase[Document]:
        return self._database

    async def close(self) -> None:
        await self._client.close()

    async def events_up_to(self, count: int) -> float:
        """Tops the seeded webhook events up to `count`; returns the seconds it took."""
        began = time.perf_counter()
        now = datetime.now(UTC)
        step = timedelta(days=HISTORY_DAYS) / max(count, 1)
        first = self.events

        def build(index: int) -> Document:
            return documents.webhook_event(index, now - step * (count - index))

        await self._insert("webhook_events", build, first, count)
        self.events = max(count, first)
        return time.perf_counter() - began

    async def settled_orders_up_to(self, count: int) -> float:
        """Tops settled orders, each with its one payment, up to `count`."""
        began = time.perf_counter()
        wanted = count - self.settled_orders
        if wanted > 0:
            now = datetime.now(UTC)
            numbers = await self._order_numbers(wanted, now.year)
            step = timedelta(days=HISTORY_DAYS) / wanted
            orders: list[Document] = []
            payments: list[Document] = []
            for index, number in enumerate(numbers):
                paid = (index * 100 // wanted) < documents.PAID_SHARE_PERCENT
                created = now - timedelta(days=HISTORY_DAYS) + step * index
                order = documents.order(number, created.replace(microsecond=0), paid=paid)
                orders.append(order)
                payments.append(documents.payment(order, paid=paid))
            await self._insert_all("orders", orders)
            await self._insert_all("payments", payments)
            self.settled_orders = count
        return time.perf_counter() - began

    async def unpaid_orders(self, count: int) -> list[str]:
        """New unpaid orders created now by the bench's user: one per create-intent request."""
        now = _now_ms()
        numbers = await self._order_numbers(count, now.year)
        orders = [documents.order(n, now, paid=False, created_by=CREATED_BY) for n in numbers]
        await self._insert_all("orders", orders)
        return [order["_id"] for order in orders]

    async def count(self, collection: str, query: dict[str, Any] | None = None) -> int:
        return await self._database[collection].count_documents(query or {})

    async def _order_numbers(self, count: int, year: int) -> list[str]:
        """Reserves a block of order numbers from the service's own counter, so orders the
        service creates meanwhile never take the same number."""
        counter = await self._database["counters"].find_one_and_update(
            {"_id": f"orders-{year}"},
            {"$inc": {"seq": count}},
            upsert=True,
            return_document=ReturnDocument.AFTER,
        )
        assert counter is not None  # noqa: S101 - upsert with ReturnDocument.AFTER
        last = int(counter["seq"])
        return [f"ORD-{year}-{seq:06d}" for seq in range(last - count + 1, last + 1)]

    async def _insert(
        self, collection: str, build: Callable[[int], Document], first: int, end: int
    ) -> None:
        for start in range(first, end, BATCH):
            batch = [build(index) for index in range(start, min(start + BATCH, end))]
            await self._database[collection].insert_many(batch, ordered=False)

    async def _insert_all(self, collection: str, items: list[Document]) -> None:
        for batch in _batches(items):
            await self._database[collection].insert_many(batch, ordered=False)


def _now_ms() -> datetime:
    """What MongoDB stores (milliseconds), as the service does for its own orders."""
    now = datetime.now(UTC)
    return now.replace(microsecond=now.microsecond // 1000 * 1000)


def _batches(items: list[Document]) -> Iterator[list[Document]]:
    for start in range(0, len(items), BATCH):
        yield items[start : start + BATCH]
