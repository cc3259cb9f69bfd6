"""Audit entries in MongoDB: append-only.

The entries about an entity are read with one query per field that can name it (`entity_id`,
`order_id`), each on its own index, and merged here: an `$or` of the two would be answered by a
collection scan on the local server (SecantusDB plans no index for any `$or`).
"""

import heapq
from typing import Any

from pymongo import ASCENDING, DESCENDING
from pymongo.asynchronous.database import AsyncDatabase

Document = dict[str, Any]
AUDIT = "audit"
OLDEST_FIRST = [("at", ASCENDING), ("_id", ASCENDING)]
NAMING_FIELDS = ("entity_id", "order_id")


class AuditRepository:
    def __init__(self, database: AsyncDatabase[Document]) -> None:
        self._audit = database[AUDIT]

    @staticmethod
    async def ensure_indexes(database: AsyncDatabase[Document]) -> None:
        audit = database[AUDIT]
        for field in NAMING_FIELDS:
            await audit.create_index(
                [(field, ASCENDING), ("at", DESCENDING), ("_id", DESCENDING)],
                name=f"{field.removesuffix('_id')}_at_id",
            )

    async def insert(self, document: Document) -> None:
        await self._audit.insert_one(document)

    async def find_for(self, entity_id: str, limit: int) -> list[Document]:
        """Entries about the entity itself or, for an order, about anything on that order."""
        found: dict[Any, Document] = {}
        for field in NAMING_FIELDS:
            cursor = self._audit.find({field: entity_id}).sort(OLDEST_FIRST).limit(limit)
            async for document in cursor:
                found[document["_id"]] = document
        return heapq.nsmallest(limit, found.values(), key=lambda d: (d["at"], d["_id"]))
