"""A private instance of the local MongoDB-compatible server, for tests that stop it."""

import asyncio
import os
import signal
from pathlib import Path

from pymongo import AsyncMongoClient
from pymongo.errors import PyMongoError

from tests.integration.conftest import closed_port

REPO_ROOT = Path(__file__).resolve().parents[3]
LOCALDB_SERVE = Path(os.environ.get("LOCALDB_SERVE", REPO_ROOT / "dev" / "localdb" / "serve"))


class PrivateMongo:
    def __init__(self, data_dir: Path, *, count_reads: bool = False) -> None:
        """`count_reads`: the server answers `readCounts` (see dev/localdb/read_counter.py)."""
        self.port = closed_port()
        self._flags = ["--count-reads"] if count_reads else []
        self.url = f"mongodb://127.0.0.1:{self.port}"
        self._data_dir = data_dir
        self._process: asyncio.subprocess.Process | None = None

    async def start(self) -> None:
        """Starts it (again, on the same port and data) and waits until it answers `ping`."""
        self._process = await asyncio.create_subprocess_exec(
            str(LOCALDB_SERVE),
            str(self.port),
            str(self._data_dir),
            *self._flags,
            stdout=asyncio.subprocess.DEVNULL,
            stderr=asyncio.subprocess.DEVNULL,
        )
        await asyncio.wait_for(self._until_ready(), 30)

    async def _until_ready(self) -> None:
        while True:
            assert self._process is not None
            assert self._process.returncode is None, "server exited"
            client: AsyncMongoClient[dict[str, object]] = AsyncMongoClient(
                self.url, serverSelectionTimeoutMS=300
            )
            try:
                await client.admin.command("ping")
                return
            except PyMongoError:
                await asyncio.sleep(0.1)
            finally:
                await client.close()

    async def stop(self) -> None:
        if self._process is None or self._process.returncode is not None:
            return
        self._process.send_signal(signal.SIGTERM)
        try:
            await asyncio.wait_for(self._process.wait(), 10)
        except TimeoutError:
            self._process.kill()
            await self._process.wait()
