"""Payments in MongoDB: documents in, documents out.

`open_order_key` holds the order id while a payment is open and the payment's own id once it is
over, under a unique index: an order has at most one open payment, however many requests race
(a plain unique index, no partial one). `payment_intent_id` is set once, after Stripe answers;
it needs no unique index: the intent is created with the payment id as its idempotency key, so
one payment has one intent and one intent one payment.
"""

from datetime import UTC, datetime
from typing import Any

from pymongo import ASCENDING, DESCENDING
from pymongo.asynchronous.database import AsyncDatabase

from app.infra.mongo import update_by_id
from app.payments.schemas import PaymentFilters

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)

Document = dict[str, Any]
PAYMENTS = "payments"
NEWEST_FIRST = [("created_at", DESCENDING), ("_id", DESCENDING)]


class PaymentRepository:
    def __init__(self, database: AsyncDatabase[Document]) -> None:
        self._payments = database[PAYMENTS]

    @staticmethod
    async def ensure_indexes(database: AsyncDatabase[Document]) -> None:
        payments = database[PAYMENTS]
        await payments.create_index(
            [("open_order_key", ASCENDING)], unique=True, name="one_open_payment_per_order"
        )
        await payments.create_index([("payment_intent_id", ASCENDING)], name="payment_intent")
        await payments.create_index(NEWEST_FIRST, name="newest_first")
        await payments.create_index([("order_id", ASCENDING), *NEWEST_FIRST], name="order_newest")
        await payments.create_index([("status", ASCENDING), *NEWEST_FIRST], name="status_newest")
        await payments.create_index([("check_after", ASCENDING)], name="check_after")

    async def insert(self, document: Document) -> None:
        """Raises DuplicateKeyError when the order already has an open payment."""
        await self._payments.insert_one(document)

    async def get(self, payment_id: str) -> Document | None:
        return await self._payments.find_one({"_id": payment_id})

    async def get_by_intent(self, payment_intent_id: str) -> Document | None:
        return await self._payments.find_one({"payment_intent_id": payment_intent_id})

    async def get_open_for_order(self, order_id: str) -> Document | None:
        return await self._payments.find_one({"open_order_key": order_id})

    async def find_for_order(self, order_id: str) -> list[Document]:
        return await self._payments.find({"order_id": order_id}).to_list()

    async def find_page(self, filters: PaymentFilters, offset: int, limit: int) -> list[Document]:
        cursor = self._payments.find(_query(filters)).sort(NEWEST_FIRST).skip(offset).limit(limit)
        return await cursor.to_list()

    async def count(self, filters: PaymentFilters) -> int:
        return await self._payments.count_documents(_query(filters))

    async def compare_and_set(
        self, payment_id: str, version: int, update: Document
    ) -> Document | None:
        """Applies `update` (plus a version bump) only if the payment is still at `version`."""
        update = {**update, "$inc": {**update.get("$inc", {}), "version": 1}}
        return await update_by_id(self._payments, {"_id": payment_id, "version": version}, update)

    async def update_where(self, query: Document, update: Document) -> Document | None:
        """Applies `update` (plus a version bump) to the payment matching `query` (which names
        its `_id`), if any."""
        update = {**update, "$inc": {**update.get("$inc", {}), "version": 1}}
        return await update_by_id(self._payments, query, update)

    async def set_intent(
        self, payment_id: str, payment_intent_id: str, client_secret: str | None, now: datetime
    ) -> Document | None:
        """Stores the intent and its client secret; None if the payment already had them (the
        intent is always the same one: it was created with the payment id as idempotency key)."""
        return await self.update_where(
            {"_id": payment_id, "client_secret": None},
            {
                "$set": {
                    "payment_intent_id": payment_intent_id,
                    "client_secret": client_secret,
                    "stripe_problem": None,
                    "updated_at": now,
                }
            },
        )

    async def mark_sent(self, payment_id: str) -> Document | None:
        """Marks the payment as (maybe) sent to Stripe, just before its create is sent; None
        when it was closed here meanwhile (canceled, or failed before Stripe), so nothing may
        be sent for it. The version moves, so a close planned on the unmarked payment fails."""
        return await self.update_where(
            {
                "_id": payment_id,
                "status": {"$nin": ["canceled", "completed"]},
                "intent_closed": False,
            },
            {"$set": {"sent_to_stripe": True}},
        )

    async def find_due(self, now: datetime, limit: int) -> list[Document]:
        """Payments the repair job should ask Stripe about now, longest-waiting first. Bounded
        below too: SecantusDB reads a one-sided range's null keys, every settled payment."""
        cursor = self._payments.find({"check_after": {"$gte": EPOCH, "$lte": now}})
        return await cursor.sort("check_after", ASCENDING).limit(limit).to_list()

    async def postpone_check(self, payment_id: str, version: int, until: datetime) -> None:
        """Moves the next check on, unless the payment changed since it was read."""
        await self._payments.update_one(
            {"_id": payment_id, "version": version, "check_after": {"$exists": True}},
            {"$set": {"check_after": until}},
        )

    async def record_stripe_problem(self, payment_id: str, problem: Document) -> None:
        await self._payments.update_one(
            {"_id": payment_id},
            {"$set": {"stripe_problem": problem}, "$inc": {"version": 1}},
        )

    async def find_before(
        self, filters: PaymentFilters, before: tuple[datetime, str] | None, limit: int
    ) -> list[Document]:
        """The next `limit` payments newest first, strictly after the (created_at, _id) key
        `before` in that order: keyset pages that neither repeat nor skip while others insert.
        Two index range queries (the rest of `before`'s instant, then older ones) rather than
        one `$or`, which the local server's planner answers with a scan."""
        query = _query(filters)
        if before is None:
            return await self._payments.find(query).sort(NEWEST_FIRST).limit(limit).to_list()
        at, payment_id = before
        same_instant = {**query, "created_at": at, "_id": {"$lt": payment_id}}
        page = await self._payments.find(same_instant).sort(NEWEST_FIRST).limit(limit).to_list()
        if len(page) < limit:
            older = {**query, "created_at": {**query.get("created_at", {}), "$lt": at}}
            cursor = self._payments.find(older).sort(NEWEST_FIRST).limit(limit - len(page))
            page += await cursor.to_list()
        return page


def _query(filters: PaymentFilters) -> Document:
    query: Document = {}
    if filters.order_id is not None:
        query["order_id"] = filters.order_id
    if filters.status is not None:
        query["status"] = filters.status.value
    created: Document = {}
    if filters.created_from is not None:
        created["$gte"] = filters.created_from
    if filters.created_to is not None:
        created["$lt"] = filters.created_to
    if created:
        query["created_at"] = created
    return query
