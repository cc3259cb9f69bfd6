"""create-intent: one open intent per order, amounts checked against it, Idempotency-Key."""

import asyncio
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from httpx import AsyncClient
from pymongo.asynchronous.database import AsyncDatabase

from tests.integration.conftest import Headers
from tests.integration.stripe_support import (
    Emulator,
    confirm,
    create_intent,
    create_order,
    pay_as_browser,
)

URL = "/api/v1/payments/stripe/create-intent"


async def test_the_same_order_and_amount_give_back_the_open_intent(
    api: AsyncClient, emulator: Emulator, as_role: Callable[..., Headers], customer_id: str
) -> None:
    sales = as_role("sales")
    order = await create_order(api, sales, customer_id, total="30.00")

    first = (await create_intent(api, sales, order["id"])).json()
    second = (await create_intent(api, as_role("admin"), order["id"], amount=30)).json()

    assert second == first
    assert len(emulator.intents_for_payment(first["payment_id"])) == 1


async def test_concurrent_requests_make_one_payment_and_one_intent(
    api: AsyncClient,
    emulator: Emulator,
    as_role: Callable[..., Headers],
    customer_id: str,
    mongo: AsyncDatabase[dict[str, Any]],
) -> None:
    sales = as_role("sales")
    order = await create_order(api, sales, customer_id, total="45.50")

    responses = await asyncio.gather(
        *(create_intent(api, sales, order["id"], amount="45.5") for _ in range(10))
    )

    assert {response.status_code for response in responses} == {200}
    assert len({response.json()["payment_intent_id"] for response in responses}) == 1
    payment_id = responses[0].json()["payment_id"]
    assert await mongo["payments"].count_documents({"order_id": order["id"]}) == 1
    assert len(emulator.intents_for_payment(payment_id)) == 1


async def test_another_amount_while_one_is_open_is_refused(
    api: AsyncClient, as_role: Callable[..., Headers], customer_id: str
) -> None:
    sales = as_role("sales")
    order = await create_order(api, sales, customer_id, total="90.00")
    open_payment = (await create_intent(api, sales, order["id"], amount="20.00")).json()

    refused = await create_intent(api, sales, order["id"], amount="25.00")

    assert refused.status_code == 409
    error = refused.json()["error"]
    assert error["code"] == "open_payment_exists"
    assert open_payment["payment_id"] in error["message"]
    assert "20.00 USD" in error["message"]


@pytest.mark.parametrize(
    ("fields", "field", "error_type"),
    [
        ({"amount": -5}, "amount", "greater_than"),
        ({"amount": 0}, "amount", "greater_than"),
        ({"amount": "0.00"}, "amount", "greater_than"),
        ({"amount": "10.001"}, "amount", "decimal_places"),
        ({"amount": 10.001}, "amount", "decimal_places"),
        ({"amount": "ten"}, "amount", "amount_invalid"),
        ({"amount": "100.01"}, "amount", "amount_exceeds_outstanding"),
        ({"currency": "eur"}, "currency", "currency_mismatch"),
        ({"currency": "zzz"}, "currency", "currency_unknown"),
        ({"customer_id": "cus_someone_else"}, "customer_id", "customer_mismatch"),
        ({"receipt_email": "not-an-email"}, "receipt_email", "string_pattern_mismatch"),
        ({"surprise": 1}, "surprise", "extra_forbidden"),
    ],
)
async def test_bad_inputs_are_422_naming_the_field(
    api: AsyncClient,
    as_role: Callable[..., Headers],
    customer_id: str,
    fields: dict[str, Any],
    field: str,
    error_type: str,
) -> None:
    sales = as_role("sales")
    order = await create_order(api, sales, customer_id, total="100.00")

    response = await create_intent(api, sales, order["id"], **fields)

    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "validation_error"
    assert [(d["field"], d["type"]) for d in error["details"]] == [(field, error_type)]
    assert error["request_id"] == response.headers["X-Request-ID"]


async def test_zero_decimal_currency_amounts(
    api: AsyncClient, as_role: Callable[..., Headers], customer_id: str
) -> None:
    sales = as_role("sales")
    order = await create_order(api, sales, customer_id, total="5000", currency="jpy")

    fractional = await create_intent(api, sales, order["id"], amount="10.5")
    whole = await create_intent(api, sales, order["id"], amount="1000", currency="JPY")

    assert fractional.json()["error"]["details"][0]["type"] == "decimal_places"
    assert whole.status_code == 200
    assert (whole.json()["amount"], whole.json()["amount_minor"]) == (1000, 1000)


async def test_unknown_or_malformed_orders_are_404(
    api: AsyncClient, as_role: Callable[..., Headers]
) -> None:
    for order_id in ("ord_" + "0" * 32, "not-an-order"):
        response = await create_intent(api, as_role("sales"), order_id)
        assert response.status_code == 404
        assert response.json()["error"]["code"] == "not_found"


async def test_malformed_json_is_refused_in_the_error_shape(
    api: AsyncClient, as_role: Callable[..., Headers]
) -> None:
    headers = {**as_role("sales"), "Content-Type": "application/json"}

    response = await api.post(URL, content=b'{"order_id": ', headers=headers)

    assert response.status_code == 422
    assert response.json()["error"]["details"][0]["type"] == "json_invalid"


async def test_who_may_take_payments(
    api: AsyncClient, as_role: Callable[..., Headers], customer_id: str
) -> None:
    order = await create_order(api, as_role("sales"), customer_id, total="12.00")
    body = {"order_id": order["id"]}

    assert (await api.post(URL, json=body)).status_code == 401
    assert (await api.post(URL, json=body, headers=as_role("service"))).status_code == 403
    allowed = await api.post(URL, json=body, headers=as_role("service", scope="payments:write"))
    assert allowed.status_code == 200


async def test_idempotency_key_replays_and_refuses_another_body(
    api: AsyncClient,
    emulator: Emulator,
    as_role: Callable[..., Headers],
    customer_id: str,
) -> None:
    caller = {
        **as_role("service", scope="payments:write orders:write"),
        "Idempotency-Key": customer_id,
    }
    order = await create_order(api, as_role("sales"), customer_id, total="70.00")

    first = await api.post(URL, json={"order_id": order["id"], "amount": "70"}, headers=caller)
    replay = await api.post(URL, json={"order_id": order["id"], "amount": 70.00}, headers=caller)
    other = await api.post(URL, json={"order_id": order["id"], "amount": "60"}, headers=caller)

    assert (first.status_code, replay.status_code) == (200, 200)
    assert "Idempotent-Replayed" not in first.headers
    assert replay.headers["Idempotent-Replayed"] == "true"
    assert replay.json() == first.json()
    assert len(emulator.intents_for_payment(first.json()["payment_id"])) == 1
    assert other.status_code == 409
    assert other.json()["error"]["code"] == "idempotency_key_reused"
    assert other.json()["error"]["details"][0]["type"] == "idempotency_key_reused"


async def test_an_expired_idempotency_key_starts_over(
    api: AsyncClient,
    as_role: Callable[..., Headers],
    customer_id: str,
    mongo: AsyncDatabase[dict[str, Any]],
) -> None:
    caller = {**as_role("sales", sub=customer_id), "Idempotency-Key": "daily-key"}
    order = await create_order(api, as_role("sales"), customer_id, total="70.00")
    first = await api.post(URL, json={"order_id": order["id"], "amount": "5"}, headers=caller)
    await api.post(f"/api/v1/payments/stripe/cancel/{first.json()['payment_id']}", headers=caller)
    await mongo["idempotency_keys"].update_many(
        {"key": "daily-key", "scope": f"{customer_id} POST /api/v1/payments/stripe/create-intent"},
        {"$set": {"created_at": datetime.now(UTC) - timedelta(hours=25)}},
    )

    later = await api.post(URL, json={"order_id": order["id"], "amount": "6"}, headers=caller)

    assert later.status_code == 200
    assert later.json()["payment_id"] != first.json()["payment_id"]


async def test_list_and_get_never_show_the_client_secret(
    api: AsyncClient, as_role: Callable[..., Headers], customer_id: str
) -> None:
    sales = as_role("sales")
    order = await create_order(api, sales, customer_id, total="11.00")
    intent = (await create_intent(api, sales, order["id"])).json()

    listed = await api.get(
        "/api/v1/payments/stripe/payments", params={"order_id": order["id"]}, headers=sales
    )
    single = await api.get(
        f"/api/v1/payments/stripe/payments/{intent['payment_id']}", headers=sales
    )

    assert listed.json()["total"] == 1
    assert intent["client_secret"] not in listed.text
    assert intent["client_secret"] not in single.text
    assert single.json()["history"] == []


async def test_an_amount_stripe_refuses_is_a_422_and_frees_the_order(
    api: AsyncClient, as_role: Callable[..., Headers], customer_id: str
) -> None:
    sales = as_role("sales")
    order = await create_order(api, sales, customer_id, total="100.00")

    too_small = await create_intent(api, sales, order["id"], amount="0.10")

    assert too_small.status_code == 422
    (detail,) = too_small.json()["error"]["details"]
    assert (detail["field"], detail["type"]) == ("amount", "amount_too_small")
    assert detail["message"] == "Amount must be at least $0.50 usd"
    listed = await api.get(
        "/api/v1/payments/stripe/payments", params={"order_id": order["id"]}, headers=sales
    )
    (failed,) = listed.json()["items"]
    assert (failed["status"], failed["failure"]["code"]) == ("failed", "amount_too_small")
    assert (await create_intent(api, sales, order["id"], amount="10.00")).status_code == 200


async def test_a_key_that_got_the_orders_open_payment_keeps_getting_it(
    api: AsyncClient, emulator: Emulator, as_role: Callable[..., Headers], customer_id: str
) -> None:
    sales = as_role("sales")
    order = await create_order(api, sales, customer_id, total="500.00")
    opened = (await create_intent(api, sales, order["id"], amount="100")).json()
    caller = {**as_role("service", scope="payments:write"), "Idempotency-Key": customer_id}
    body = {"order_id": order["id"], "amount": "100"}

    first = await api.post(URL, json=body, headers=caller)
    await pay_as_browser(emulator, opened["payment_intent_id"], opened["client_secret"])
    await confirm(api, sales, opened, order["id"])
    retried = await api.post(URL, json=body, headers=caller)

    assert first.json()["payment_id"] == opened["payment_id"]
    assert retried.headers["Idempotent-Replayed"] == "true"
    assert (retried.json()["payment_id"], retried.json()["status"]) == (
        opened["payment_id"],
        "completed",
    )
