"""A sales-service of this package's own (its database, its emulator, a public base URL), so
links, payments and emulator faults never meet another suite's."""

import uuid
from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest
from pymongo.asynchronous.database import AsyncDatabase

from app.core.settings import Settings
from app.main import create_app
from tests.integration.conftest import started
from tests.integration.payment_links.links import PUBLIC_BASE_URL, LinkStack
from tests.integration.stripe_support import NO_EVENTS_SYNC, Emulator, emulator, stripe_settings

__all__ = ["emulator", "links"]


@pytest.fixture(scope="module")
async def links(
    mongo: AsyncDatabase[dict[str, Any]],
    settings_for: Callable[..., Settings],
    database_name: str,
) -> AsyncIterator[LinkStack]:
    server = Emulator().start()
    database = f"{database_name}_pl{uuid.uuid4().hex[:6]}"
    settings = settings_for(
        mongodb_db=database,
        public_base_url=PUBLIC_BASE_URL,
        **stripe_settings(server),
        **NO_EVENTS_SYNC,
    )
    app = create_app(settings)
    try:
        async for client in started(app):
            yield LinkStack(server, app, client)
    finally:
        server.stop()
        await mongo.client.drop_database(database)
