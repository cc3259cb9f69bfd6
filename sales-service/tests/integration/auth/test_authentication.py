"""Every way a token can be wrong gets 401 with a Bearer challenge; a weak token gets 403."""

from collections.abc import Callable
from datetime import timedelta

import pytest
from httpx import AsyncClient

from tests.integration.conftest import Headers
from tests.support import make_token, unsigned_token


def expired() -> str:
    return make_token(roles=["admin"], expires_in=timedelta(hours=-1))


def wrongly_signed() -> str:
    return make_token(roles=["admin"], key="some-other-secret-0123456789-abcdef")


def alg_none() -> str:
    return unsigned_token({"sub": "mallory", "roles": ["admin"], "exp": 4102444800})


@pytest.mark.parametrize(
    ("headers", "message", "challenge"),
    [
        pytest.param({}, "A bearer token is required.", "Bearer", id="missing"),
        pytest.param(
            {"Authorization": "Basic dXNlcjpwYXNz"},
            "A bearer token is required.",
            "Bearer",
            id="basic",
        ),
        pytest.param(
            {"Authorization": f"Bearer {expired()}"},
            "The token has expired.",
            'Bearer error="invalid_token"',
            id="expired",
        ),
        pytest.param(
            {"Authorization": f"Bearer {alg_none()}"},
            "The token is invalid.",
            'Bearer error="invalid_token"',
            id="alg-none",
        ),
        pytest.param(
            {"Authorization": f"Bearer {wrongly_signed()}"},
            "The token is invalid.",
            'Bearer error="invalid_token"',
            id="wrong-signature",
        ),
        pytest.param(
            {"Authorization": "Bearer not-a-jwt"},
            "The token is invalid.",
            'Bearer error="invalid_token"',
            id="malformed",
        ),
    ],
)
@pytest.mark.parametrize(
    ("method", "path"),
    [("GET", "/api/v1/orders"), ("POST", "/api/v1/orders"), ("GET", "/api/v1/orders/ord_x")],
)
async def test_unauthorized(
    client: AsyncClient,
    method: str,
    path: str,
    headers: dict[str, str],
    message: str,
    challenge: str,
) -> None:
    response = await client.request(method, path, headers=headers, json={"not": "checked"})
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == challenge
    assert response.json() == {
        "error": {
            "code": "unauthorized",
            "message": message,
            "request_id": response.headers["X-Request-ID"],
        }
    }


async def test_valid_token_without_permission_is_forbidden(
    client: AsyncClient, as_role: Callable[..., Headers]
) -> None:
    response = await client.get("/api/v1/orders", headers=as_role("service"))
    assert response.status_code == 403
    assert "WWW-Authenticate" not in response.headers
    assert response.json()["error"]["code"] == "forbidden"


async def test_unknown_route_and_wrong_method(
    client: AsyncClient, as_role: Callable[..., Headers]
) -> None:
    unknown = await client.get("/api/v1/invoices", headers=as_role("admin"))
    wrong_method = await client.delete("/api/v1/orders/ord_x", headers=as_role("admin"))
    assert unknown.status_code == 404
    assert unknown.json()["error"]["code"] == "not_found"
    assert wrong_method.status_code == 405
    assert wrong_method.json()["error"]["code"] == "method_not_allowed"
    assert wrong_method.headers["Allow"] == "GET"
