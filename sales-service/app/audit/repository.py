"""Audit entries in MongoDB: append-only."""

from typing import Any

from pymongo import ASCENDING, DESCENDING
from pymongo.asynchronous.database import AsyncDatabase

Document = dict[str, Any]
AUDIT = "audit"


class AuditRepository:
    def __init__(self, database: AsyncDatabase[Document]) -> None:
        self._audit = database[AUDIT]

    @staticmethod
    async def ensure_indexes(database: AsyncDatabase[Document]) -> None:
        audit = database[AUDIT]
        await audit.create_index([("entity_id", ASCENDING), ("at", DESCENDING)], name="entity_at")
        await audit.create_index([("order_id", ASCENDING), ("at", DESCENDING)], name="order_at")

    async def insert(self, document: Document) -> None:
        await self._audit.insert_one(document)

    async def find_for(self, entity_id: str, limit: int) -> list[Document]:
        """Entries about the entity itself or, for an order, about anything on that order."""
        query = {"$or": [{"entity_id": entity_id}, {"order_id": entity_id}]}
        cursor = self._audit.find(query).sort([("at", ASCENDING), ("_id", ASCENDING)]).limit(limit)
        return [document async for document in cursor]
