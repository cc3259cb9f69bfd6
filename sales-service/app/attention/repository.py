"""Where the needs-attention entries come from, newest first within each source:

- `attention_items`: events rejected (stored here once per event) and disputes (one document
  per dispute, `open` while Stripe has not closed it);
- payments whose history says Stripe took money after a cancel, or another amount than asked;
- refunds still pending at Stripe past a cutoff;
- authorizations Stripe cancels soon unless captured.

The last two are read from their own collections, so nothing has to remember to list them.
"""

from datetime import datetime
from typing import Any

from pymongo import ASCENDING, DESCENDING
from pymongo.asynchronous.database import AsyncDatabase

from app.payments.received import AMOUNT_CHANGED_AT_STRIPE
from app.payments.repository import PAYMENTS
from app.payments.transitions import SUCCEEDED_AFTER_CANCEL
from app.refund_records.repository import REFUNDS

Document = dict[str, Any]
ITEMS = "attention_items"
OPEN_NEWEST = "open_newest"
FLAGGED_PAYMENTS = "history_reason_updated"
FLAGGED_REASONS = [SUCCEEDED_AFTER_CANCEL, AMOUNT_CHANGED_AT_STRIPE]
AUTHORIZATION_EXPIRY = "status_authorization_expiry"


class AttentionRepository:
    def __init__(self, database: AsyncDatabase[Document]) -> None:
        self._items = database[ITEMS]
        self._payments = database[PAYMENTS]
        self._refunds = database[REFUNDS]

    @staticmethod
    async def ensure_indexes(database: AsyncDatabase[Document]) -> None:
        await database[ITEMS].create_index(
            [("open", ASCENDING), ("at", DESCENDING)], name=OPEN_NEWEST
        )
        await database[PAYMENTS].create_index(
            [("history.reason", ASCENDING), ("updated_at", DESCENDING)], name=FLAGGED_PAYMENTS
        )
        await database[PAYMENTS].create_index(
            [("status", ASCENDING), ("authorization_expires_at", ASCENDING)],
            name=AUTHORIZATION_EXPIRY,
        )

    async def record_rejected_event(self, document: Document) -> None:
        """Once per event: a redelivery or a re-sync of the same event adds nothing."""
        await self._items.update_one(
            {"_id": document["_id"]}, {"$setOnInsert": document}, upsert=True
        )

    async def record_dispute(self, document: Document) -> None:
        """The dispute as last seen; a closed one stays closed (a late `created` is ignored)."""
        await self._items.update_one(
            {"_id": document["_id"], "open": {"$ne": False}},
            {"$set": document},
            upsert=False,
        )
        await self._items.update_one(
            {"_id": document["_id"]}, {"$setOnInsert": document}, upsert=True
        )

    async def open_items(self, offset: int, limit: int) -> list[Document]:
        cursor = self._items.find({"open": True}, sort=[("at", DESCENDING)], hint=OPEN_NEWEST)
        return await cursor.skip(offset).limit(limit).to_list()

    async def count_open_items(self) -> int:
        return await self._items.count_documents({"open": True}, hint=OPEN_NEWEST)

    async def flagged_payments(self, offset: int, limit: int) -> list[Document]:
        cursor = self._payments.find(
            _FLAGGED, sort=[("updated_at", DESCENDING)], hint=FLAGGED_PAYMENTS
        )
        return await cursor.skip(offset).limit(limit).to_list()

    async def count_flagged_payments(self) -> int:
        return await self._payments.count_documents(_FLAGGED, hint=FLAGGED_PAYMENTS)

    async def refunds_pending_since(
        self, cutoff: datetime, offset: int, limit: int
    ) -> list[Document]:
        cursor = self._refunds.find(
            _pending_before(cutoff), sort=[("_id", ASCENDING)], hint="status_id"
        )
        return await cursor.skip(offset).limit(limit).to_list()

    async def count_refunds_pending_since(self, cutoff: datetime) -> int:
        return await self._refunds.count_documents(_pending_before(cutoff), hint="status_id")

    async def authorizations_expiring_before(
        self, cutoff: datetime, offset: int, limit: int
    ) -> list[Document]:
        cursor = self._payments.find(
            _expiring_before(cutoff),
            sort=[("authorization_expires_at", ASCENDING)],
            hint=AUTHORIZATION_EXPIRY,
        )
        return await cursor.skip(offset).limit(limit).to_list()

    async def count_authorizations_expiring_before(self, cutoff: datetime) -> int:
        return await self._payments.count_documents(
            _expiring_before(cutoff), hint=AUTHORIZATION_EXPIRY
        )


_FLAGGED = {"history.reason": {"$in": FLAGGED_REASONS}}


def _pending_before(cutoff: datetime) -> Document:
    return {"status": "pending", "created_at": {"$lt": cutoff}}


def _expiring_before(cutoff: datetime) -> Document:
    return {"status": "authorized", "authorization_expires_at": {"$lt": cutoff}}
