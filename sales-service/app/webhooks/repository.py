"""The webhook inbox in MongoDB: one document per Stripe event, `_id` = the event id.

A worker (the process that stored the event, or a sweep) owns an event while its lease runs.
Claiming is a compare-and-set on the event's `_id` with `lease_until <= now`, so two workers never
hold the same event, and finishing is conditional on still holding the lease (`lease_owner` =
the claim's token). Every lease also moves `next_attempt_at` to its end, so the due range
(`state` + `next_attempt_at`, indexed) holds only events nobody holds: the sweep reads just those.

A processed event is kept 30 days after processing, well past the three days over which Stripe
may deliver it again, so a late duplicate is still recognised; then a TTL index deletes it. The
index covers processed events only, so a pending one never expires, whatever its age.
"""

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from pymongo import ASCENDING
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import BulkWriteError, DuplicateKeyError, OperationFailure, PyMongoError

from app.infra.mongo import update_by_id
from app.webhooks.schemas import InboxState, Outcome

Document = dict[str, Any]
INBOX = "webhook_events"
KNOWN_IDS_BATCH = 500
PROCESSED_EVENT_LIFETIME = timedelta(days=30)
EXPIRY_INDEX = "expire_processed"
DUE_INDEX = "state_next_attempt"
DUPLICATE_KEY = 11000
# Due events looked at per claim_due: enough to get past those another worker just took.
CLAIM_CANDIDATES = 10


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

    async def insert_new(self, documents: Sequence[Document]) -> list[bool | PyMongoError]:
        """Stores several new events in one write. Per document: True when stored, False when
        an event with its id was already there, or the error that kept it out."""
        outcome: list[bool | PyMongoError] = [True] * len(documents)
        try:
            await self._inbox.insert_many(list(documents), ordered=False)
        except BulkWriteError as exc:
            if exc.details.get("writeConcernErrors"):
                raise  # stored, perhaps, but not as durably as asked: none is answered stored
            for error in exc.details.get("writeErrors", []):
                code = error.get("code")
                failed = OperationFailure(error.get("errmsg", "insert failed"), code)
                outcome[error["index"]] = False if code == DUPLICATE_KEY else failed
        return outcome

    async def get(self, event_id: str) -> Document | None:
        return await self._inbox.find_one({"_id": event_id})

    async def due(self, *, now: datetime, limit: int) -> list[Document]:
        """Pending events due by `now`, the longest due first: `_id` and `object_id` only."""
        cursor = (
            self._inbox.find(
                {"state": InboxState.PENDING.value, "next_attempt_at": {"$lte": now}},
                {"_id": True, "object_id": True},
            )
            .sort("next_attempt_at", ASCENDING)
            .limit(limit)
            # Not hinted: SecantusDB's own plan uses this index's bounds, while a hinted query
            # walks the whole index (every processed event), seconds at 100,000 events.
        )
        return await cursor.to_list()

    async def claim(
        self,
        event_id: str,
        *,
        now: datetime,
        owner: str,
        lease_until: datetime,
        count_attempt: bool = True,
    ) -> Document | None:
        """Takes a due event whose lease has run out, counting an attempt (unless it is taken
        for a worker's queue: the worker counts it when it starts); None when another worker
        took it first (or it is no longer pending)."""
        # update_one then a read by _id: a matching find_one_and_update scans on SecantusDB.
        return await update_by_id(
            self._inbox,
            {
                "_id": event_id,
                "state": InboxState.PENDING.value,
                "next_attempt_at": {"$lte": now},
                "lease_until": {"$lte": now},
            },
            {
                "$set": {
                    "lease_owner": owner,
                    "lease_until": lease_until,
                    "next_attempt_at": lease_until,
                },
                "$inc": {"attempts": 1 if count_attempt else 0},
            },
        )

    async def claim_due(
        self, *, now: datetime, owner: str, lease_until: datetime
    ) -> Document | None:
        """Takes the pending event due longest ago whose lease has run out."""
        for due in await self.due(now=now, limit=CLAIM_CANDIDATES):
            claimed = await self.claim(due["_id"], now=now, owner=owner, lease_until=lease_until)
            if claimed is not None:
                return claimed
        return None

    async def renew(self, event_id: str, *, owner: str, lease_until: datetime) -> bool:
        """Extends a lease still held by `owner`, counting an attempt: how the process that
        stored (and queued) an event starts processing it. False when the hold ran out and a
        sweep took the event, or it is no longer pending."""
        result = await self._inbox.update_one(
            {"_id": event_id, "lease_owner": owner, "state": InboxState.PENDING.value},
            {
                "$set": {"lease_until": lease_until, "next_attempt_at": lease_until},
                "$inc": {"attempts": 1},
            },
        )
        return result.modified_count == 1

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
        """Asked in batches, so a sync round after a long outage sends no unbounded `$in`."""
        known: set[str] = set()
        ids = list(event_ids)
        for start in range(0, len(ids), KNOWN_IDS_BATCH):
            batch = ids[start : start + KNOWN_IDS_BATCH]
            cursor = self._inbox.find({"_id": {"$in": batch}}, projection={"_id": True})
            known.update([document["_id"] async for document in cursor])
        return known

    async def count_pending(self) -> int:
        return await self._inbox.count_documents({"state": InboxState.PENDING.value})
