"""Fault injection on the API: error statuses, 429 with Retry-After, latency, dropped
connections, and slow (processing) card payments."""

from __future__ import annotations

import time

import httpx
import pytest
import stripe

from tests import calls
from tests.conftest import make_client
from tests.waiting import eventually


async def test_injected_500_is_an_api_error_and_the_sdk_retry_succeeds(
    emulator_url: str, control: httpx.Client
) -> None:
    control.post("/faults", json={"error_count": 1, "error_status": 500})
    with pytest.raises(stripe.APIError) as raised:
        await make_client(emulator_url).v1.payment_intents.create_async(calls.CREATE_INTENT)
    assert raised.value.http_status == 500

    control.post("/faults", json={"error_count": 1, "error_status": 500})
    retrying = make_client(emulator_url, retries=2)
    intent = await retrying.v1.payment_intents.create_async(calls.CREATE_INTENT)

    listed = await retrying.v1.payment_intents.list_async()
    assert [item.id for item in listed.data] == [intent.id]
    assert control.get("/faults").json()["error_count"] == 0


async def test_injected_429_carries_retry_after(
    client: stripe.StripeClient, control: httpx.Client, api: httpx.Client
) -> None:
    control.post("/faults", json={"error_count": 2, "error_status": 429, "retry_after_seconds": 7})

    with pytest.raises(stripe.RateLimitError) as raised:
        await client.v1.payment_intents.list_async()
    raw = api.get("/v1/account")

    assert raised.value.http_status == 429
    assert raised.value.error is not None
    assert raised.value.error.code == "rate_limit"
    assert raised.value.request_id is not None
    assert raw.headers["Retry-After"] == "7"


async def test_error_rate_one_fails_every_api_call_but_not_the_control_api(
    client: stripe.StripeClient, control: httpx.Client
) -> None:
    control.post("/faults", json={"error_rate": 1.0, "error_status": 503})

    for _ in range(3):
        with pytest.raises(stripe.APIError):
            await client.v1.accounts.retrieve_current_async()
    assert control.get("/health").status_code == 200
    control.delete("/faults")
    assert (await client.v1.accounts.retrieve_current_async()).object == "account"


async def test_latency_is_added(client: stripe.StripeClient, control: httpx.Client) -> None:
    control.post("/faults", json={"latency_ms": 300})
    started = time.monotonic()

    await client.v1.accounts.retrieve_current_async()

    assert time.monotonic() - started >= 0.3


async def test_dropped_before_processing_creates_nothing(
    client: stripe.StripeClient, control: httpx.Client
) -> None:
    control.post("/faults", json={"drop_count": 1, "drop_phase": "before"})

    with pytest.raises(stripe.APIConnectionError):
        await client.v1.payment_intents.create_async(calls.CREATE_INTENT)

    assert (await client.v1.payment_intents.list_async()).data == []


async def test_dropped_after_processing_is_replayed_on_retry_with_the_same_key(
    client: stripe.StripeClient, control: httpx.Client
) -> None:
    control.post("/faults", json={"drop_count": 1, "drop_phase": "after"})
    options: stripe.RequestOptions = {"idempotency_key": "order-77-create"}

    with pytest.raises(stripe.APIConnectionError):
        await client.v1.payment_intents.create_async(calls.CREATE_INTENT, options)
    retried = await client.v1.payment_intents.create_async(calls.CREATE_INTENT, options)

    assert retried.last_response.headers["Idempotent-Replayed"] == "true"
    assert [intent.id for intent in (await client.v1.payment_intents.list_async()).data] == [
        retried.id
    ]


async def test_processing_delays_settlement_with_events(
    client: stripe.StripeClient, control: httpx.Client
) -> None:
    control.post("/faults", json={"processing_ms": 300})

    intent = await client.v1.payment_intents.create_async(
        {**calls.CREATE_INTENT, "payment_method": "pm_card_visa", "confirm": True}
    )
    assert intent.status == "processing"

    async def settled() -> bool:
        latest = await client.v1.payment_intents.retrieve_async(intent.id)
        return latest.status == "succeeded"

    await eventually(settled)
    page = await client.v1.events.list_async()
    assert [event.type for event in reversed(page.data)] == [
        "payment_intent.created",
        "payment_intent.processing",
        "charge.succeeded",
        "payment_intent.succeeded",
    ]


@pytest.mark.parametrize(
    ("knobs", "param"),
    [
        ({"error_status": 404}, "error_status"),
        ({"error_rate": 2}, "error_rate"),
        ({"nonsense": 1}, "nonsense"),
        ({"drop_phase": "during"}, "drop_phase"),
    ],
)
def test_bad_fault_settings_are_refused(
    control: httpx.Client, knobs: dict[str, object], param: str
) -> None:
    response = control.post("/faults", json=knobs)

    assert response.status_code == 400
    assert response.json()["error"]["param"] == param
