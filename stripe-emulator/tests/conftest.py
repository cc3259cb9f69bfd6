from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
import stripe

from stripe_emulator.objects.payment_intent import SECRET_ONLY_FIELDS
from tests import stripe_types
from tests.answer_recorder import RECORDER
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


# Stripe.js's view of an intent leaves these out, though the SDK reads them as always set.
_PUBLISHABLE_VIEW = [("payment_intent", field) for field in SECRET_ONLY_FIELDS]


@pytest.fixture(autouse=True)
def _answers_have_stripes_shapes() -> Iterator[None]:
    """Every body the emulator answered during a test, and every webhook it sent, is checked
    against the types of the pinned `stripe` SDK (see `stripe_types`): a field Stripe does not
    have, one the SDK reads as always set but missing, a wrong type or enum value fails it.
    (A webhook that arrives after its test ended is checked with the next test.)"""
    yield
    found = [
        f"{answer.where}: {problem}"
        for answer in RECORDER.take()
        for problem in stripe_types.problems(
            answer.body, lenient=_PUBLISHABLE_VIEW if answer.publishable else ()
        )
    ]
    if found:
        shown = "\n  ".join(found[:30])
        more = f"\n  … and {len(found) - 30} more" if len(found) > 30 else ""
        pytest.fail(f"answers unlike Stripe's objects:\n  {shown}{more}", pytrace=False)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    terminalreporter.write_line(
        f"{RECORDER.taken} emulator answers and webhooks checked against the types of "
        f"stripe {stripe.VERSION} (API {stripe.api_version})"
    )


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
