"""The gateway routes the API to the sales-service and everything else to the frontend."""

import httpx
from conftest import RecordingUpstream


def test_api_is_routed_to_the_sales_service(app_gateway: str) -> None:
    response = httpx.get(f"{app_gateway}/api/v1/orders")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthorized"


def test_health_is_routed_to_the_sales_service(app_gateway: str) -> None:
    response = httpx.get(f"{app_gateway}/health/ready")
    assert response.status_code == 200
    assert response.json()["checks"]["mongodb"] == "ok"


def test_frontend_index_is_served(app_gateway: str) -> None:
    response = httpx.get(f"{app_gateway}/")
    assert response.status_code == 200
    assert "text/html" in response.headers["content-type"]
    assert "<title>ERP" in response.text


def test_unknown_page_falls_back_to_the_spa_index(app_gateway: str) -> None:
    response = httpx.get(f"{app_gateway}/orders/ord_123")
    assert response.status_code == 200
    assert "<title>ERP" in response.text


def test_unknown_api_route_is_a_json_404_not_the_spa(app_gateway: str) -> None:
    response = httpx.get(f"{app_gateway}/api/v1/nothing-here")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_forwarded_headers_reach_the_upstream(
    recording_gateway: str, recording_upstream: RecordingUpstream
) -> None:
    httpx.get(f"{recording_gateway}/api/v1/forwarded-check", headers={"Host": "erp.example"})
    seen = next(r for r in recording_upstream.requests if r.path == "/api/v1/forwarded-check")
    assert seen.headers["x-forwarded-for"] == "127.0.0.1"
    assert seen.headers["x-real-ip"] == "127.0.0.1"
    assert seen.headers["x-forwarded-proto"] == "http"
    assert seen.headers["x-forwarded-host"] == "erp.example"
    assert seen.headers["x-request-id"]


def test_upstream_down_is_a_json_503(dead_upstream_gateway: str) -> None:
    response = httpx.get(
        f"{dead_upstream_gateway}/api/v1/orders", headers={"X-Request-ID": "down-1"}
    )
    assert response.status_code == 503
    assert response.json()["error"] == {
        "code": "upstream_unavailable",
        "message": response.json()["error"]["message"],
        "request_id": "down-1",
    }
