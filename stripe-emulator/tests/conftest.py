from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
import stripe

from tests.servers import EmulatorThread, WebhookReceiver, emulator_test_config

SECRET_KEY = "sk_test_emulator_tests_secret"
PUBLISHABLE_KEY = "pk_test_emulator_tests_publishable"
WEBHOOK_SECRET = "whsec_emulator_tests_webhook_secret"


@pytest.fixture(scope="session")
def emulator_url() -> Iterator[str]:
    server = EmulatorThread(emulator_test_config(SECRET_KEY, PUBLISHABLE_KEY))
    server.start()
    yield server.url
    server.stop()


@pytest.fixture
def control(emulator_url: str) -> Iterator[httpx.Client]:
    """The `/_emulator` control API; every test starts from a reset emulator."""
    with httpx.Client(base_url=f"{emulator_url}/_emulator", timeout=10) as client:
        client.post("/reset").raise_for_status()
        yield client


def make_client(url: str, key: str = SECRET_KEY, retries: int = 0) -> stripe.StripeClient:
    return stripe.StripeClient(
        key,
        base_addresses={"api": url},
        http_client=stripe.HTTPXClient(),
        max_network_retries=retries,
    )


@pytest.fixture
def client(emulator_url: str, control: httpx.Client) -> stripe.StripeClient:
    return make_client(emulator_url)


@pytest.fixture
def publishable_client(emulator_url: str, control: httpx.Client) -> stripe.StripeClient:
    return make_client(emulator_url, PUBLISHABLE_KEY)


@pytest.fixture
def api(emulator_url: str, control: httpx.Client) -> Iterator[httpx.Client]:
    """Raw HTTP to `/v1`, for what the SDK hides (headers, malformed params)."""
    with httpx.Client(base_url=emulator_url, timeout=10) as raw:
        yield raw


@pytest.fixture
def receiver(control: httpx.Client) -> Iterator[WebhookReceiver]:
    hook = WebhookReceiver(WEBHOOK_SECRET)
    control.post("/webhook_endpoints", json={"url": hook.url, "secret": WEBHOOK_SECRET})
    yield hook
    hook.stop()


@pytest.fixture
async def paid_intent(client: stripe.StripeClient) -> stripe.PaymentIntent:
    return await client.v1.payment_intents.create_async(
        {
            "amount": 5000,
            "currency": "usd",
            "payment_method_types": ["card"],
            "payment_method": "pm_card_visa",
            "confirm": True,
        }
    )
