"""Rate limits, body size limit, security headers and compression."""

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from conftest import RecordingUpstream, start_gateway
from rate_limits import send_until_limited


@pytest.fixture
def fresh_gateway(tmp_path: Path, recording_upstream: RecordingUpstream) -> Iterator[str]:
    """Its own nginx, so the rate-limit state starts empty."""
    yield from start_gateway(tmp_path, recording_upstream.address)


def test_payment_calls_get_429_after_the_burst(fresh_gateway: str) -> None:
    with httpx.Client() as client:
        sent = send_until_limited(
            lambda i: client.get(
                f"{fresh_gateway}/api/v1/payments/stripe/payments",
                headers={"X-Request-ID": f"rl-{i}"},
            )
        )
    statuses = sent.statuses
    assert statuses[:21] == [200] * 21, "the burst allowance is 20 requests"
    assert set(statuses) == {200, 429}
    # A burst of 20, then 10 a second.
    assert statuses.count(200) <= sent.most_allowed(burst=20, per_second=10)
    limited = [r for r in sent.responses if r.status_code == 429]
    first = limited[0]
    assert first.headers["retry-after"] == "1"
    assert first.headers["content-type"] == "application/json"
    assert first.json() == {
        "error": {
            "code": "rate_limited",
            "message": first.json()["error"]["message"],
            "request_id": first.headers["x-request-id"],
        }
    }
    assert first.headers["x-request-id"].startswith("rl-")


def test_other_api_calls_are_not_rate_limited(fresh_gateway: str) -> None:
    with httpx.Client() as client:
        statuses = [client.get(f"{fresh_gateway}/api/v1/orders").status_code for _ in range(40)]
    assert statuses == [200] * 40


def test_oversized_body_is_a_json_413(recording_gateway: str) -> None:
    response = httpx.post(f"{recording_gateway}/api/v1/orders", content=b"x" * (1024 * 1024 + 1))
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "payload_too_large"


@pytest.mark.parametrize("path", ["/", "/api/v1/orders"])
def test_security_headers_are_present(app_gateway: str, path: str) -> None:
    headers = httpx.get(f"{app_gateway}{path}").headers
    csp = headers["content-security-policy"]
    assert "script-src 'self' https://js.stripe.com" in csp
    assert "frame-src 'self' https://js.stripe.com" in csp
    assert "frame-ancestors 'none'" in csp
    assert "http://127.0.0.1:8420" in csp, "the emulator's Stripe.js must be allowed locally"
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["x-frame-options"] == "DENY"
    assert headers["referrer-policy"] == "strict-origin-when-cross-origin"
    assert "server" not in headers or "nginx/" not in headers["server"]


def test_large_json_is_gzipped(recording_gateway: str) -> None:
    response = httpx.get(f"{recording_gateway}/api/v1/big", headers={"Accept-Encoding": "gzip"})
    assert response.headers["content-encoding"] == "gzip"
    assert len(response.json()["items"]) == 200


def test_page_loads_of_the_config_are_not_limited_like_payment_actions(
    fresh_gateway: str,
) -> None:
    with httpx.Client() as client:
        statuses = [
            client.get(f"{fresh_gateway}/api/v1/payments/stripe/config").status_code
            for _ in range(200)
        ]
        # The config's own zone leaves the payment actions' allowance untouched.
        action = client.get(f"{fresh_gateway}/api/v1/payments/stripe/payments").status_code
    assert statuses == [200] * 200
    assert action == 200


@pytest.mark.parametrize("path", ["/api/v1/orders", "/api/v1/auth/dev-token"])
def test_creating_orders_and_dev_tokens_is_rate_limited(fresh_gateway: str, path: str) -> None:
    with httpx.Client() as client:
        statuses = [client.post(f"{fresh_gateway}{path}", json={}).status_code for _ in range(60)]
        reads = [client.get(f"{fresh_gateway}{path}").status_code for _ in range(30)]
    assert 429 in statuses
    assert statuses[:5] == [200] * 5
    assert reads == [200] * 30, "only POSTs count"


def test_the_gateways_429_keeps_the_security_headers(fresh_gateway: str) -> None:
    with httpx.Client() as client:
        limited = [
            r
            for r in (client.post(f"{fresh_gateway}/api/v1/auth/dev-token") for _ in range(20))
            if r.status_code == 429
        ]
    assert limited
    assert limited[0].headers["retry-after"] == "1"
    assert limited[0].headers["x-frame-options"] == "DENY"
