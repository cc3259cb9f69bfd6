"""A private instance of the local MongoDB-compatible server, for tests that stop it."""

import asyncio
import os
import signal
from pathlib import Path

from tests.integration.conftest import closed_port

REPO_ROOT = Path(__file__).resolve().parents[4]
DEVMONGO_BIN = Path(os.environ.get("DEVMONGO_BIN", REPO_ROOT / ".dev" / "bin" / "devmongo"))


class PrivateMongo:
    def __init__(self, data_dir: Path) -> None:
        assert DEVMONGO_BIN.exists(), f"no {DEVMONGO_BIN} (dev/setup.sh builds it)"
        self.port = closed_port()
        self.url = f"mongodb://127.0.0.1:{self.port}"
        self._data_dir = data_dir
        self._process: asyncio.subprocess.Process | None = None

    async def start(self) -> None:
        """Starts it (again, on the same port and data) and waits for its readiness line."""
        self._process = await asyncio.create_subprocess_exec(
            str(DEVMONGO_BIN),
            "--listen",
            f"127.0.0.1:{self.port}",
            "--data-dir",
            str(self._data_dir),
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.DEVNULL,
        )
        assert self._process.stdout is not None
        line = await asyncio.wait_for(self._process.stdout.readline(), 30)
        assert line.decode().strip() == f"ready on 127.0.0.1:{self.port}", line

    async def stop(self) -> None:
        if self._process is None or self._process.returncode is not None:
            return
        self._process.send_signal(signal.SIGTERM)
        try:
            await asyncio.wait_for(self._process.wait(), 10)
        except TimeoutError:
            self._process.kill()
            await self._process.wait()
