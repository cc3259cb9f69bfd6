"""The events sync asks which listed events the inbox holds; after a long outage that is many
ids, asked in batches."""

import uuid
from collections.abc import AsyncIterator
from typing import Any

import pytest
from pymongo import AsyncMongoClient
from pymongo.asynchronous.database import AsyncDatabase

from app.webhooks.repository import INBOX, KNOWN_IDS_BATCH, WebhookInboxRepository
from tests.integration.conftest import MONGODB_URL

Database = AsyncDatabase[dict[str, Any]]


@pytest.fixture
async def database() -> AsyncIterator[Database]:
    client: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(MONGODB_URL, tz_aware=True)
    name = f"erp_sales_known_{uuid.uuid4().hex[:10]}"
    yield client[name]
    await client.drop_database(name)
    await client.close()


async def test_known_ids_finds_every_stored_event_across_batches(database: Database) -> None:
    stored = [f"evt_{i:06d}" for i in range(KNOWN_IDS_BATCH * 2 + 7)]
    await database[INBOX].insert_many([{"_id": event_id} for event_id in stored])
    asked = [*stored, *(f"evt_new_{i}" for i in range(KNOWN_IDS_BATCH))]

    known = await WebhookInboxRepository(database).known_ids(asked)

    assert known == set(stored)
