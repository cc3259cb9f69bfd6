"""The webhook inbox in MongoDB: one document per Stripe event, `_id` = the event id.

A worker (a request processing inline, or a sweep) owns an event while its lease runs: claiming
is one find_one_and_update on `lease_until <= now`, so two workers never hold the same event,
and finishing is conditional on still holding the lease (`lease_owner` = the claim's token).

A processed event is kept 30 days after processing, well past the three days over which Stripe
may deliver it again, so a late duplicate is still recognised; then a TTL index deletes it. The
index covers processed events only, so a pending one never expires, whatever its age.
"""

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from pymongo import ASCENDING, ReturnDocument
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

from app.webhooks.schemas import InboxState, Outcome

Document = dict[str, Any]
INBOX = "webhook_events"
PROCESSED_EVENT_LIFETIME = timedelta(days=30)
EXPIRY_INDEX = "expire_processed"
DUE_INDEX = "state_next_attempt"


class WebhookInboxRepository:
    def __init__(self, database: AsyncDatabase[Document]) -> None:
        self._inbox = database[INBOX]

    @staticmethod
    async def ensure_indexes(database: AsyncDatabase[Document]) -> None:
        await database[INBOX].create_index(
            [("state", ASCENDING), ("next_attempt_at", ASCENDING)], name=DUE_INDEX
        )
        await database[INBOX].create_index(
            [("processed_at", ASCENDING)],
            name=EXPIRY_INDEX,
            expireAfterSeconds=int(PROCESSED_EVENT_LIFETIME.total_seconds()),
            partialFilterExpression={"state": InboxState.PROCESSED.value},
        )

    async def insert(self, document: Document) -> bool:
        """Stores a new event; False when an event with this id is already there."""
        try:
            await self._inbox.insert_one(document)
        except DuplicateKeyError:
            return False
        return True

    async def get(self, event_id: str) -> Document | None:
        return await self._inbox.find_one({"_id": event_id})

    async def claim_due(
        self, *, now: datetime, owner: str, lease_until: datetime
    ) -> Document | None:
        """Takes the pending event due longest ago whose lease has run out, counting an attempt."""
        return await self._inbox.find_one_and_update(
            {
                "state": InboxState.PENDING.value,
                "next_attempt_at": {"$lte": now},
                "lease_until": {"$lte": now},
            },
            {"$set": {"lease_owner": owner, "lease_until": lease_until}, "$inc": {"attempts": 1}},
            sort=[("next_attempt_at", ASCENDING)],
            return_document=ReturnDocument.AFTER,
            # SecantusDB plans a collection scan for this filter and sort unless told.
            hint=DUE_INDEX,
        )

    async def mark_processed(
        self, event_id: str, *, owner: str, now: datetime, outcome: Outcome
    ) -> bool:
        """False when the lease was lost meanwhile (another worker may be processing it)."""
        result = await self._inbox.update_one(
            {"_id": event_id, "lease_owner": owner, "state": InboxState.PENDING.value},
            {
                "$set": {
                    "state": InboxState.PROCESSED.value,
                    "outcome": outcome.value,
                    "processed_at": now,
                    "last_error": None,
                    "lease_owner": None,
                    "lease_until": now,
                },
            },
        )
        return result.modified_count == 1

    async def mark_failed(
        self, event_id: str, *, owner: str, now: datetime, error: str, retry_at: datetime
    ) -> bool:
        """Records the failure, releases the lease and schedules the next attempt."""
        result = await self._inbox.update_one(
            {"_id": event_id, "lease_owner": owner, "state": InboxState.PENDING.value},
            {
                "$set": {
                    "last_error": error,
                    "next_attempt_at": retry_at,
                    "lease_owner": None,
                    "lease_until": now,
                },
            },
        )
        return result.modified_count == 1

    async def known_ids(self, event_ids: Sequence[str]) -> set[str]:
        cursor = self._inbox.find({"_id": {"$in": list(event_ids)}}, projection={"_id": True})
        return {document["_id"] async for document in cursor}

    async def count_pending(self) -> int:
        return await self._inbox.count_documents({"state": InboxState.PENDING.value})
