"""GET config (public, cached in Redis), and payments going on while Redis is stopped."""

import subprocess
from collections.abc import Callable

import redis
from httpx import AsyncClient

from app.core.settings import Settings
from app.main import create_app
from tests.integration.conftest import Headers, started
from tests.integration.stripe_support import (
    Emulator,
    FaultyStripe,
    create_order,
    get_order,
    paid_order,
    refund,
    stripe_settings,
)

CONFIG = "/api/v1/payments/stripe/config"


def _expected_config(emulator: Emulator) -> dict[str, object]:
    return {
        "publishable_key": "pk_test_sales_service_suite_publishable",
        "currency": "usd",
        "mode": "emulator",
        "stripe_js_url": f"{emulator.url}/v3",
        "account": {
            "country": "US",
            "default_currency": "usd",
            "display_name": "ERP Payments (emulated)",
        },
    }


async def test_config_is_public_and_complete(api: AsyncClient, emulator: Emulator) -> None:
    response = await api.get(CONFIG)

    assert response.status_code == 200
    assert response.json() == _expected_config(emulator)


async def test_config_names_a_browser_facing_stripe_js_url_when_set(
    settings_for: Callable[..., Settings], emulator: Emulator
) -> None:
    settings = settings_for(**stripe_settings(emulator), stripe_js_url="http://localhost:8420/v3")
    async for client in started(create_app(settings)):
        response = await client.get(CONFIG)
        assert response.json()["stripe_js_url"] == "http://localhost:8420/v3"


async def test_config_is_served_from_the_cache_while_stripe_fails(
    faulty: FaultyStripe, faults: Emulator
) -> None:
    first = await faulty.api.get(CONFIG)
    faults.set_faults(error_rate=1.0, error_status=500)

    cached = await faulty.api.get(CONFIG)

    assert first.status_code == cached.status_code == 200
    assert cached.json() == first.json() == _expected_config(faults)


async def test_redis_stopped_mid_test_payments_and_config_still_work(
    settings_for: Callable[..., Settings],
    emulator: Emulator,
    as_role: Callable[..., Headers],
    customer_id: str,
    private_redis: tuple[int, subprocess.Popen[bytes]],
) -> None:
    port, process = private_redis
    settings = settings_for(redis_url=f"redis://127.0.0.1:{port}/0", **stripe_settings(emulator))
    async for client in started(create_app(settings)):
        assert (await client.get(CONFIG)).status_code == 200
        assert redis.Redis(port=port).keys("sales:stripe:account:*")
        order = await create_order(client, as_role("sales"), customer_id, total="10.00")

        process.terminate()
        process.wait(timeout=10)

        config = await client.get(CONFIG)
        assert (config.status_code, config.json()) == (200, _expected_config(emulator))
        paid = await paid_order(client, emulator, as_role("sales"), customer_id, "35.00")
        refunded = await refund(client, as_role("finance"), paid.payment["id"], amount="5")
        assert refunded.json()["status"] == "succeeded"
        assert (await get_order(client, as_role("sales"), order["id"]))[
            "payment_status"
        ] == "unpaid"
