"""The sweep's due query reads only what is due: what it reads does not grow with processed
events (they share its index: `state` then `next_attempt_at`).

Counted, not timed (see query_plans.py): on SecantusDB by the server's own count of the rows
it read, on MongoDB 7 by `explain`.
"""

import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from pymongo import AsyncMongoClient
from pymongo.asynchronous.database import AsyncDatabase

from app.webhooks.repository import INBOX, WebhookInboxRepository
from tests.integration.conftest import MONGODB_URL
from tests.integration.query_plans import Query, Server, measuring_server, record

Database = AsyncDatabase[dict[str, Any]]
PROCESSED = 10_000
DUE = 5


@pytest.fixture
async def server(tmp_path: Path) -> AsyncIterator[Server]:
    async with measuring_server(MONGODB_URL, tmp_path / "counting-mongo") as found:
        yield found


@pytest.fixture
async def database(server: Server) -> AsyncIterator[Database]:
    client: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(server.url, tz_aware=True)
    name = f"erp_sales_due_{uuid.uuid4().hex[:10]}"
    await WebhookInboxRepository.ensure_indexes(client[name])
    yield client[name]
    await client.drop_database(name)
    await client.close()


async def test_the_due_query_does_not_read_the_processed_events(
    database: Database, server: Server
) -> None:
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
    log: list[Query] = []
    record(inbox, log)

    assert len(await inbox.due(now=now, limit=20)) == DUE
    (query,) = log
    reads = await server.meter.reads(query)
    print(f"\ndue query: {reads} rows read beside {PROCESSED:,} processed events")
    # Each due event costs an index entry and a document; the processed ones cost nothing.
    assert reads <= 4 * DUE, f"the due query read {reads} rows for {DUE} due events"
