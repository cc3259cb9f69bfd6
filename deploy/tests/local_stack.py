"""Starts a scaled-out stack from local processes: sales-service replicas behind the local gateway.

The same pieces as docker-compose with `--scale sales-service=3`, without Docker: uvicorn
processes sharing one database on the test profile's MongoDB-compatible server and Redis, the
repo's nginx config rendered by dev/render-gateway.sh, and a Stripe emulator of the test's own
whose webhook endpoints point at that gateway. Every process is stopped by `close()`.
"""

import os
import secrets
import signal
import socket
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from repo_files import REPO_ROOT

PYTHON = REPO_ROOT / ".dev" / "venv" / "bin" / "python"
DEFAULT_MONGODB_URL = "mongodb://127.0.0.1:27117"
DEFAULT_REDIS_URL = "redis://127.0.0.1:16379/0"
WEBHOOK_PATH = "/api/v1/payments/stripe/webhook"
START_TIMEOUT_SECONDS = 30.0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@dataclass(frozen=True)
class StackSecrets:
    """Made fresh for every run: nothing here is a real key."""

    jwt_secret: str = field(default_factory=lambda: secrets.token_hex(24))
    stripe_secret_key: str = field(default_factory=lambda: f"sk_test_{secrets.token_hex(12)}")
    stripe_publishable_key: str = field(default_factory=lambda: f"pk_test_{secrets.token_hex(12)}")
    webhook_secret: str = field(default_factory=lambda: f"whsec_{secrets.token_hex(16)}")


@dataclass
class Process:
    name: str
    popen: subprocess.Popen[bytes]
    log: Path

    def log_tail(self, lines: int = 30) -> str:
        text = self.log.read_text(errors="replace") if self.log.exists() else ""
        return "\n".join(text.splitlines()[-lines:])


class LocalStack:
    def __init__(self, work_dir: Path, replicas: int, webhook_endpoints: int) -> None:
        self.work_dir = work_dir
        self.secrets = StackSecrets()
        self.database = f"scale_out_{secrets.token_hex(6)}"
        self.mongodb_url = os.environ.get("MONGODB_URL", DEFAULT_MONGODB_URL)
        self.redis_url = os.environ.get("REDIS_URL", DEFAULT_REDIS_URL)
        self.replica_ports = [free_port() for _ in range(replicas)]
        self.gateway_port = free_port()
        self.emulator_port = free_port()
        self.webhook_endpoints = webhook_endpoints
        self.processes: list[Process] = []

    @property
    def gateway_url(self) -> str:
        return f"http://127.0.0.1:{self.gateway_port}"

    @property
    def emulator_url(self) -> str:
        return f"http://127.0.0.1:{self.emulator_port}"

    @property
    def replica_urls(self) -> list[str]:
        return [f"http://127.0.0.1:{port}" for port in self.replica_ports]

    def start(self) -> None:
        self._start_emulator()
        for index, port in enumerate(self.replica_ports):
            self._start_replica(index, port)
        self._start_gateway()
        self._wait_ready("stripe-emulator", f"{self.emulator_url}/_emulator/health")
        for index, url in enumerate(self.replica_urls):
            self._wait_ready(f"sales-{index}", f"{url}/health/ready")
        self._wait_ready("gateway", f"{self.gateway_url}/gateway/health")

    def close(self) -> None:
        for process in reversed(self.processes):
            if process.popen.poll() is None:
                os.killpg(process.popen.pid, signal.SIGTERM)
        for process in self.processes:
            try:
                process.popen.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(process.popen.pid, signal.SIGKILL)
                process.popen.wait(timeout=5)
        self.processes.clear()

    def _spawn(self, name: str, args: list[str], cwd: Path, env: dict[str, str]) -> None:
        log = self.work_dir / f"{name}.log"
        with log.open("wb") as sink:
            popen = subprocess.Popen(
                args, cwd=cwd, env=env, stdout=sink, stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL, start_new_session=True,
            )  # fmt: skip
        self.processes.append(Process(name, popen, log))

    def _start_emulator(self) -> None:
        webhook = f"{self.gateway_url}{WEBHOOK_PATH}={self.secrets.webhook_secret}"
        args = [
            str(PYTHON), "-m", "stripe_emulator", "--host", "127.0.0.1",
            "--port", str(self.emulator_port),
            "--secret-key", self.secrets.stripe_secret_key,
            "--publishable-key", self.secrets.stripe_publishable_key,
            "--refund-settle-seconds", "0.2", "--log-level", "warning",
        ]  # fmt: skip
        # Several endpoints on one gateway: each event is delivered once per endpoint, in
        # parallel, so deliveries of the same event race each other across the replicas.
        for _ in range(self.webhook_endpoints):
            args += ["--webhook", webhook]
        self._spawn("stripe-emulator", args, REPO_ROOT / "stripe-emulator", dict(os.environ))

    def replica_env(self) -> dict[str, str]:
        env = dict(os.environ)
        env.update(
            MONGODB_URL=self.mongodb_url,
            MONGODB_DB=self.database,
            REDIS_URL=self.redis_url,
            JWT_ALGORITHM="HS256",
            JWT_SECRET=self.secrets.jwt_secret,
            # Empty means unset: nothing from a developer's .env.local may leak in.
            JWT_PUBLIC_KEY="",
            JWT_JWKS_URL="",
            JWT_ISSUER="",
            JWT_AUDIENCE="",
            AUTH_DEV_LOGIN="false",
            STRIPE_SECRET_KEY=self.secrets.stripe_secret_key,
            STRIPE_PUBLISHABLE_KEY=self.secrets.stripe_publishable_key,
            STRIPE_WEBHOOK_SECRET=self.secrets.webhook_secret,
            STRIPE_API_BASE=self.emulator_url,
            CORS_ORIGINS="",
            LOG_LEVEL="WARNING",
            WEBHOOK_SWEEP_INTERVAL_SECONDS="1",
            WEBHOOK_RETRY_BASE_SECONDS="0.5",
            WEBHOOK_RETRY_MAX_SECONDS="2",
        )
        return env

    def _start_replica(self, index: int, port: int) -> None:
        args = [
            str(PYTHON), "-m", "uvicorn", "app.main:create_app", "--factory",
            "--http", "app.core.http_protocol:JsonErrorHttpProtocol",
            "--host", "127.0.0.1", "--port", str(port), "--no-access-log",
        ]  # fmt: skip
        self._spawn(f"sales-{index}", args, REPO_ROOT / "sales-service", self.replica_env())

    def _start_gateway(self) -> None:
        out = self.work_dir / "gateway"
        upstreams = " ".join(f"127.0.0.1:{port}" for port in self.replica_ports)
        frontend = REPO_ROOT / "erp-frontend" / "dist"  # only the API is exercised here
        subprocess.run(
            [str(REPO_ROOT / "dev" / "render-gateway.sh"), str(out), str(self.gateway_port),
             upstreams, str(frontend), ""],
            check=True,
        )  # fmt: skip
        self._spawn("gateway", ["nginx", "-c", str(out / "nginx.conf")], out, dict(os.environ))

    def _wait_ready(self, name: str, url: str) -> None:
        process = next(p for p in self.processes if p.name == name)
        wait_until(
            lambda: _answers_ok(url),
            START_TIMEOUT_SECONDS,
            lambda: f"{name} did not become ready at {url}:\n{process.log_tail()}",
            alive=lambda: process.popen.poll() is None,
        )


def _answers_ok(url: str) -> bool:
    try:
        return httpx.get(url, timeout=2).status_code == 200
    except httpx.TransportError:
        return False


def wait_until(
    condition: Callable[[], bool],
    timeout: float,
    describe: Callable[[], str],
    alive: Callable[[], bool] = lambda: True,
) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline or not alive():
            raise AssertionError(describe())
        time.sleep(0.1)
