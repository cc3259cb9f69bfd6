"""The events sync's one document in MongoDB: which replica holds the job, until when, and how
far through Stripe's event list it has come.

Taking the lease is one atomic update (an upsert) on `_id` with `lease_until <= now`; a second
replica's attempt meets the held lease (or the unique `_id` on the upsert) and gets nothing.
Every later write is conditional on still being the owner, so a replica whose lease ran out
cannot move the cursor another has moved since.
"""

from datetime import datetime
from typing import Any

from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

from app.infra.mongo import update_by_id

Document = dict[str, Any]
LEASES = "job_leases"
EVENTS_SYNC = "events_sync"


class SyncLeaseRepository:
    def __init__(self, database: AsyncDatabase[Document], job: str = EVENTS_SYNC) -> None:
        self._leases = database[LEASES]
        self._job = job

    async def take(self, *, owner: str, now: datetime, until: datetime) -> Document | None:
        """The lease document, now ours; None while another replica holds it."""
        try:
            return await update_by_id(
                self._leases,
                {"_id": self._job, "lease_until": {"$lte": now}},
                {"$set": {"lease_owner": owner, "lease_until": until}},
                upsert=True,
            )
        except DuplicateKeyError:
            return None

    async def extend(self, *, owner: str, until: datetime) -> bool:
        result = await self._leases.update_one(
            {"_id": self._job, "lease_owner": owner}, {"$set": {"lease_until": until}}
        )
        return result.matched_count == 1

    async def advance(self, *, owner: str, cursor: int, now: datetime) -> bool:
        """Moves the cursor (Stripe's `created`, in seconds) forward only."""
        result = await self._leases.update_one(
            {"_id": self._job, "lease_owner": owner},
            {"$max": {"cursor": cursor}, "$set": {"synced_at": now}},
        )
        return result.matched_count == 1

    async def release(self, *, owner: str, now: datetime) -> None:
        await self._leases.update_one(
            {"_id": self._job, "lease_owner": owner},
            {"$set": {"lease_owner": None, "lease_until": now}},
        )

    async def get(self) -> Document | None:
        return await self._leases.find_one({"_id": self._job})
