"""Services configured for webhooks, without a background sweep (tests drive it themselves)."""

from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any

import pytest
from httpx import AsyncClient
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.asynchronous.database import AsyncDatabase

from app.core.settings import Settings
from app.main import create_app
from app.webhooks.repository import INBOX
from tests.integration.conftest import started
from tests.integration.stripe_support import Emulator, stripe_settings
from tests.integration.webhooks.events import CURRENT_SECRET, PREVIOUS_SECRET


@pytest.fixture(scope="module")
async def webhook_client(
    mongo: AsyncDatabase[dict[str, Any]], settings_for: Callable[..., Settings]
) -> AsyncIterator[AsyncClient]:
    """Two secrets, as during a rotation; no Stripe behind it."""
    settings = settings_for(
        stripe_webhook_secret=f"{CURRENT_SECRET},{PREVIOUS_SECRET}",
        webhook_sweep_interval_seconds=0,
        events_sync_interval_seconds=0,
    )
    async for client in started(create_app(settings)):
        yield client


@pytest.fixture
def inbox(mongo: AsyncDatabase[dict[str, Any]]) -> AsyncCollection[dict[str, Any]]:
    return mongo[INBOX]


@pytest.fixture(scope="module")
def quiet_emulator() -> Iterator[Emulator]:
    """An emulator of this module's own that sends no webhooks: the tests deliver them."""
    server = Emulator().start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
async def stripe_webhook_client(
    mongo: AsyncDatabase[dict[str, Any]],
    settings_for: Callable[..., Settings],
    quiet_emulator: Emulator,
) -> AsyncIterator[AsyncClient]:
    """The service talking to that emulator, receiving the events the tests deliver."""
    settings = settings_for(
        **stripe_settings(quiet_emulator),
        stripe_webhook_secret=CURRENT_SECRET,
        webhook_sweep_interval_seconds=0,
        events_sync_interval_seconds=0,
    )
    async for client in started(create_app(settings)):
        yield client
