"""The benchmark's own stack: the local MongoDB server (SecantusDB), Redis, Stripe emulator, the
service and a bare FastAPI app, each on a free port, with state under `.dev/bench/` (wiped at
every run)."""

import asyncio
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pymongo

from bench.load import http_request, request_once

REPO_ROOT = Path(__file__).resolve().parents[2]
SERVICE_DIR = REPO_ROOT / "sales-service"
EMULATOR_DIR = REPO_ROOT / "stripe-emulator"
STATE_DIR = REPO_ROOT / ".dev" / "bench"
# Starts SecantusDB with the flags every local profile uses: dev/localdb/serve PORT DATA_DIR.
LOCALDB_SERVE = REPO_ROOT / "dev" / "localdb" / "serve"
LOCALDB_SERVER = REPO_ROOT / ".dev" / "localdb" / "bin" / "secantusd-py"
# Renders the gateway's nginx config as `make run` and compose use it.
RENDER_GATEWAY = REPO_ROOT / "dev" / "render-gateway.sh"

SECRET_KEY = "sk_test_bench_emulator_secret_key"
PUBLISHABLE_KEY = "pk_test_bench_emulator_publishable_key"
WEBHOOK_SECRET = "whsec_bench_webhook_secret"
JWT_SECRET = "bench-only-jwt-signing-secret-0123456789abcdef"
DATABASE = "erp_sales_bench"
# Both apps are served with exactly these uvicorn settings (one worker, as `make run` does).
SERVER_FLAGS = [
    "--host",
    "127.0.0.1",
    "--no-access-log",
    "--proxy-headers",
    "--forwarded-allow-ips",
    "127.0.0.1",
]


def find_nginx() -> str | None:
    """nginx on the PATH, or where Debian installs it (outside a non-root PATH)."""
    return shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@dataclass
class Ports:
    mongo: int = field(default_factory=free_port)
    redis: int = field(default_factory=free_port)
    emulator: int = field(default_factory=free_port)
    sales: int = field(default_factory=free_port)
    bare: int = field(default_factory=free_port)
    gateway: int = field(default_factory=free_port)


class Stack:
    """`mongodb_url` points at a MongoDB to use instead of starting the local server; the
    benchmark then works in a database of its own there and drops it at the end."""

    # Where the processes keep their data and logs; a subclass may give its own.
    state_dir: Path = STATE_DIR

    def __init__(
        self,
        mongodb_url: str | None = None,
        workers: int = 1,
        profile: Path | None = None,
        gateway: bool = False,
    ) -> None:
        """`workers`: uvicorn workers per app. `profile`: run the service under cProfile (one
        worker), its stats written there when the stack stops. `gateway`: the ERP gateway's
        nginx in front of the service too, on `ports.gateway`."""
        self.workers = workers
        self.gateway = gateway
        self.profile = profile
        self.ports = Ports()
        self.emulator_url = f"http://127.0.0.1:{self.ports.emulator}"
        self.external_mongodb = mongodb_url is not None
        self.mongodb_url = mongodb_url or f"mongodb://127.0.0.1:{self.ports.mongo}"
        self.database = f"{DATABASE}_{uuid.uuid4().hex[:8]}" if mongodb_url else DATABASE
        self._processes: dict[str, subprocess.Popen[bytes]] = {}

    def service_env(self) -> dict[str, str]:
        return {
            **os.environ,
            "MONGODB_URL": self.mongodb_url,
            "MONGODB_DB": self.database,
            "REDIS_URL": f"redis://127.0.0.1:{self.ports.redis}/0",
            "JWT_SECRET": JWT_SECRET,
            "JWT_ALGORITHM": "HS256",
            "STRIPE_SECRET_KEY": SECRET_KEY,
            "STRIPE_PUBLISHABLE_KEY": PUBLISHABLE_KEY,
            "STRIPE_WEBHOOK_SECRET": WEBHOOK_SECRET,
            "STRIPE_API_BASE": self.emulator_url,
            "LOG_LEVEL": "INFO",
        }

    async def start(self) -> None:
        if not LOCALDB_SERVER.exists() and not self.external_mongodb:
            raise SystemExit(
                f"bench: {LOCALDB_SERVER.name} is not installed; run dev/setup.sh first"
            )
        redis_server = shutil.which("redis-server")
        if redis_server is None:
            raise SystemExit("bench: redis-server is not installed; run dev/setup.sh first")
        shutil.rmtree(STATE_DIR, ignore_errors=True)
        (STATE_DIR / "logs").mkdir(parents=True)
        if not self.external_mongodb:
            self._spawn(
                "mongo",
                [str(LOCALDB_SERVE), str(self.ports.mongo), str(STATE_DIR / "mongo")],
            )
        self._spawn(
            "redis",
            [
                redis_server,
                "--port",
                str(self.ports.redis),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(STATE_DIR),
            ],
        )
        self._spawn(
            "emulator",
            [
                sys.executable,
                "-m",
                "stripe_emulator",
                "--port",
                str(self.ports.emulator),
                "--secret-key",
                SECRET_KEY,
                "--publishable-key",
                PUBLISHABLE_KEY,
                "--log-level",
                "warning",
            ],
            cwd=EMULATOR_DIR,
        )
        if not self.external_mongodb:
            await self._wait("mongo", lambda: _mongo_ping(self.mongodb_url))
        await self._wait("redis", lambda: _tcp_open(self.ports.redis))
        await self._wait("emulator", lambda: _http_ok(self.ports.emulator, "/_emulator/health"))
        uvicorn = [sys.executable, "-m", "uvicorn"]
        flags = [*SERVER_FLAGS, *(["--workers", str(self.workers)] if self.workers > 1 else [])]
        service = uvicorn
        if self.profile is not None:
            profiled = ["-m", "cProfile", "-o", str(self.profile), "-m", "bench.profiled_service"]
            service = [sys.executable, *profiled]
        self._spawn(
            "sales",
            [*service, "app.main:create_app", "--factory", "--port", str(self.ports.sales), *flags],
            env=self.service_env(),
        )
        bare_app = [*uvicorn, "bench.bare_app:app", "--port", str(self.ports.bare), *flags]
        self._spawn("bare", bare_app)
        await self._wait("sales", lambda: _http_ok(self.ports.sales, "/health/ready"))
        await self._wait("bare", lambda: _http_ok(self.ports.bare, "/bare"))
        if self.gateway:
            await self._start_gateway()

    async def _start_gateway(self) -> None:
        nginx = find_nginx()
        if nginx is None:
            raise SystemExit("bench: nginx is not installed; run dev/setup.sh first")
        frontend = self.state_dir / "frontend"
        frontend.mkdir()
        (frontend / "index.html").write_text("<!doctype html><title>bench</title>\n")
        self.spawn_gateway(nginx, self.ports.gateway, frontend)
        await self._wait("gateway", lambda: _http_ok(self.ports.gateway, "/health/ready"))

    def spawn_gateway(self, nginx: str, port: int, frontend_root: Path) -> None:
        """The ERP gateway's nginx in front of the service on `port`, its config rendered from
        `gateway/templates` as `make run` renders it."""
        out = self.state_dir / "gateway"
        upstream = f"127.0.0.1:{self.ports.sales}"
        render = [str(RENDER_GATEWAY), str(out), str(port), upstream, str(frontend_root), ""]
        subprocess.run(render, check=True, cwd=REPO_ROOT)  # noqa: S603 - our own script
        self._spawn("gateway", [nginx, "-c", str(out / "nginx.conf")])

    def cpu_seconds(self) -> dict[str, float]:
        """CPU time used so far by each started process (with its children), from /proc."""
        used = dict.fromkeys(self._processes, 0.0)
        groups = {process.pid: name for name, process in self._processes.items()}
        ticks = os.sysconf("SC_CLK_TCK")
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            name = groups.get(int(fields[2]))  # the process group: each service is its own
            if name is not None:
                used[name] += (int(fields[11]) + int(fields[12])) / ticks
        return used

    def drop_external_database(self) -> None:
        if self.external_mongodb:
            client: pymongo.MongoClient[dict[str, Any]]
            with pymongo.MongoClient(self.mongodb_url, serverSelectionTimeoutMS=5000) as client:
                client.drop_database(self.database)

    def stop(self) -> None:
        for process in reversed(self._processes.values()):
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in self._processes.values():
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        self._processes.clear()

    def _spawn(
        self,
        name: str,
        command: list[str],
        cwd: Path = SERVICE_DIR,
        env: dict[str, str] | None = None,
    ) -> None:
        with (self.state_dir / "logs" / f"{name}.log").open("ab") as log:
            self._processes[name] = subprocess.Popen(  # noqa: S603 - our own fixed commands
                command,
                cwd=cwd,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    async def _wait(self, name: str, ready: Callable[[], Awaitable[bool]]) -> None:
        deadline = time.monotonic() + 60
        while not await ready():
            if self._processes[name].poll() is not None or time.monotonic() > deadline:
                log = (STATE_DIR / "logs" / f"{name}.log").read_text(errors="replace")
                raise SystemExit(f"bench: {name} did not start; its log ends with:\n{log[-2000:]}")
            await asyncio.sleep(0.1)


async def _mongo_ping(url: str) -> bool:
    client: pymongo.AsyncMongoClient[dict[str, Any]] = pymongo.AsyncMongoClient(
        url, serverSelectionTimeoutMS=500, connectTimeoutMS=500
    )
    try:
        await client.admin.command("ping")
    except pymongo.errors.PyMongoError:
        return False
    finally:
        await client.close()
    return True


async def _tcp_open(port: int) -> bool:
    try:
        _, writer = await asyncio.open_connection("127.0.0.1", port)
    except OSError:
        return False
    writer.close()
    await writer.wait_closed()
    return True


async def _http_ok(port: int, path: str) -> bool:
    try:
        response = await request_once(port, http_request("GET", path, port))
    except (OSError, asyncio.IncompleteReadError):
        return False
    return response.status == 200
