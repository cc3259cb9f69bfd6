"""Orders and their number counters in MongoDB: documents in, documents out.

An order's `commitments` map holds, per payment id, the amount that payment may take (or has
taken) at Stripe, and `committed_minor` their sum; both change in one single-document update,
so checking that an amount fits under the total and taking it is one atomic decision (I1).
"""

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

    async def take_commitment(
        self, order_id: str, payment_id: str, amount_minor: int, total_minor: int, *, force: bool
    ) -> bool:
        """Commits `amount_minor` of the order to the payment if it fits under the total (or
        `force`: money Stripe already took). True when the payment holds it, now or before."""
        query: Document = {"_id": order_id, f"commitments.{payment_id}": {"$exists": False}}
        if not force:
            # `$not $gt` also matches an order from before commitments; unlike an `$or`, it
            # keeps the lookup on `_id` on the local server too.
            query["committed_minor"] = {"$not": {"$gt": total_minor - amount_minor}}
        result = await self._orders.update_one(
            query,
            {
                "$set": {f"commitments.{payment_id}": amount_minor},
                "$inc": {"committed_minor": amount_minor, "version": 1},
            },
        )
        if result.modified_count == 1:
            return True
        order = await self._orders.find_one(
            {"_id": order_id, f"commitments.{payment_id}": {"$exists": True}}, {"_id": 1}
        )
        return order is not None

    async def release_commitment(self, order_id: str, payment_id: str, amount_minor: int) -> bool:
        """Gives the payment's commitment back; a repeat finds nothing and changes nothing."""
        result = await self._orders.update_one(
            {"_id": order_id, f"commitments.{payment_id}": amount_minor},
            {
                "$unset": {f"commitments.{payment_id}": ""},
                "$inc": {"committed_minor": -amount_minor, "version": 1},
            },
        )
        return result.modified_count == 1

    async def shrink_commitment(
        self, order_id: str, payment_id: str, held_minor: int, to_minor: int
    ) -> bool:
        """Lowers the payment's commitment from `held_minor` to what it took (a partial capture
        released the rest); a repeat finds nothing and changes nothing."""
        result = await self._orders.update_one(
            {"_id": order_id, f"commitments.{payment_id}": held_minor},
            {
                "$set": {f"commitments.{payment_id}": to_minor},
                "$inc": {"committed_minor": to_minor - held_minor, "version": 1},
            },
        )
        return result.modified_count == 1

    async def ids_after(self, after_id: str | None, limit: int) -> list[str]:
        """Order ids in `_id` order after `after_id`: the repair job's cursor."""
        query: Document = {} if after_id is None else {"_id": {"$gt": after_id}}
        cursor = (
            self._orders.find(query, {"_id": 1}).sort("_id", ASCENDING).limit(limit).hint("_id_")
        )
        return [document["_id"] for document in await cursor.to_list()]

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
        # Callers pass only [A-Z0-9-], so the text is a literal pattern.
        query["number"] = {"$regex": filters.number_contains}
    return query
