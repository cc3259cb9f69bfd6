"""The control API answers no other website: no CORS on `/_emulator` (faults, state, the
webhook secret), except the 3D Secure answer Stripe.js sends from the shop's page; and the
emulator listens on loopback unless told otherwise."""

import httpx
import pytest

from stripe_emulator.__main__ import parse_args

ORIGIN = "https://any-website.example"


@pytest.mark.parametrize("path", ["/_emulator/health", "/_emulator/webhook_endpoints"])
def test_control_reads_carry_no_cors_header(emulator_url: str, path: str) -> None:
    response = httpx.get(f"{emulator_url}{path}", headers={"Origin": ORIGIN})
    assert "access-control-allow-origin" not in response.headers


def test_control_preflight_is_not_granted(emulator_url: str) -> None:
    response = httpx.options(
        f"{emulator_url}/_emulator/faults",
        headers={
            "Origin": ORIGIN,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type",
        },
    )
    assert "access-control-allow-origin" not in response.headers


@pytest.mark.parametrize(
    ("content_type", "body"),
    [("application/x-www-form-urlencoded", "error_count=5"), ("text/plain", ""), (None, "")],
)
def test_a_control_write_from_another_website_is_refused(
    emulator_url: str, content_type: str | None, body: str
) -> None:
    """What a form or a no-cors fetch on another site could send without a preflight."""
    headers = {"Origin": ORIGIN} | ({"Content-Type": content_type} if content_type else {})
    response = httpx.post(f"{emulator_url}/_emulator/faults", headers=headers, content=body)
    assert response.status_code == 403
    assert response.json()["error"]["type"] == "invalid_request_error"
    faults = httpx.get(f"{emulator_url}/_emulator/faults").json()
    assert faults.get("error_count", 0) == 0


def test_a_control_write_from_the_emulators_own_page_or_a_tool_runs(emulator_url: str) -> None:
    own = httpx.post(f"{emulator_url}/_emulator/faults", headers={"Origin": emulator_url}, json={})
    tool = httpx.post(f"{emulator_url}/_emulator/faults", json={})
    assert (own.status_code, tool.status_code) == (200, 200)


def test_the_3ds_answer_stripe_js_sends_keeps_cors(emulator_url: str) -> None:
    response = httpx.options(
        f"{emulator_url}/_emulator/payment_intents/pi_x/three_d_secure",
        headers={"Origin": ORIGIN, "Access-Control-Request-Method": "POST"},
    )
    assert response.headers["access-control-allow-origin"] in ("*", ORIGIN)


def test_the_api_keeps_cors(emulator_url: str) -> None:
    response = httpx.get(f"{emulator_url}/v3", headers={"Origin": ORIGIN})
    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] == "*"


def test_it_listens_on_loopback_unless_told() -> None:
    args = parse_args(["--secret-key", "sk_test_x", "--publishable-key", "pk_test_x"])
    assert args.host == "127.0.0.1"
