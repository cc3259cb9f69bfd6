"""The sweep's due query reads only what is due: its cost does not grow with processed events.

It is timed, not explained: SecantusDB's explain names the index whether or not the query uses
its bounds (a hinted query walks the whole index, every processed event, and explains the same).
The yardstick is a scan of the whole collection on the same data, on either server.
"""

import statistics
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from pymongo import AsyncMongoClient
from pymongo.asynchronous.database import AsyncDatabase

from app.webhooks.repository import INBOX, WebhookInboxRepository
from tests.integration.conftest import MONGODB_URL

Database = AsyncDatabase[dict[str, Any]]
PROCESSED = 10_000
DUE = 5


@pytest.fixture
async def database() -> AsyncIterator[Database]:
    client: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(MONGODB_URL, tz_aware=True)
    name = f"erp_sales_due_{uuid.uuid4().hex[:10]}"
    await WebhookInboxRepository.ensure_indexes(client[name])
    yield client[name]
    await client.drop_database(name)
    await client.close()


async def median_seconds(run: Callable[[], Awaitable[object]], times: int = 5) -> float:
    took = []
    for _ in range(times):
        began = time.perf_counter()
        await run()
        took.append(time.perf_counter() - began)
    return statistics.median(took)


async def test_the_due_query_does_not_read_the_processed_events(database: Database) -> None:
    now = datetime.now(UTC)
    past = now - timedelta(days=1)
    processed = {"state": "processed", "next_attempt_at": past, "processed_at": past}
    for start in range(0, PROCESSED, 5000):
        batch = range(start, min(start + 5000, PROCESSED))
        await database[INBOX].insert_many([{"_id": f"evt_done_{i}", **processed} for i in batch])
    await database[INBOX].insert_many(
        {"_id": f"evt_due_{i}", "state": "pending", "next_attempt_at": past, "lease_until": past}
        for i in range(DUE)
    )
    inbox = WebhookInboxRepository(database)

    assert len(await inbox.due(now=now, limit=20)) == DUE
    due = await median_seconds(lambda: inbox.due(now=now, limit=20))
    scan = await median_seconds(
        lambda: database[INBOX].find({"state": "pending"}).hint([("$natural", 1)]).to_list()
    )
    assert due * 4 < scan, f"due query {due * 1000:.1f} ms, full scan {scan * 1000:.1f} ms"
