"""Idempotency keys and processed webhook events expire by TTL index, pending events never.

The index specs are checked on every server. Whether the server deletes what they say is
checked where it can be done at once: SecantusDB runs a TTL pass on `secantusAdmin.pruneTtl`;
MongoDB's monitor runs once a minute, too slow to wait for here.
"""

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import OperationFailure

from app.core.idempotency import COLLECTION as IDEMPOTENCY_KEYS
from app.core.idempotency import IdempotencyStore
from app.webhooks.repository import INBOX, WebhookInboxRepository

Database = AsyncDatabase[dict[str, Any]]
DAY = 24 * 3600


@pytest.fixture
async def indexed(mongo: Database) -> Database:
    await IdempotencyStore.ensure_indexes(mongo)
    await WebhookInboxRepository.ensure_indexes(mongo)
    return mongo


async def ttl_indexes(database: Database, collection: str) -> list[dict[str, Any]]:
    information = await database[collection].index_information()
    return [spec for spec in information.values() if "expireAfterSeconds" in spec]


async def test_idempotency_keys_expire_24_hours_after_creation(indexed: Database) -> None:
    [spec] = await ttl_indexes(indexed, IDEMPOTENCY_KEYS)
    assert spec["key"] == [("created_at", 1)]
    assert spec["expireAfterSeconds"] == DAY
    assert "partialFilterExpression" not in spec


async def test_only_processed_events_expire_30_days_after_processing(indexed: Database) -> None:
    [spec] = await ttl_indexes(indexed, INBOX)
    assert spec["key"] == [("processed_at", 1)]
    assert spec["expireAfterSeconds"] == 30 * DAY
    assert spec["partialFilterExpression"] == {"state": "processed"}


async def test_indexes_are_ensured_again_without_error(indexed: Database) -> None:
    await IdempotencyStore.ensure_indexes(indexed)
    await WebhookInboxRepository.ensure_indexes(indexed)


async def test_a_ttl_pass_deletes_expired_records_and_keeps_the_rest(indexed: Database) -> None:
    now = datetime.now(UTC)
    await indexed[IDEMPOTENCY_KEYS].insert_many(
        [
            {"_id": "ttl-key-expired", "created_at": now - timedelta(hours=25)},
            {"_id": "ttl-key-live", "created_at": now - timedelta(hours=23)},
        ]
    )
    await indexed[INBOX].insert_many(
        [
            {"_id": "evt_ttl_old_done", "state": "processed", "processed_at": now - timedelta(31)},
            {"_id": "evt_ttl_new_done", "state": "processed", "processed_at": now - timedelta(2)},
            {"_id": "evt_ttl_old_pending", "state": "pending", "processed_at": None},
            # Not reachable through the service, but a pending event must never expire,
            # whatever its fields hold: the partial filter, not the date, protects it.
            {"_id": "evt_ttl_dated_wait", "state": "pending", "processed_at": now - timedelta(31)},
        ]
    )
    try:
        await indexed.client.admin.command("secantusAdmin.pruneTtl")
    except OperationFailure:
        pytest.skip("the server has no immediate TTL pass (MongoDB's monitor runs each minute)")

    keys = [d["_id"] async for d in indexed[IDEMPOTENCY_KEYS].find({"_id": {"$regex": "^ttl-"}})]
    events = [d["_id"] async for d in indexed[INBOX].find({"_id": {"$regex": "^evt_ttl_"}})]
    assert keys == ["ttl-key-live"]
    assert sorted(events) == ["evt_ttl_dated_wait", "evt_ttl_new_done", "evt_ttl_old_pending"]
