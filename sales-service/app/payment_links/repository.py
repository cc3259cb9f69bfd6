"""Payment links in MongoDB: documents in, documents out.

A link is found by the hash of its token (unique) from the public side and by its order from
the order page. Its payment and its revocation change with a compare-and-set on `version`, so a
link pays with one payment however many tabs ask at once, and a revocation is never lost to a
concurrent request.
"""

from typing import Any

from pymongo import ASCENDING, DESCENDING
from pymongo.asynchronous.database import AsyncDatabase

from app.infra.mongo import update_by_id

Document = dict[str, Any]
PAYMENT_LINKS = "payment_links"
NEWEST_FIRST = [("created_at", DESCENDING), ("_id", DESCENDING)]


class PaymentLinkRepository:
    def __init__(self, database: AsyncDatabase[Document]) -> None:
        self._links = database[PAYMENT_LINKS]

    @staticmethod
    async def ensure_indexes(database: AsyncDatabase[Document]) -> None:
        links = database[PAYMENT_LINKS]
        await links.create_index([("token_hash", ASCENDING)], unique=True, name="token_hash_unique")
        await links.create_index([("order_id", ASCENDING), *NEWEST_FIRST], name="order_newest")

    async def insert(self, document: Document) -> None:
        """Raises DuplicateKeyError when a link with this `_id` (or token) exists."""
        await self._links.insert_one(document)

    async def get(self, link_id: str) -> Document | None:
        return await self._links.find_one({"_id": link_id})

    async def get_by_token_hash(self, token_hash: str) -> Document | None:
        return await self._links.find_one({"token_hash": token_hash})

    async def find_for_order(self, order_id: str, limit: int) -> list[Document]:
        cursor = self._links.find({"order_id": order_id}).sort(NEWEST_FIRST).limit(limit)
        return await cursor.to_list()

    async def compare_and_set(
        self, link_id: str, version: int, update: Document
    ) -> Document | None:
        """Applies `update` (plus a version bump) only if the link is still at `version`."""
        update = {**update, "$inc": {**update.get("$inc", {}), "version": 1}}
        return await update_by_id(self._links, {"_id": link_id, "version": version}, update)

    async def set_email_status(self, link_id: str, status: str) -> None:
        """Outside the version: sending the email races nothing that the version guards."""
        await self._links.update_one({"_id": link_id}, {"$set": {"email_status": status}})
