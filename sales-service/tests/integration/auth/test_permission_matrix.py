"""The one role table (docs/api.md), route by route and caller by caller: 403 exactly when the
caller lacks the route's permission. Requests carry no valid body or ids: the permission is
checked before anything else, so an allowed caller gets some other answer (404, 422, …)."""

from collections.abc import Callable

import pytest
from httpx import AsyncClient

from app.cli.export_openapi import openapi_document
from tests.integration.auth.api_doc_tables import normalized, role_table, route_table
from tests.integration.conftest import Headers

FAKE_PAYMENT = "pay_" + "0" * 32
ROUTES: dict[tuple[str, str], str | None] = {
    ("GET", "/health/live"): None,
    ("GET", "/health/ready"): None,
    ("POST", "/api/v1/auth/dev-token"): None,
    ("POST", "/api/v1/orders"): "orders:write",
    ("GET", "/api/v1/orders"): "orders:read",
    ("GET", "/api/v1/orders/{order_id}"): "orders:read",
    ("GET", "/api/v1/payments/stripe/config"): None,
    ("POST", "/api/v1/payments/stripe/create-intent"): "payments:write",
    ("POST", "/api/v1/payments/stripe/confirm"): "payments:write",
    ("POST", "/api/v1/payments/stripe/capture/{payment_id}"): "payments:capture",
    ("POST", "/api/v1/payments/stripe/cancel/{payment_id}"): "payments:write",
    ("GET", "/api/v1/payments/stripe/payments"): "payments:read",
    ("GET", "/api/v1/payments/stripe/payments/export.csv"): "payments:read",
    ("GET", "/api/v1/payments/stripe/payments/{payment_id}"): "payments:read",
    ("POST", "/api/v1/payments/stripe/refund/{payment_id}"): "refunds:write",
    ("GET", "/api/v1/payments/stripe/stats"): "reports:read",
    ("GET", "/api/v1/audit"): "audit:read",
    ("GET", "/api/v1/payments/stripe/attention"): "audit:read",
    ("POST", "/api/v1/payments/stripe/webhook"): None,
    ("POST", "/api/v1/orders/{order_id}/payment-links"): "payments:write",
    ("GET", "/api/v1/orders/{order_id}/payment-links"): "payments:read",
    ("DELETE", "/api/v1/orders/{order_id}/payment-links/{link_id}"): "payments:write",
    ("GET", "/api/v1/pay/{token}"): None,
    ("POST", "/api/v1/pay/{token}/intent"): None,
    ("POST", "/api/v1/pay/{token}/confirm"): None,
}
# docs/api.md's table of permissions per role (compared with it below); a service token has
# only its scopes.
ROLE_TABLE = {
    "sales": {"orders:read", "orders:write", "payments:read", "payments:write", "payments:capture"},
    "finance": {
        "orders:read",
        "payments:read",
        "payments:write",
        "payments:capture",
        "refunds:read",
        "refunds:write",
        "reports:read",
        "audit:read",
    },
    "admin": {
        "orders:read",
        "orders:write",
        "payments:read",
        "payments:write",
        "payments:capture",
        "refunds:read",
        "refunds:write",
        "reports:read",
        "audit:read",
    },
    "service": set(),
}
PERMISSIONS = sorted({p for p in ROUTES.values() if p is not None})
GUARDED = sorted((key, p) for key, p in ROUTES.items() if p is not None)


def test_the_table_names_every_route() -> None:
    paths = openapi_document()["paths"]
    served = {(method.upper(), path) for path, ops in paths.items() for method in ops}
    assert served == set(ROUTES)


def test_the_docs_route_table_says_the_same() -> None:
    documented = route_table()
    documented.pop(("GET", "/metrics"))  # not in the OpenAPI document, not routed by the gateway
    assert documented == {(method, normalized(path)): p for (method, path), p in ROUTES.items()}


def test_the_docs_role_table_says_the_same() -> None:
    assert role_table() == ROLE_TABLE


def test_openapi_names_each_routes_permission() -> None:
    paths = openapi_document()["paths"]
    for (method, path), permission in ROUTES.items():
        description = paths[path][method.lower()].get("description", "")
        if permission is None:
            assert "Needs `" not in description, (method, path)
        else:
            assert f"Needs `{permission}`" in description, (method, path)


def _url(path: str) -> str:
    return (
        path.replace("{order_id}", "ord_missing")
        .replace("{payment_id}", FAKE_PAYMENT)
        .replace("{link_id}", "plink_missing")
    )


@pytest.mark.parametrize(
    ("route", "permission"), GUARDED, ids=[f"{m} {p}" for (m, p), _ in GUARDED]
)
@pytest.mark.parametrize("role", sorted(ROLE_TABLE))
async def test_each_role_is_allowed_exactly_its_permissions(
    client: AsyncClient,
    as_role: Callable[..., Headers],
    route: tuple[str, str],
    permission: str,
    role: str,
) -> None:
    method, path = route
    response = await client.request(method, _url(path), json={}, headers=as_role(role))
    allowed = permission in ROLE_TABLE[role]
    assert (response.status_code == 403) is not allowed, response.text
    assert response.status_code != 401


@pytest.mark.parametrize(
    ("route", "permission"), GUARDED, ids=[f"{m} {p}" for (m, p), _ in GUARDED]
)
@pytest.mark.parametrize("scope", PERMISSIONS)
async def test_a_service_token_has_exactly_its_scopes(
    client: AsyncClient,
    as_role: Callable[..., Headers],
    route: tuple[str, str],
    permission: str,
    scope: str,
) -> None:
    method, path = route
    headers = as_role("service", scope=scope)
    response = await client.request(method, _url(path), json={}, headers=headers)
    assert (response.status_code == 403) is (scope != permission), response.text


@pytest.mark.parametrize(
    ("route", "permission"), GUARDED, ids=[f"{m} {p}" for (m, p), _ in GUARDED]
)
async def test_no_token_is_401(
    client: AsyncClient, route: tuple[str, str], permission: str
) -> None:
    method, path = route
    assert (await client.request(method, _url(path), json={})).status_code == 401
