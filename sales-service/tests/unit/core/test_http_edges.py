"""The rough edges of HTTP in the one error shape: a 405 names every method of its path, and a
refused CORS preflight is JSON, not Starlette's plain text."""

import pytest
from httpx import ASGITransport, AsyncClient

from app.main import create_app
from tests.support import make_settings

ALLOWED_ORIGIN = "http://localhost:5173"  # make_settings' CORS origin


@pytest.fixture
async def client() -> AsyncClient:
    app = create_app(make_settings())
    return AsyncClient(transport=ASGITransport(app), base_url="http://test")


@pytest.mark.parametrize("method", ["OPTIONS", "DELETE", "PUT"])
async def test_405_on_orders_names_get_and_post(client: AsyncClient, method: str) -> None:
    response = await client.request(method, "/api/v1/orders")
    assert response.status_code == 405
    assert response.json()["error"]["code"] == "method_not_allowed"
    assert response.headers["allow"] == "GET, POST"


async def test_refused_preflight_is_a_json_error(client: AsyncClient) -> None:
    response = await client.options(
        "/api/v1/orders",
        headers={
            "Origin": "https://evil.example",
            "Access-Control-Request-Method": "POST",
            "X-Request-ID": "pre-1",
        },
    )
    assert response.status_code == 400
    assert response.headers["content-type"] == "application/json"
    assert response.headers["x-request-id"] == "pre-1"
    error = response.json()["error"]
    assert (error["code"], error["request_id"]) == ("cors_refused", "pre-1")
    assert "origin" in error["message"]
    assert "access-control-allow-origin" not in response.headers


async def test_allowed_preflight_is_unchanged(client: AsyncClient) -> None:
    response = await client.options(
        "/api/v1/orders",
        headers={"Origin": ALLOWED_ORIGIN, "Access-Control-Request-Method": "POST"},
    )
    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] == ALLOWED_ORIGIN
