"""Stripe failing (500s, 429s, cut connections, latency): clear errors, and never a second
intent when the request is sent again."""

import time
from collections.abc import Callable

from tests.integration.conftest import Headers
from tests.integration.stripe_support import (
    Emulator,
    FaultyStripe,
    confirm,
    create_intent,
    create_order,
    get_order,
    pay_as_browser,
)


async def test_server_errors_after_retries_are_a_502_and_a_retry_makes_one_intent(
    faulty: FaultyStripe, faults: Emulator, as_role: Callable[..., Headers], customer_id: str
) -> None:
    sales = as_role("sales")
    order = await create_order(faulty.api, sales, customer_id, total="21.00")
    faults.set_faults(error_count=3, error_status=500)

    failed = await create_intent(faulty.api, sales, order["id"])

    assert failed.status_code == 502
    error = failed.json()["error"]
    assert error["code"] == "stripe_error"
    assert "send the same request again" in error["message"]
    listed = await faulty.api.get(
        "/api/v1/payments/stripe/payments", params={"order_id": order["id"]}, headers=sales
    )
    (pending,) = listed.json()["items"]
    assert (pending["status"], pending["payment_intent_id"]) == ("pending", None)
    assert pending["stripe_error"]["operation"] == "payment_intents.create"

    retried = await create_intent(faulty.api, sales, order["id"])
    assert retried.status_code == 200
    assert retried.json()["payment_id"] == pending["id"]
    assert len(faults.intents_for_payment(pending["id"])) == 1


async def test_a_lost_answer_is_a_503_and_the_retry_gets_the_same_intent(
    faulty: FaultyStripe, faults: Emulator, as_role: Callable[..., Headers], customer_id: str
) -> None:
    sales = as_role("sales")
    order = await create_order(faulty.api, sales, customer_id, total="22.00")
    faults.set_faults(drop_count=3, drop_phase="after")

    lost = await create_intent(faulty.api, sales, order["id"])

    assert lost.status_code == 503
    assert lost.json()["error"]["code"] == "stripe_unavailable"
    listed = await faulty.api.get(
        "/api/v1/payments/stripe/payments", params={"order_id": order["id"]}, headers=sales
    )
    payment_id = listed.json()["items"][0]["id"]
    (made,) = faults.intents_for_payment(payment_id)  # Stripe did make it
    retried = (await create_intent(faulty.api, sales, order["id"])).json()
    assert retried["payment_intent_id"] == made["id"]
    assert len(faults.intents_for_payment(payment_id)) == 1


async def test_rate_limits_are_retried_then_a_503_with_retry_after(
    faulty: FaultyStripe, faults: Emulator, as_role: Callable[..., Headers], customer_id: str
) -> None:
    sales = as_role("sales")
    order = await create_order(faulty.api, sales, customer_id, total="23.00")
    faults.set_faults(error_count=3, error_status=429, retry_after_seconds=1)

    started = time.monotonic()
    limited = await create_intent(faulty.api, sales, order["id"])
    waited = time.monotonic() - started

    assert limited.status_code == 503
    assert limited.json()["error"]["code"] == "stripe_rate_limited"
    assert limited.headers["Retry-After"] == "1"
    assert waited >= 2  # two retries, each after Stripe's Retry-After
    faults.set_faults(error_count=1, error_status=429, retry_after_seconds=1)
    recovered = await create_intent(faulty.api, sales, order["id"])
    assert recovered.status_code == 200
    assert len(faults.intents_for_payment(recovered.json()["payment_id"])) == 1


async def test_latency_slows_but_does_not_break_payments(
    faulty: FaultyStripe, faults: Emulator, as_role: Callable[..., Headers], customer_id: str
) -> None:
    sales = as_role("sales")
    order = await create_order(faulty.api, sales, customer_id, total="24.00")
    faults.set_faults(latency_ms=250)

    started = time.monotonic()
    intent = (await create_intent(faulty.api, sales, order["id"])).json()
    await pay_as_browser(faults, intent["payment_intent_id"], intent["client_secret"])
    confirmed = await confirm(faulty.api, sales, intent, order["id"])
    elapsed = time.monotonic() - started

    assert confirmed.json()["status"] == "completed"
    assert elapsed >= 0.75
    print(
        f"\ncreate-intent + browser confirm + confirm with 250 ms per Stripe call: {elapsed:.2f} s"
    )


async def test_confirm_failing_at_stripe_leaves_the_payment_and_order_alone(
    faulty: FaultyStripe, faults: Emulator, as_role: Callable[..., Headers], customer_id: str
) -> None:
    sales = as_role("sales")
    order = await create_order(faulty.api, sales, customer_id, total="25.00")
    intent = (await create_intent(faulty.api, sales, order["id"])).json()
    await pay_as_browser(faults, intent["payment_intent_id"], intent["client_secret"])
    faults.set_faults(error_count=3, error_status=503)

    failed = await confirm(faulty.api, sales, intent, order["id"])

    assert failed.status_code == 502
    assert (await get_order(faulty.api, sales, order["id"]))["payment_status"] == "unpaid"
    faults.clear_faults()
    assert (await confirm(faulty.api, sales, intent, order["id"])).json()["status"] == "completed"
