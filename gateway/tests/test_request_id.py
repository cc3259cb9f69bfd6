"""A request id given by the client is kept end to end; otherwise the gateway makes one."""

import re

import httpx
from conftest import RecordingUpstream


def test_client_request_id_is_echoed_by_gateway_and_service(app_gateway: str) -> None:
    response = httpx.get(f"{app_gateway}/api/v1/orders", headers={"X-Request-ID": "req-abc.123"})
    assert response.headers["x-request-id"] == "req-abc.123"
    assert response.json()["error"]["request_id"] == "req-abc.123"


def test_missing_request_id_is_generated_and_passed_on(app_gateway: str) -> None:
    response = httpx.get(f"{app_gateway}/api/v1/orders")
    request_id = response.headers["x-request-id"]
    assert re.fullmatch(r"[0-9a-f]{32}", request_id)
    assert response.json()["error"]["request_id"] == request_id


def test_malformed_request_id_is_replaced(
    recording_gateway: str, recording_upstream: RecordingUpstream
) -> None:
    bad = "x" * 300
    response = httpx.get(f"{recording_gateway}/api/v1/rid-check", headers={"X-Request-ID": bad})
    generated = response.headers["x-request-id"]
    assert generated != bad and re.fullmatch(r"[0-9a-f]{32}", generated)
    seen = next(r for r in recording_upstream.requests if r.path == "/api/v1/rid-check")
    assert seen.headers["x-request-id"] == generated


def test_static_pages_carry_a_request_id(app_gateway: str) -> None:
    assert httpx.get(f"{app_gateway}/").headers["x-request-id"]
