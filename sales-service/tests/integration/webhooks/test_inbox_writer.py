"""The inbox's group commit: concurrent webhook requests share one insert_many, and each is told
exactly what happened to its own event."""

import asyncio
import uuid
from collections.abc import AsyncIterator, Sequence
from typing import Any

import pytest
from pymongo import AsyncMongoClient
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import AutoReconnect, PyMongoError

from app.webhooks.inbox_writer import InboxWriter
from app.webhooks.repository import INBOX, WebhookInboxRepository
from tests.integration.conftest import MONGODB_URL

Database = AsyncDatabase[dict[str, Any]]


class CountingInbox(WebhookInboxRepository):
    def __init__(self, database: Database, fail: bool = False) -> None:
        super().__init__(database)
        self.batches: list[int] = []
        self._fail = fail

    async def insert_new(self, documents: Sequence[dict[str, Any]]) -> list[bool | PyMongoError]:
        self.batches.append(len(documents))
        await asyncio.sleep(0.01)  # a write takes a moment: requests pile up behind it
        if self._fail:
            raise AutoReconnect("connection refused (database down)")
        return await super().insert_new(documents)


@pytest.fixture
async def database() -> AsyncIterator[Database]:
    client: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(MONGODB_URL, tz_aware=True)
    name = f"erp_sales_writer_{uuid.uuid4().hex[:10]}"
    yield client[name]
    await client.drop_database(name)
    await client.close()


async def test_concurrent_events_share_writes_and_duplicates_are_told_apart(
    database: Database,
) -> None:
    inbox, writer = CountingInbox(database), InboxWriter(max_batch=16)
    await inbox.insert({"_id": "evt_seen_before"})
    ids = [f"evt_{n}" for n in range(40)] + ["evt_3", "evt_7", "evt_seen_before"]

    results = await asyncio.gather(*(writer.insert(inbox, {"_id": i}) for i in ids))

    assert results == [True] * 40 + [False] * 3
    assert sum(inbox.batches) == len(ids)
    assert len(inbox.batches) < len(ids) / 4  # far fewer writes than events
    assert max(inbox.batches) <= 16
    assert await database[INBOX].count_documents({}) == 41


async def test_a_failed_write_fails_every_request_of_its_batch(database: Database) -> None:
    inbox, writer = CountingInbox(database, fail=True), InboxWriter()
    results = await asyncio.gather(
        *(writer.insert(inbox, {"_id": f"evt_{n}"}) for n in range(10)), return_exceptions=True
    )
    assert all(isinstance(result, AutoReconnect) for result in results)
    assert await database[INBOX].count_documents({}) == 0
    # The writer is not stuck: the next event is stored once the database answers again.
    assert await writer.insert(WebhookInboxRepository(database), {"_id": "evt_ok"})
