"""Idempotency keys for POST requests: one key, one request body, one resource.

The first request with a key binds it to a request fingerprint and to the id of the resource it
will create; for 24 hours a retry with the same key and body gets that same resource id (so it
finds or re-creates the very same record, and answers it as the first request did), and a retry
with a different body is refused with 409. After 24 hours the key is free again, and a TTL index
on `created_at` deletes the record; the monitor runs about once a minute, so a record may
outlive its 24 hours a little, and `claim` itself treats an expired record as free.
"""

import hashlib
import json
from datetime import UTC, datetime, timedelta
from typing import Annotated, Any

from fastapi import Header
from pymongo import ASCENDING
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

from app.core.errors import Conflict, ErrorDetail

HEADER = "Idempotency-Key"
COLLECTION = "idempotency_keys"
KEY_LIFETIME = timedelta(hours=24)
EXPIRY_INDEX = "expire_after_lifetime"
_CLAIM_ATTEMPTS = 3

IdempotencyKey = Annotated[
    str | None,
    Header(
        alias=HEADER,
        min_length=1,
        max_length=255,
        pattern=r"^[\x21-\x7e]+$",
        description="Retrying with the same key and body returns the same resource",
    ),
]


class IdempotencyKeyReused(Conflict):
    code = "idempotency_key_reused"
    message = "This Idempotency-Key was already used with a different request."

    def __init__(self) -> None:
        detail = ErrorDetail(
            field=HEADER,
            location="header",
            message="already used with a different request body",
            type="idempotency_key_reused",
        )
        super().__init__(details=[detail])


def fingerprint(payload: Any) -> str:
    """A stable hash of a JSON-able request, independent of key order and whitespace."""
    canonical = json.dumps(payload, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


class IdempotencyStore:
    def __init__(self, database: AsyncDatabase[dict[str, Any]]) -> None:
        self._records = database[COLLECTION]

    @staticmethod
    async def ensure_indexes(database: AsyncDatabase[dict[str, Any]]) -> None:
        await database[COLLECTION].create_index(
            [("created_at", ASCENDING)],
            name=EXPIRY_INDEX,
            expireAfterSeconds=int(KEY_LIFETIME.total_seconds()),
        )

    async def claim(self, *, scope: str, key: str, request_hash: str, resource_id: str) -> str:
        """The resource id bound to (scope, key): `resource_id` on first use, the stored one after.

        Raises IdempotencyKeyReused when the key was first used with another request.
        """
        record_id = _record_id(scope, key)
        for _ in range(_CLAIM_ATTEMPTS):
            now = datetime.now(UTC)
            record = {
                "_id": record_id,
                "scope": scope,
                "key": key,
                "request_hash": request_hash,
                "resource_id": resource_id,
                "created_at": now,
            }
            try:
                await self._records.insert_one(record)
            except DuplicateKeyError:
                existing = await self._records.find_one({"_id": record_id})
                if existing is None:  # expired and deleted in between: claim it afresh
                    continue
                if _as_utc(existing["created_at"]) > now - KEY_LIFETIME:
                    if existing["request_hash"] != request_hash:
                        raise IdempotencyKeyReused() from None
                    return str(existing["resource_id"])
                # Expired: the key starts over, unless a concurrent request restarted it first.
                restarted = await self._records.find_one_and_update(
                    {"_id": record_id, "created_at": existing["created_at"]},
                    {"$set": {k: v for k, v in record.items() if k != "_id"}},
                )
                if restarted is not None:
                    return resource_id
                continue
            return resource_id
        raise RuntimeError("idempotency key could not be claimed")

    async def rebind(self, *, scope: str, key: str, resource_id: str, to_resource_id: str) -> None:
        """Points the key at the resource the request turned out to answer (an existing one)."""
        await self._records.update_one(
            {"_id": _record_id(scope, key), "resource_id": resource_id},
            {"$set": {"resource_id": to_resource_id}},
        )

    async def release(self, *, scope: str, key: str, resource_id: str) -> None:
        """Frees a key whose request certainly did nothing (refused before it ran), so a retry
        with it runs anew, as Stripe treats its own keys; only while bound to `resource_id`."""
        await self._records.delete_one({"_id": _record_id(scope, key), "resource_id": resource_id})


def _record_id(scope: str, key: str) -> str:
    return hashlib.sha256(json.dumps([scope, key]).encode()).hexdigest()


def _as_utc(moment: datetime) -> datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
