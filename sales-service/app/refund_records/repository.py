"""Refunds in MongoDB: documents in, documents out.

A refund made outside this service (in the Stripe Dashboard) gets an id derived from Stripe's
refund id, so recording it twice (two events racing) inserts it once, without the partial index
a unique `stripe_refund_id` that may be unset would need.
"""

from collections.abc import Sequence
from typing import Any

from pymongo import ASCENDING
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

from app.infra.mongo import update_by_id

Document = dict[str, Any]
REFUNDS = "refunds"


class RefundRepository:
    def __init__(self, database: AsyncDatabase[Document]) -> None:
        self._refunds = database[REFUNDS]

    @staticmethod
    async def ensure_indexes(database: AsyncDatabase[Document]) -> None:
        refunds = database[REFUNDS]
        await refunds.create_index(
            [("payment_id", ASCENDING), ("created_at", ASCENDING)], name="payment_created"
        )
        await refunds.create_index([("stripe_refund_id", ASCENDING)], name="stripe_refund")
        await refunds.create_index([("status", ASCENDING), ("_id", ASCENDING)], name="status_id")

    async def insert(self, document: Document) -> bool:
        """False when a refund with this `_id` already exists."""
        try:
            await self._refunds.insert_one(document)
        except DuplicateKeyError:
            return False
        return True

    async def get(self, refund_id: str) -> Document | None:
        return await self._refunds.find_one({"_id": refund_id})

    async def get_by_stripe_id(self, stripe_refund_id: str) -> Document | None:
        return await self._refunds.find_one({"stripe_refund_id": stripe_refund_id})

    async def find_for_payments(self, payment_ids: Sequence[str]) -> list[Document]:
        if not payment_ids:
            return []
        cursor = self._refunds.find({"payment_id": {"$in": list(payment_ids)}}).sort(
            [("created_at", ASCENDING), ("_id", ASCENDING)]
        )
        return await cursor.to_list()

    async def pending_page(self, after: str | None, limit: int) -> list[Document]:
        """Pending refunds in `_id` order after the cursor `after` (a walk, never a starved
        "oldest N")."""
        query: Document = {"status": "pending"}
        if after is not None:
            query["_id"] = {"$gt": after}
        cursor = self._refunds.find(query).sort([("_id", ASCENDING)]).limit(limit)
        return await cursor.to_list()

    async def compare_and_set(
        self, refund_id: str, version: int, update: Document
    ) -> Document | None:
        update = {**update, "$inc": {**update.get("$inc", {}), "version": 1}}
        return await update_by_id(self._refunds, {"_id": refund_id, "version": version}, update)

    async def record_stripe_problem(self, refund_id: str, problem: Document) -> None:
        await self._refunds.update_one(
            {"_id": refund_id}, {"$set": {"stripe_problem": problem}, "$inc": {"version": 1}}
        )
