"""The public side of payment links: its own rate limit, the SPA for the page, and no token in
the access log."""

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from conftest import RecordingUpstream, start_gateway
from rate_limits import send_until_limited

TOKEN = "3q2-7wEXAMPLEtokenEXAMPLEtokenEXAMPLEtok12"


@pytest.fixture
def fresh_gateway(tmp_path: Path, recording_upstream: RecordingUpstream) -> Iterator[str]:
    """Its own nginx, so the rate-limit state starts empty and its log holds only this test."""
    yield from start_gateway(tmp_path, recording_upstream.address)


def test_the_public_link_endpoints_get_429_after_their_burst(fresh_gateway: str) -> None:
    with httpx.Client() as client:
        sent = send_until_limited(lambda _: client.get(f"{fresh_gateway}/api/v1/pay/{TOKEN}"))
        # Their own zone: the ERP's payment actions keep their allowance.
        action = client.get(f"{fresh_gateway}/api/v1/payments/stripe/payments").status_code
    statuses = sent.statuses
    assert statuses[:31] == [200] * 31, "a page's burst of 30"
    assert statuses.count(200) <= sent.most_allowed(burst=30, per_second=3)
    assert action == 200


def test_posts_share_the_limit(fresh_gateway: str) -> None:
    with httpx.Client() as client:
        sent = send_until_limited(
            lambda _: client.post(f"{fresh_gateway}/api/v1/pay/{TOKEN}/intent")
        )
    assert sent.statuses[:31] == [200] * 31


def test_the_pay_page_is_the_spa_and_sends_no_referrer(fresh_gateway: str) -> None:
    response = httpx.get(f"{fresh_gateway}/pay/{TOKEN}")
    assert response.status_code == 200
    assert "<title>ERP" in response.text
    assert response.headers["referrer-policy"] == "no-referrer"
    assert response.headers["x-frame-options"] == "DENY"
    other = httpx.get(f"{fresh_gateway}/orders/ord_1")
    assert other.headers["referrer-policy"] == "strict-origin-when-cross-origin"


def test_the_access_log_never_holds_a_token(tmp_path: Path, fresh_gateway: str) -> None:
    referer = {"Referer": f"{fresh_gateway}/pay/{TOKEN}?from=mail"}
    with httpx.Client() as client:
        client.get(f"{fresh_gateway}/pay/{TOKEN}")
        client.get(f"{fresh_gateway}/api/v1/pay/{TOKEN}", headers=referer)
        client.post(f"{fresh_gateway}/api/v1/pay/{TOKEN}/confirm?x=1", headers=referer)
        client.get(f"{fresh_gateway}//PAY/{TOKEN}")
        client.get(f"{fresh_gateway}/assets/app.js", headers=referer)
        client.get(f"{fresh_gateway}/api/v1/orders")
    logged = (tmp_path / "stdout.log").read_text().splitlines()
    lines = [line for line in logged if "/gateway/health" not in line]
    assert len(lines) == 6
    assert not [line for line in lines if TOKEN in line]
    assert '"GET /pay/[redacted] HTTP/1.1" 200' in lines[0]
    assert '"POST /api/v1/pay/[redacted]/confirm?x=1 HTTP/1.1"' in lines[2]
    assert f'"{fresh_gateway}/pay/[redacted]?from=mail"' in lines[4]
    assert '"GET /api/v1/orders HTTP/1.1" 200' in lines[5]
    assert all("request_id=" in line for line in lines)
