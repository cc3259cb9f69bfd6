"""Deletes what is kept only for a while, once an hour on every replica.

Idempotency keys live 24 hours; processed webhook events are kept well past the three days
over which Stripe may deliver an event again, so a late duplicate is still recognised.
MongoDB's TTL indexes could do this, but the local server (FerretDB 1.24) has none, so one
job does it the same way on both.
"""

import logging
from datetime import UTC, datetime, timedelta

from pymongo.asynchronous.database import AsyncDatabase

from app.core.idempotency import KEY_LIFETIME, IdempotencyStore
from app.core.periodic import PeriodicTask
from app.infra.mongo import Document
from app.webhooks.repository import WebhookInboxRepository

logger = logging.getLogger(__name__)
PROCESSED_EVENT_LIFETIME = timedelta(days=30)
INTERVAL_SECONDS = 3600.0


async def prune_expired(database: AsyncDatabase[Document], now: datetime | None = None) -> None:
    now = now or datetime.now(UTC)
    keys = await IdempotencyStore(database).prune(created_before=now - KEY_LIFETIME)
    events = await WebhookInboxRepository(database).prune_processed(
        processed_before=now - PROCESSED_EVENT_LIFETIME
    )
    if keys or events:
        logger.info("expired records deleted", extra={"idempotency_keys": keys, "events": events})


def start_retention(database: AsyncDatabase[Document]) -> PeriodicTask:
    task = PeriodicTask("retention", INTERVAL_SECONDS, lambda: prune_expired(database))
    task.start()
    return task
