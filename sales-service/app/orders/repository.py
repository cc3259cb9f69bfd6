"""Orders and their number counters in MongoDB: documents in, documents out."""

from typing import Any

from pymongo import ASCENDING, DESCENDING, ReturnDocument
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

from app.orders.schemas import OrderFilters

Document = dict[str, Any]
ORDERS = "orders"
COUNTERS = "counters"
NEWEST_FIRST = [("created_at", DESCENDING), ("number", DESCENDING)]


class OrderRepository:
    def __init__(self, database: AsyncDatabase[Document]) -> None:
        self._orders = database[ORDERS]
        self._counters = database[COUNTERS]

    @staticmethod
    async def ensure_indexes(database: AsyncDatabase[Document]) -> None:
        orders = database[ORDERS]
        await orders.create_index([("number", ASCENDING)], unique=True, name="number_unique")
        await orders.create_index(NEWEST_FIRST, name="newest_first")
        await orders.create_index(
            [("customer_id", ASCENDING), *NEWEST_FIRST], name="customer_newest_first"
        )
        await orders.create_index(
            [("payment_status", ASCENDING), *NEWEST_FIRST], name="status_newest_first"
        )

    async def next_sequence(self, counter: str) -> int:
        """Atomically increments and returns a named counter, creating it at 1."""
        for attempt in range(3):
            try:
                document = await self._counters.find_one_and_update(
                    {"_id": counter},
                    {"$inc": {"seq": 1}},
                    upsert=True,
                    return_document=ReturnDocument.AFTER,
                )
            except DuplicateKeyError:
                # Two first-ever upserts raced to create the counter; the loser retries.
                if attempt == 2:
                    raise
                continue
            if document is not None:
                return int(document["seq"])
        raise RuntimeError(f"counter {counter!r} could not be incremented")

    async def insert(self, document: Document) -> bool:
        """Inserts a new order; False if an order with this `_id` already exists."""
        try:
            await self._orders.insert_one(document)
        except DuplicateKeyError:
            if await self.get(document["_id"]) is not None:
                return False
            raise
        return True

    async def get(self, order_id: str) -> Document | None:
        return await self._orders.find_one({"_id": order_id})

    async def write_payment_totals(
        self, order_id: str, expected_version: int, totals: Document
    ) -> bool:
        """Sets recomputed payment totals if the order is still at `expected_version`."""
        result = await self._orders.update_one(
            {"_id": order_id, "version": expected_version},
            {"$set": totals, "$inc": {"version": 1}},
        )
        return result.matched_count == 1

    async def find_page(self, filters: OrderFilters, offset: int, limit: int) -> list[Document]:
        cursor = self._orders.find(_query(filters)).sort(NEWEST_FIRST).skip(offset).limit(limit)
        return await cursor.to_list()

    async def count(self, filters: OrderFilters) -> int:
        return await self._orders.count_documents(_query(filters))


def _query(filters: OrderFilters) -> Document:
    query: Document = {}
    if filters.payment_status is not None:
        query["payment_status"] = filters.payment_status.value
    if filters.customer_id is not None:
        query["customer_id"] = filters.customer_id
    if filters.number_contains is not None:
        # Callers pass only [A-Z0-9-], so the text is a literal pattern on MongoDB and FerretDB.
        query["number"] = {"$regex": filters.number_contains}
    return query
