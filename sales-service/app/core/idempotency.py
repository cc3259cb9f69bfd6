"""Idempotency keys for POST requests: one key, one request body, one resource.

The first request with a key binds it to a request fingerprint and to the id of the resource it
will create; a retry with the same key and body gets that same resource id (so it finds or
re-creates the very same record), and a retry with a different body is refused. Records are
kept; a later sweep may prune old ones (FerretDB has no TTL indexes).
"""

import hashlib
import json
from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import Header
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

from app.core.errors import ErrorDetail, ValidationFailed

HEADER = "Idempotency-Key"
COLLECTION = "idempotency_keys"

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


class IdempotencyKeyReused(ValidationFailed):
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

    async def claim(self, *, scope: str, key: str, request_hash: str, resource_id: str) -> str:
        """The resource id bound to (scope, key): `resource_id` on first use, the stored one after.

        Raises IdempotencyKeyReused when the key was first used with another request.
        """
        record_id = hashlib.sha256(json.dumps([scope, key]).encode()).hexdigest()
        record = {
            "_id": record_id,
            "scope": scope,
            "key": key,
            "request_hash": request_hash,
            "resource_id": resource_id,
            "created_at": datetime.now(UTC),
        }
        try:
            await self._records.insert_one(record)
        except DuplicateKeyError:
            existing = await self._records.find_one({"_id": record_id})
            if existing is None:  # pragma: no cover - records are never deleted concurrently
                raise
            if existing["request_hash"] != request_hash:
                raise IdempotencyKeyReused() from None
            return str(existing["resource_id"])
        return resource_id
