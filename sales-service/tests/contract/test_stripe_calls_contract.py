"""Contract check: every call the service's Stripe gateway makes, with the very parameters the
payment and refund code build, is accepted by stripe-mock (Stripe's OpenAPI-driven mock), so
each parameter exists in Stripe's real API.

Needs stripe-mock at STRIPE_MOCK_URL (default: the `make test` profile's port); fails, never
skips, when it is not there.
"""

import os
from collections.abc import AsyncIterator
from datetime import UTC, datetime

import httpx
import pytest

from app.infra.stripe_errors import StripeRejected
from app.infra.stripe_gateway import StripeGateway
from app.payments.models import Payment, PaymentStatus
from app.payments.stripe_params import cancel_idempotency_key, intent_create_params
from app.refund_records.models import Refund, RefundReason, RefundStatus
from app.refunds.stripe_params import refund_create_params
from app.webhooks.processor import HANDLED_EVENTS

STRIPE_MOCK_URL = os.environ.get("STRIPE_MOCK_URL", "http://127.0.0.1:12121")
MOCK_SECRET_KEY = "sk_test_123"  # stripe-mock accepts any well-formed test key
NOW = datetime(2026, 3, 14, 9, 26, 53, tzinfo=UTC)

PAYMENT = Payment(
    id="pay_0d718364563349368ae7240aadcc0893",
    order_id="ord_3f2a9c0e6b1d4c8a9e7f5a2b1c0d9e8f",
    order_number="ORD-2026-000123",
    customer_id="cus_42",
    amount_minor=12_500,
    currency="usd",
    description="Deposit for ORD-2026-000123",
    receipt_email="buyer@example.com",
    status=PaymentStatus.COMPLETED,
    payment_intent_id="pi_3QxYzAbCdEfGhIjK",
    version=3,
    created_by="demo-sales",
    created_at=NOW,
    updated_at=NOW,
)
REFUND = Refund(
    id="ref_5b0f6c1e2d3a4b5c6d7e8f9a0b1c2d3e",
    payment_id=PAYMENT.id,
    order_id=PAYMENT.order_id,
    amount_minor=2_500,
    currency="usd",
    status=RefundStatus.PENDING,
    reason=RefundReason.PRODUCT_RETURNED,
    notes="Chair returned with a scratch",
    requested_by="demo-finance",
    version=0,
    created_at=NOW,
    updated_at=NOW,
)


@pytest.fixture(scope="module")
async def stripe_mock() -> AsyncIterator[StripeGateway]:
    try:
        async with httpx.AsyncClient(timeout=5) as probe:
            await probe.get(f"{STRIPE_MOCK_URL}/v1/account", auth=(MOCK_SECRET_KEY, ""))
    except httpx.TransportError as error:
        pytest.fail(
            f"stripe-mock is not reachable at STRIPE_MOCK_URL={STRIPE_MOCK_URL} ({error}). "
            "`DEV_PROFILE=test dev/services.sh start stripe-mock` starts it on that port.",
            pytrace=False,
        )
    gateway = StripeGateway(MOCK_SECRET_KEY, STRIPE_MOCK_URL, network_retries=0)
    yield gateway
    await gateway.close()


async def test_payment_intent_calls_are_accepted(stripe_mock: StripeGateway) -> None:
    created = await stripe_mock.create_payment_intent(
        intent_create_params(PAYMENT), idempotency_key=PAYMENT.id
    )
    retrieved = await stripe_mock.retrieve_payment_intent(created["id"], expand=["payment_method"])
    canceled = await stripe_mock.cancel_payment_intent(
        created["id"], idempotency_key=cancel_idempotency_key(PAYMENT), reason="abandoned"
    )
    method = await stripe_mock.retrieve_payment_method("pm_card_visa")

    assert {created["object"], retrieved["object"], canceled["object"]} == {"payment_intent"}
    assert method["object"] == "payment_method"


async def test_refund_calls_are_accepted(stripe_mock: StripeGateway) -> None:
    params = refund_create_params(REFUND, PAYMENT)
    created = await stripe_mock.create_refund(params, idempotency_key=REFUND.id)
    retrieved = await stripe_mock.retrieve_refund(created["id"])
    by_charge = await stripe_mock.list_refunds(charge="ch_3QxYzAbCdEfGhIjK")
    by_intent = await stripe_mock.list_refunds(payment_intent=PAYMENT.payment_intent_id)

    assert params["reason"] == "requested_by_customer"
    assert {created["object"], retrieved["object"]} == {"refund"}
    assert {refund["object"] for refund in by_charge + by_intent} <= {"refund"}


async def test_account_call_is_accepted(stripe_mock: StripeGateway) -> None:
    account = await stripe_mock.retrieve_account()

    assert account["object"] == "account"


async def test_events_sync_and_endpoint_check_calls_are_accepted(
    stripe_mock: StripeGateway,
) -> None:
    events, _ = await stripe_mock.list_events_page(
        types=sorted(HANDLED_EVENTS), created_gte=1_700_000_000, starting_after="evt_123"
    )
    endpoints = await stripe_mock.list_webhook_endpoints()
    dispute = await stripe_mock.retrieve_dispute("dp_123")

    assert {event["object"] for event in events} <= {"event"}
    assert {endpoint["object"] for endpoint in endpoints} <= {"webhook_endpoint"}
    assert dispute["object"] == "dispute"


async def test_stripe_mock_does_refuse_a_parameter_stripe_lacks(stripe_mock: StripeGateway) -> None:
    """Proof the check has teeth: an invented parameter is refused, as Stripe would."""
    with pytest.raises(StripeRejected) as refused:
        await stripe_mock.create_payment_intent(
            {**intent_create_params(PAYMENT), "order_total": 5}, idempotency_key="contract-x"
        )

    assert refused.value.http_status == 400
