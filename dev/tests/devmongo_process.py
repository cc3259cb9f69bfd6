"""Runs a private instance of the devmongo binary, as the launcher does."""

import asyncio
import signal
import socket
from pathlib import Path
from types import TracebackType

READY_TIMEOUT_S = 30.0
STOP_TIMEOUT_S = 10.0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class DevMongo:
    def __init__(self, binary: Path, port: int, data_dir: Path, log_path: Path) -> None:
        self.binary = binary
        self.port = port
        self.data_dir = data_dir
        self.log_path = log_path
        self.url = f"mongodb://127.0.0.1:{port}"
        self._proc: asyncio.subprocess.Process | None = None

    async def start(self) -> None:
        """Starts the server and waits for its one-line readiness message."""
        with self.log_path.open("ab") as log:
            self._proc = await asyncio.create_subprocess_exec(
                str(self.binary),
                "--listen",
                f"127.0.0.1:{self.port}",
                "--data-dir",
                str(self.data_dir),
                stdout=asyncio.subprocess.PIPE,
                stderr=log,
            )
        assert self._proc.stdout is not None
        line = await asyncio.wait_for(self._proc.stdout.readline(), READY_TIMEOUT_S)
        expected = f"ready on 127.0.0.1:{self.port}"
        assert line.decode().strip() == expected, f"got {line!r}; see {self.log_path}"

    async def stop(self) -> int:
        """Sends SIGTERM and returns the exit code."""
        assert self._proc is not None
        self._proc.send_signal(signal.SIGTERM)
        code = await asyncio.wait_for(self._proc.wait(), STOP_TIMEOUT_S)
        self._proc = None
        return code

    async def __aenter__(self) -> "DevMongo":
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
