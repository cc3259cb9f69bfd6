from collections.abc import Callable
from typing import Any

from httpx import ASGITransport, AsyncClient
from pymongo import AsyncMongoClient

from app.core.settings import Settings
from app.infra.cache import Cache
from app.infra.stripe_gateway import StripeGateway
from app.main import create_app
from tests.integration.conftest import REDIS_URL, Headers, closed_port, started
from tests.integration.orders.payloads import order_payload


async def test_live(client: AsyncClient) -> None:
    response = await client.get("/health/live")
    assert (response.status_code, response.json()) == (200, {"status": "alive"})


async def test_ready_when_everything_is_up(client: AsyncClient) -> None:
    response = await client.get("/health/ready")
    assert response.status_code == 200
    body = response.json()
    # Whether Stripe is configured here depends on the environment the suite runs in.
    assert body["detail"]["stripe_webhook_endpoint"]["status"] in ("unknown", "ok")
    del body["detail"]
    assert body == {"status": "ready", "checks": {"mongodb": "ok", "redis": "ok"}}


async def test_redis_down_is_reported_but_orders_still_work(
    settings_for: Callable[..., Settings], as_role: Callable[..., Headers], customer_id: str
) -> None:
    app = create_app(settings_for(redis_url=f"redis://127.0.0.1:{closed_port()}/0"))
    async for client in started(app):
        ready = await client.get("/health/ready")
        assert ready.status_code == 200
        body = ready.json()
        body.pop("detail", None)
        assert body == {"status": "ready", "checks": {"mongodb": "ok", "redis": "down"}}

        created = await client.post(
            "/api/v1/orders", json=order_payload(customer_id), headers=as_role("sales")
        )
        assert created.status_code == 201
        fetched = await client.get(
            f"/api/v1/orders/{created.json()['id']}", headers=as_role("sales")
        )
        assert fetched.json() == created.json()


async def test_mongodb_down_is_not_ready_and_requests_get_503(
    settings_for: Callable[..., Settings], as_role: Callable[..., Headers]
) -> None:
    """Clients pointed at a closed port, wired in without the lifespan (whose index set-up
    would refuse to start against a dead database)."""
    settings = settings_for()
    app = create_app(settings)
    mongo_client: Any = AsyncMongoClient(
        f"mongodb://127.0.0.1:{closed_port()}", serverSelectionTimeoutMS=500
    )
    app.state.database = mongo_client[settings.mongodb_db]
    app.state.cache = Cache(REDIS_URL)
    app.state.stripe = StripeGateway(None, settings.stripe_api_base)
    try:
        async with AsyncClient(transport=ASGITransport(app), base_url="http://test") as client:
            ready = await client.get("/health/ready")
            assert ready.status_code == 503
            assert ready.json() == {
                "status": "not_ready",
                "checks": {"mongodb": "down", "redis": "ok"},
            }
            orders = await client.get("/api/v1/orders", headers=as_role("sales"))
            assert orders.status_code == 503
            assert orders.json()["error"]["code"] == "service_unavailable"
    finally:
        await app.state.cache.close()
        await app.state.stripe.close()
        await mongo_client.close()
