"""The chaos run's own stack: the bench's stack (local MongoDB server, Redis, Stripe emulator, the
service) plus an nginx gateway in front of the service, on free ports, with state under
`.dev/chaos/` (wiped at every run). The service can be SIGKILLed and restarted at any moment."""

import asyncio
import os
import shutil
import signal
import sys
import time
from collections.abc import Awaitable, Callable

import httpx

from bench.stack import (
    EMULATOR_DIR,
    JWT_SECRET,
    PUBLISHABLE_KEY,
    REPO_ROOT,
    SECRET_KEY,
    SERVER_FLAGS,
    WEBHOOK_SECRET,
    Stack,
    find_nginx,
    free_port,
)

STATE_DIR = REPO_ROOT / ".dev" / "chaos"
LOCALDB_SERVE = REPO_ROOT / "dev" / "localdb" / "serve"
WEBHOOK_PATH = "/api/v1/payments/stripe/webhook"
# Background jobs run often so a short run can settle; each is a setting the service reads.
SERVICE_OVERRIDES = {
    # Payment links need an address to put in the link; the workload reads the token from it.
    "PUBLIC_BASE_URL": "http://127.0.0.1",
    "WEBHOOK_SWEEP_INTERVAL_SECONDS": "1",
    "WEBHOOK_RETRY_BASE_SECONDS": "1",
    "WEBHOOK_RETRY_MAX_SECONDS": "5",
    "WEBHOOK_LEASE_SECONDS": "10",
    # The repair job and the refund reconciler on a chaos run's time scale, so what no webhook
    # settles is settled within the settle phase.
    "PAYMENT_REPAIR_INTERVAL_SECONDS": "1",
    "PAYMENT_CHECK_DELAY_SECONDS": "2",
    "INTENTLESS_GRACE_SECONDS": "5",
    "REFUND_RECONCILE_INTERVAL_SECONDS": "1",
    "REFUND_STALE_AFTER_SECONDS": "5",
    # Events that no webhook delivered (lost, or the endpoint gone) come from Stripe's list.
    "EVENTS_SYNC_INTERVAL_SECONDS": "2",
    "EVENTS_SYNC_LEASE_SECONDS": "5",
    "LOG_LEVEL": "WARNING",
}
START_TIMEOUT_SECONDS = 60.0

__all__ = ["JWT_SECRET", "SECRET_KEY", "WEBHOOK_SECRET", "ChaosStack"]


class ChaosStack(Stack):
    state_dir = STATE_DIR

    def __init__(self) -> None:
        super().__init__(None)
        self.database = "erp_sales_chaos"
        self.gateway_port = free_port()
        self.gateway_url = f"http://127.0.0.1:{self.gateway_port}"
        self.service_url = f"http://127.0.0.1:{self.ports.sales}"
        self.webhook_url = f"{self.gateway_url}{WEBHOOK_PATH}"
        self.kills = 0

    def service_env(self) -> dict[str, str]:
        return {**super().service_env(), **SERVICE_OVERRIDES}

    async def start(self) -> None:
        redis_server = shutil.which("redis-server")
        nginx = find_nginx()
        if redis_server is None or nginx is None:
            raise SystemExit(
                "chaos: local MongoDB server, redis or nginx missing; run dev/setup.sh"
            )
        shutil.rmtree(STATE_DIR, ignore_errors=True)
        (STATE_DIR / "logs").mkdir(parents=True)
        self._spawn("mongo", [str(LOCALDB_SERVE), str(self.ports.mongo), str(STATE_DIR / "mongo")])
        redis = [redis_server, "--port", str(self.ports.redis), "--bind", "127.0.0.1"]
        self._spawn("redis", [*redis, "--save", "", "--appendonly", "no", "--dir", str(STATE_DIR)])
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
                "--webhook",
                f"{self.webhook_url}={WEBHOOK_SECRET}",
                "--log-level",
                "warning",
            ],
            cwd=EMULATOR_DIR,
        )
        self.spawn_gateway(nginx, self.gateway_port, REPO_ROOT / "erp-frontend" / "dist")
        await self._wait_tcp("mongo", self.ports.mongo)
        await self._wait_tcp("redis", self.ports.redis)
        await self._wait_http("emulator", f"{self.emulator_url}/_emulator/health")
        await self.start_service()
        await self._wait_http("gateway", f"{self.gateway_url}/gateway/health")

    async def start_service(self) -> None:
        command = [sys.executable, "-m", "uvicorn", "app.main:create_app", "--factory"]
        self._spawn(
            "sales",
            [*command, "--port", str(self.ports.sales), *SERVER_FLAGS],
            env=self.service_env(),
        )
        await self._wait_http("sales", f"{self.service_url}/health/ready")

    async def kill_service(self) -> None:
        """SIGKILL, as a crashed host would: no shutdown hooks, requests cut mid-way."""
        process = self._processes.pop("sales")
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
        await asyncio.to_thread(process.wait)
        self.kills += 1

    async def _wait_http(self, name: str, url: str) -> None:
        async with httpx.AsyncClient(timeout=2.0) as client:

            async def ready() -> bool:
                try:
                    return (await client.get(url)).status_code == 200
                except httpx.HTTPError:
                    return False

            await self._wait_until(name, ready)

    async def _wait_tcp(self, name: str, port: int) -> None:
        async def ready() -> bool:
            try:
                _, writer = await asyncio.open_connection("127.0.0.1", port)
            except OSError:
                return False
            writer.close()
            await writer.wait_closed()
            return True

        await self._wait_until(name, ready)

    async def _wait_until(self, name: str, ready: Callable[[], Awaitable[bool]]) -> None:
        deadline = time.monotonic() + START_TIMEOUT_SECONDS
        while not await ready():
            if self._processes[name].poll() is not None or time.monotonic() > deadline:
                log = (STATE_DIR / "logs" / f"{name}.log").read_text(errors="replace")
                raise SystemExit(f"chaos: {name} did not start; its log ends:\n{log[-2000:]}")
            await asyncio.sleep(0.1)
