"""Contract check: the calls the emulator tests send are accepted by stripe-mock, which
validates every request against Stripe's OpenAPI spec (so our params exist in the real API).

Needs stripe-mock running at STRIPE_MOCK_URL (default: the `make test` profile's port).
"""

from __future__ import annotations

import os

import httpx
import pytest
import stripe

from tests import calls
from tests.conftest import make_client

pytestmark = pytest.mark.contract

STRIPE_MOCK_URL = os.environ.get("STRIPE_MOCK_URL", "http://127.0.0.1:12121")
# stripe-mock accepts any well-formed secret test key, and only secret keys: the Stripe.js
# calls go with it too, as their params are what this checks.
MOCK_SECRET_KEY = "sk_test_123"


@pytest.fixture(scope="module")
def stripe_mock_url() -> str:
    try:
        httpx.get(f"{STRIPE_MOCK_URL}/v1/account", auth=(MOCK_SECRET_KEY, ""), timeout=5)
    except httpx.TransportError as error:
        pytest.fail(
            f"stripe-mock is not reachable at STRIPE_MOCK_URL={STRIPE_MOCK_URL} ({error}). "
            "Start it with `.dev/bin/stripe-mock -http-port PORT -https-port PORT2` and point "
            "STRIPE_MOCK_URL at it.",
            pytrace=False,
        )
    return STRIPE_MOCK_URL


async def test_the_products_calls_are_accepted(stripe_mock_url: str) -> None:
    results = await calls.full_round_trip(make_client(stripe_mock_url, MOCK_SECRET_KEY))

    assert isinstance(results["confirmed"], stripe.PaymentIntent)
    assert isinstance(results["refund"], stripe.Refund)
    assert isinstance(results["captured"], stripe.PaymentIntent)
    assert isinstance(results["canceled"], stripe.PaymentIntent)
    assert isinstance(results["account"], stripe.Account)
    assert isinstance(results["event"], stripe.Event)
    assert isinstance(results["found"], stripe.SearchResultObject)


async def test_the_stripejs_calls_are_accepted(stripe_mock_url: str) -> None:
    confirmed = await calls.stripejs_round_trip(
        make_client(stripe_mock_url, MOCK_SECRET_KEY),
        make_client(stripe_mock_url, MOCK_SECRET_KEY),
    )

    assert isinstance(confirmed, stripe.PaymentIntent)


async def test_stripe_mock_does_reject_an_unknown_param(stripe_mock_url: str) -> None:
    """Guards the check itself: a parameter Stripe does not have must be refused."""
    client = make_client(stripe_mock_url, MOCK_SECRET_KEY)

    with pytest.raises(stripe.InvalidRequestError):
        await client.v1.payment_intents.create_async({**calls.CREATE_INTENT, "colour": "blue"})


async def test_the_finance_reads_are_accepted(stripe_mock_url: str) -> None:
    results = await calls.finance_round_trip(
        make_client(stripe_mock_url, MOCK_SECRET_KEY),
        charge="ch_123",
        refund="re_123",
        dispute="dp_123",
        payout="po_123",
    )

    assert isinstance(results["payout"], stripe.Payout)
    assert isinstance(results["transaction"], stripe.BalanceTransaction)
    assert isinstance(results["balance"], stripe.Balance)
    assert isinstance(results["charge"].balance_transaction, stripe.BalanceTransaction)
