"""Everything the gateway answers itself is the service's one JSON error shape, with the
security headers, and nginx's own 405s name what is allowed."""

import socket
from urllib.parse import urlsplit

import httpx
import pytest

SECURITY_HEADERS = ("content-security-policy", "x-frame-options", "referrer-policy")


def assert_json_error(response: httpx.Response, status: int, code: str) -> None:
    assert response.status_code == status
    assert response.headers["content-type"] == "application/json"
    error = response.json()["error"]
    assert error["code"] == code
    assert error["request_id"] == response.headers["x-request-id"]
    for name in SECURITY_HEADERS:
        assert name in response.headers, name


def raw_request(base: str, data: bytes) -> bytes:
    """Bytes no HTTP client would send: a `%00` path, a DEL in a header."""
    url = urlsplit(base)
    with socket.create_connection((url.hostname or "127.0.0.1", url.port or 80), timeout=5) as s:
        s.sendall(data)
        chunks = []
        while chunk := s.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks)


def test_a_16_kb_token_is_a_json_431(recording_gateway: str) -> None:
    response = httpx.get(
        f"{recording_gateway}/api/v1/orders", headers={"Authorization": "Bearer " + "a" * 16384}
    )
    assert_json_error(response, 431, "header_too_large")


def test_a_10_kb_idempotency_key_is_a_json_431(recording_gateway: str) -> None:
    response = httpx.post(
        f"{recording_gateway}/api/v1/orders", headers={"Idempotency-Key": "k" * 10240}, json={}
    )
    assert_json_error(response, 431, "header_too_large")


def test_a_nul_in_the_path_is_a_json_400(recording_gateway: str) -> None:
    request = b"GET /api/v1/orders/%00 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
    raw = raw_request(recording_gateway, request)
    head, _, body = raw.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 400")
    assert b"application/json" in head
    assert b'"code":"bad_request"' in body


def test_a_del_byte_in_a_header_is_a_json_400_before_the_service(recording_gateway: str) -> None:
    raw = raw_request(
        recording_gateway,
        b"GET /api/v1/orders HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer a\x7fb\r\n"
        b"Connection: close\r\n\r\n",
    )
    head, _, body = raw.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 400")
    assert b'"code":"bad_request"' in body


@pytest.mark.parametrize(
    ("path", "allow"),
    [("/api/v1/orders", "GET, POST"), ("/", "GET, HEAD")],
)
def test_trace_is_a_json_405_with_allow(recording_gateway: str, path: str, allow: str) -> None:
    response = httpx.request("TRACE", f"{recording_gateway}{path}")
    assert_json_error(response, 405, "method_not_allowed")
    assert response.headers["allow"] == allow


def test_the_services_own_405_keeps_its_one_allow(app_gateway: str) -> None:
    response = httpx.delete(f"{app_gateway}/api/v1/orders")
    assert_json_error(response, 405, "method_not_allowed")
    assert response.headers.get_list("allow") == ["GET, POST"]


def test_a_refused_cors_preflight_is_json_through_the_gateway(app_gateway: str) -> None:
    response = httpx.options(
        f"{app_gateway}/api/v1/orders",
        headers={"Origin": "https://elsewhere.example", "Access-Control-Request-Method": "POST"},
    )
    assert_json_error(response, 400, "cors_refused")
    assert "access-control-allow-origin" not in response.headers


def test_the_gateways_own_413_has_the_security_headers(recording_gateway: str) -> None:
    response = httpx.post(f"{recording_gateway}/api/v1/orders", content=b"x" * (1024 * 1024 + 1))
    assert_json_error(response, 413, "payload_too_large")


def test_assets_keep_the_security_headers_and_their_cache_policy(app_gateway: str) -> None:
    response = httpx.get(f"{app_gateway}/assets/app.js")
    assert response.status_code == 200
    for name in SECURITY_HEADERS:
        assert name in response.headers, name
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["cache-control"] == "public, max-age=31536000, immutable"
    assert "allow" not in response.headers and "retry-after" not in response.headers


def test_api_answers_carry_no_gateway_cache_control(recording_gateway: str) -> None:
    response = httpx.get(f"{recording_gateway}/api/v1/orders")
    assert "cache-control" not in response.headers


def test_a_too_long_request_line_is_a_json_414(recording_gateway: str) -> None:
    response = httpx.get(f"{recording_gateway}/api/v1/orders?q=" + "x" * 9000)
    assert_json_error(response, 414, "uri_too_long")
