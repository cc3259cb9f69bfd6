"""A Redis that stops while the service runs: readiness says so, orders keep working."""

import shutil
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import redis

from app.core.settings import Settings
from app.main import create_app
from tests.integration.conftest import Headers, closed_port, started
from tests.integration.orders.payloads import order_payload


@pytest.fixture
def private_redis(tmp_path: Path) -> Iterator[tuple[int, subprocess.Popen[bytes]]]:
    """A redis-server of this test's own, so stopping it disturbs no one else."""
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


async def test_ready_reports_redis_stopped_and_orders_still_work(
    settings_for: Callable[..., Settings],
    as_role: Callable[..., Headers],
    customer_id: str,
    private_redis: tuple[int, subprocess.Popen[bytes]],
) -> None:
    port, process = private_redis
    app = create_app(settings_for(redis_url=f"redis://127.0.0.1:{port}/0"))
    async for client in started(app):
        before = await client.get("/health/ready")
        assert before.json()["checks"] == {"mongodb": "ok", "redis": "ok"}

        process.terminate()
        process.wait(timeout=10)

        after = await client.get("/health/ready")
        assert after.status_code == 200
        assert after.json() == {"status": "ready", "checks": {"mongodb": "ok", "redis": "down"}}
        created = await client.post(
            "/api/v1/orders", json=order_payload(customer_id), headers=as_role("sales")
        )
        assert created.status_code == 201
        listed = await client.get("/api/v1/orders", headers=as_role("sales"))
        assert created.json()["id"] in [order["id"] for order in listed.json()["items"]]
