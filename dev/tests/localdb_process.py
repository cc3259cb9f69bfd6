"""Runs a private instance of the local server through dev/localdb/serve, as services.sh does."""

import asyncio
import os
import signal
import socket
from pathlib import Path
from types import TracebackType

from pymongo import AsyncMongoClient

READY_TIMEOUT_S = 30.0
STOP_TIMEOUT_S = 10.0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class LocalDb:
    def __init__(self, serve: Path, port: int, data_dir: Path, log_path: Path, *flags: str) -> None:
        """`flags`: `--count-reads` for a server that answers `readCounts`."""
        self.serve = serve
        self.flags = flags
        self.port = port
        self.data_dir = data_dir
        self.log_path = log_path
        self.url = f"mongodb://127.0.0.1:{port}"
        self._proc: asyncio.subprocess.Process | None = None

    async def start(self) -> None:
        """Starts the server and waits until it answers `ping`."""
        with self.log_path.open("ab") as log:
            self._proc = await asyncio.create_subprocess_exec(
                str(self.serve),
                str(self.port),
                str(self.data_dir),
                *self.flags,
                stdout=log,
                stderr=log,
            )
        await asyncio.wait_for(self._ping_until_ready(), READY_TIMEOUT_S)

    async def _ping_until_ready(self) -> None:
        while True:
            assert self._proc is not None
            assert self._proc.returncode is None, f"server exited; see {self.log_path}"
            client: AsyncMongoClient[dict[str, object]] = AsyncMongoClient(
                self.url, serverSelectionTimeoutMS=300
            )
            try:
                await client.admin.command("ping")
                return
            except Exception:
                await asyncio.sleep(0.1)
            finally:
                await client.close()

    async def stop(self) -> int:
        """Sends SIGTERM and returns the exit code."""
        return await self._signal(signal.SIGTERM)

    async def kill(self) -> int:
        """SIGKILL: no chance to flush anything that was not already durable."""
        return await self._signal(signal.SIGKILL)

    async def _signal(self, sig: signal.Signals) -> int:
        assert self._proc is not None
        os.kill(self._proc.pid, sig)
        code = await asyncio.wait_for(self._proc.wait(), STOP_TIMEOUT_S)
        self._proc = None
        return code

    async def __aenter__(self) -> "LocalDb":
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._proc is not None and self._proc.returncode is None:
            self._proc.kill()
            await self._proc.wait()
