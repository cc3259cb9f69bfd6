from collections.abc import Callable

import jwt
import pytest
from httpx import AsyncClient

from app.core.settings import Settings
from app.main import create_app
from tests.integration.conftest import started
from tests.support import TEST_JWT_SECRET


async def test_issues_a_working_eight_hour_token(client: AsyncClient) -> None:
    response = await client.post("/api/v1/auth/dev-token", json={"role": "finance"})
    assert response.status_code == 200
    body = response.json()
    assert body["token_type"] == "bearer"
    assert body["expires_in"] == 8 * 3600
    assert body["sub"] == "demo-finance"
    assert body["roles"] == ["finance"]
    assert "refunds:write" in body["permissions"]
    claims = jwt.decode(body["access_token"], TEST_JWT_SECRET, algorithms=["HS256"])
    assert claims["exp"] - claims["iat"] == 8 * 3600

    orders = await client.get(
        "/api/v1/orders", headers={"Authorization": f"Bearer {body['access_token']}"}
    )
    assert orders.status_code == 200


async def test_service_token_carries_requested_scopes(client: AsyncClient) -> None:
    response = await client.post(
        "/api/v1/auth/dev-token", json={"role": "service", "scopes": ["orders:read"]}
    )
    assert response.json()["permissions"] == ["orders:read"]


@pytest.mark.parametrize("body", [{"role": "root"}, {}, {"role": "sales", "sub": "ceo"}])
async def test_bad_requests(client: AsyncClient, body: dict[str, str]) -> None:
    response = await client.post("/api/v1/auth/dev-token", json=body)
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "validation_error"


async def test_not_found_when_dev_login_is_off(settings_for: Callable[..., Settings]) -> None:
    app = create_app(settings_for(auth_dev_login=False))
    async for client in started(app):
        response = await client.post("/api/v1/auth/dev-token", json={"role": "admin"})
        assert response.status_code == 404
        assert response.json()["error"]["code"] == "not_found"
