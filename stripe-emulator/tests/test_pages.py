"""The Stripe.js stand-in and the demo page are served (the browser tests drive them)."""

from __future__ import annotations

import httpx

from tests.conftest import PUBLISHABLE_KEY


def test_stripe_js_is_served_at_v3_without_caching(emulator_url: str) -> None:
    for path in ("/v3", "/v3/", "/endive/stripe.js"):
        response = httpx.get(f"{emulator_url}{path}")

        assert response.status_code == 200
        assert response.headers["content-type"].startswith("application/javascript")
        assert response.headers["cache-control"] == "no-cache"
        assert "window.Stripe" in response.text


def test_demo_page_loads_the_stand_in_with_the_publishable_key(emulator_url: str) -> None:
    page = httpx.get(f"{emulator_url}/_emulator/demo")

    assert page.status_code == 200
    assert f'src="{emulator_url}/v3"' in page.text
    assert PUBLISHABLE_KEY in page.text
