"""The hourly retention job deletes only what has outlived its purpose."""

from datetime import UTC, datetime, timedelta
from typing import Any

from pymongo.asynchronous.database import AsyncDatabase

from app.core.idempotency import COLLECTION as IDEMPOTENCY_KEYS
from app.retention import prune_expired
from app.webhooks.repository import INBOX

NOW = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)


async def test_expired_keys_and_old_processed_events_go_everything_else_stays(
    mongo: AsyncDatabase[dict[str, Any]],
) -> None:
    await mongo[IDEMPOTENCY_KEYS].insert_many(
        [
            {"_id": "key-expired", "created_at": NOW - timedelta(hours=25)},
            {"_id": "key-live", "created_at": NOW - timedelta(hours=23)},
        ]
    )
    await mongo[INBOX].insert_many(
        [
            {"_id": "evt_old_done", "state": "processed", "processed_at": NOW - timedelta(days=31)},
            {
                "_id": "evt_recent_done",
                "state": "processed",
                "processed_at": NOW - timedelta(days=2),
            },
            {"_id": "evt_old_pending", "state": "pending", "processed_at": None},
        ]
    )

    await prune_expired(mongo, now=NOW)

    # The database is shared with the session's other tests: look at this test's records only.
    mine = {"_id": {"$in": ["key-expired", "key-live", "evt_old_done", "evt_recent_done",
                            "evt_old_pending"]}}  # fmt: skip
    keys = [d["_id"] async for d in mongo[IDEMPOTENCY_KEYS].find(mine, {"_id": 1})]
    events = sorted([d["_id"] async for d in mongo[INBOX].find(mine, {"_id": 1})])
    assert keys == ["key-live"]
    assert events == ["evt_old_pending", "evt_recent_done"]
