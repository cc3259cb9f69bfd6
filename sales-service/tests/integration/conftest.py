"""Integration fixtures: a real MongoDB-compatible server and a real Redis.

Addresses come from MONGODB_URL and REDIS_URL (defaults: the `make test` profile). Each session
uses its own database, dropped at the end.
"""

import os
import shutil
import socket
import subprocess
import time
import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import redis
from fastapi import FastAPI
from httpx import ASGITransport, AsyncClient
from pymongo import AsyncMongoClient
from pymongo.asynchronous.database import AsyncDatabase
from redis.asyncio import Redis

from app.core.settings import Settings
from app.main import create_app
from tests.support import bearer, make_settings, make_token

MONGODB_URL = os.environ.get("MONGODB_URL", "mongodb://127.0.0.1:27117")
REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:16379/0")

Headers = dict[str, str]


def closed_port() -> int:
    """A local port nothing listens on (bound, then released)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


@pytest.fixture
def private_redis(tmp_path: Path) -> Iterator[tuple[int, subprocess.Popen[bytes]]]:
    """A redis-server of the test's own, so stopping it disturbs nobody else."""
    server = shutil.which("redis-server")
    assert server, "redis-server is not installed (dev/setup.sh installs it)"
    port = closed_port()
    process = subprocess.Popen(
        [server, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--dir", str(tmp_path)],
        stdout=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 10
    while True:
        try:
            redis.Redis(port=port).ping()
            break
        except redis.ConnectionError:
            if time.monotonic() > deadline:
                process.kill()
                raise
            time.sleep(0.05)
    yield port, process
    if process.poll() is None:
        process.kill()
        process.wait()


@pytest.fixture(scope="session")
def database_name() -> str:
    return f"erp_sales_test_{uuid.uuid4().hex[:10]}"


@pytest.fixture(scope="session")
async def mongo(database_name: str) -> AsyncIterator[AsyncDatabase[dict[str, Any]]]:
    client: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(
        MONGODB_URL, serverSelectionTimeoutMS=3000, tz_aware=True
    )
    try:
        await client.admin.command("ping")
    except Exception as exc:
        pytest.fail(f"no MongoDB-compatible server at MONGODB_URL={MONGODB_URL}: {exc}")
    redis = Redis.from_url(REDIS_URL, socket_connect_timeout=2)
    try:
        await redis.ping()
    except Exception as exc:
        pytest.fail(f"no Redis at REDIS_URL={REDIS_URL}: {exc}")
    finally:
        await redis.aclose()
    yield client[database_name]
    await client.drop_database(database_name)
    await client.close()


@pytest.fixture(scope="session")
def settings_for(database_name: str) -> Callable[..., Settings]:
    def build(**overrides: Any) -> Settings:
        values = {"mongodb_url": MONGODB_URL, "redis_url": REDIS_URL, "mongodb_db": database_name}
        return make_settings(**{**values, **overrides})

    return build


async def started(app: FastAPI) -> AsyncIterator[AsyncClient]:
    """Runs the app's lifespan (clients, indexes) around an in-process HTTP client."""
    async with (
        app.router.lifespan_context(app),
        AsyncClient(transport=ASGITransport(app), base_url="http://test") as client,
    ):
        yield client


# A session-long app shares its database with every later module, some with an emulator of their
# own: its sweep would claim their due events and ask its own Stripe, which holds none of them,
# and its events sync would feed the inbox behind a test's back.
SESSION_APP: dict[str, Any] = {
    "webhook_sweep_interval_seconds": 0,
    "events_sync_interval_seconds": 0,
}


@pytest.fixture(scope="session")
async def app(
    mongo: AsyncDatabase[dict[str, Any]], settings_for: Callable[..., Settings]
) -> FastAPI:
    return create_app(settings_for(**SESSION_APP))


@pytest.fixture(scope="session")
async def client(app: FastAPI) -> AsyncIterator[AsyncClient]:
    async for client in started(app):
        yield client


@pytest.fixture(scope="session")
def as_role() -> Callable[..., Headers]:
    """Authorization headers for a user with the given roles (and optional scope)."""

    def headers(*roles: str, sub: str | None = None, scope: str | None = None) -> Headers:
        subject = sub or f"user-{'-'.join(roles) or 'none'}"
        return bearer(make_token(sub=subject, roles=list(roles), scope=scope))

    return headers


@pytest.fixture
def customer_id() -> str:
    """A customer id no other test uses, so list filters see only this test's orders."""
    return f"cus_{uuid.uuid4().hex[:12]}"
