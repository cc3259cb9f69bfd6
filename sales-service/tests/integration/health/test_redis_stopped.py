"""A Redis that stops while the service runs: readiness says so, orders keep working."""

import subprocess
from collections.abc import Callable

from app.core.settings import Settings
from app.main import create_app
from tests.integration.conftest import Headers, started
from tests.integration.orders.payloads import order_payload


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
        body = after.json()
        body.pop("detail", None)
        assert body == {"status": "ready", "checks": {"mongodb": "ok", "redis": "down"}}
        created = await client.post(
            "/api/v1/orders", json=order_payload(customer_id), headers=as_role("sales")
        )
        assert created.status_code == 201
        listed = await client.get("/api/v1/orders", headers=as_role("sales"))
        assert created.json()["id"] in [order["id"] for order in listed.json()["items"]]
