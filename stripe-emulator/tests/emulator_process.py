"""The emulator as a real process (`python -m stripe_emulator`), for restart and signal tests."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx

from tests.conftest import PUBLISHABLE_KEY, SECRET_KEY
from tests.servers import free_port

PACKAGE_ROOT = Path(__file__).resolve().parent.parent


class EmulatorProcess:
    def __init__(self, log_path: Path, args: list[str]) -> None:
        self.url = ""
        self.log_path = log_path
        self._args = args
        self._process: subprocess.Popen[bytes] | None = None

    def start(self, wait: bool = True) -> None:
        """Starts on a fresh port each time: the state lives in the file, not in the address."""
        port = free_port()
        self.url = f"http://127.0.0.1:{port}"
        command = [sys.executable, "-m", "stripe_emulator", "--host", "127.0.0.1",
                   "--port", str(port), "--log-level", "info",
                   "--secret-key", SECRET_KEY, "--publishable-key", PUBLISHABLE_KEY,
                   *self._args]  # fmt: skip
        with open(self.log_path, "ab") as log:
            self._process = subprocess.Popen(
                command,
                cwd=PACKAGE_ROOT,
                env={k: v for k, v in os.environ.items() if not k.startswith("STRIPE_")},
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        if wait:
            self.wait_healthy()

    def wait_healthy(self) -> None:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and self.running:
            try:
                if httpx.get(f"{self.url}/_emulator/health").status_code == 200:
                    return
            except httpx.TransportError:
                time.sleep(0.05)
        self.kill()
        raise AssertionError(f"emulator did not become healthy:\n{self.log()}")

    @property
    def pid(self) -> int:
        assert self._process is not None
        return self._process.pid

    @property
    def running(self) -> bool:
        return self._process is not None and self._process.poll() is None

    def exit_code(self, timeout: float = 20) -> int:
        assert self._process is not None
        return self._process.wait(timeout=timeout)

    def terminate(self) -> None:
        self._signal(signal.SIGTERM)

    def kill(self) -> None:
        self._signal(signal.SIGKILL)

    def _signal(self, number: int) -> None:
        if self._process is not None and self._process.poll() is None:
            self._process.send_signal(number)
            self._process.wait(timeout=20)

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")
