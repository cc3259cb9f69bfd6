"""Fixtures for the local MongoDB-compatible server (SecantusDB)."""

import os
import shutil
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio
from localdb_process import LocalDb, free_port
from pymongo import AsyncMongoClient
from pymongo.asynchronous.database import AsyncDatabase

REPO_ROOT = Path(__file__).resolve().parents[2]

# The `make test` profile's port; the test tooling starts the server there before pytest.
DEFAULT_LOCAL_MONGODB_URL = "mongodb://127.0.0.1:27117"


@pytest.fixture(scope="session")
def local_mongodb_url() -> str:
    return os.environ.get("LOCAL_MONGODB_URL", DEFAULT_LOCAL_MONGODB_URL)


@pytest.fixture(scope="session")
def localdb_serve() -> Path:
    """The launcher script; it fails with a clear message when dev/setup.sh has not run."""
    return Path(os.environ.get("LOCALDB_SERVE", REPO_ROOT / "dev" / "localdb" / "serve"))


@pytest.fixture
def restart_dir() -> Iterator[Path]:
    """A fresh directory for a private server instance, removed afterwards."""
    path = REPO_ROOT / ".dev" / "test" / "mongo-restart" / uuid.uuid4().hex[:12]
    path.mkdir(parents=True)
    yield path
    shutil.rmtree(path, ignore_errors=True)


@pytest_asyncio.fixture(loop_scope="function")
async def local_mongo_db(local_mongodb_url: str) -> AsyncIterator[AsyncDatabase[dict[str, Any]]]:
    """A database of this test's own, dropped afterwards."""
    client: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(
        local_mongodb_url, serverSelectionTimeoutMS=5000
    )
    name = f"test_local_mongo_{uuid.uuid4().hex[:12]}"
    try:
        yield client[name]
    finally:
        await client.drop_database(name)
        await client.close()


@pytest_asyncio.fixture(loop_scope="function")
async def counting_db(
    localdb_serve: Path, restart_dir: Path
) -> AsyncIterator[AsyncDatabase[dict[str, Any]]]:
    """A database on a private server that counts the rows each query reads (`readCounts`)."""
    server = LocalDb(
        localdb_serve,
        free_port(),
        restart_dir / "data",
        restart_dir / "server.log",
        "--count-reads",
    )
    await server.start()
    client: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(server.url)
    try:
        yield client.gaps
    finally:
        await client.close()
        await server.stop()


async def rows_read(database: AsyncDatabase[dict[str, Any]], run: Any) -> int:
    """Documents plus index entries the server read while `run()` ran."""
    await database.client.admin.command("readCounts")
    await run()
    counted = await database.client.admin.command("readCounts")
    return int(counted["documents"]) + int(counted["index_entries"])
