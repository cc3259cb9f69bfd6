"""Refunds through the API against the emulator: partial to full, limits, roles, idempotency."""

from collections.abc import Callable
from typing import Any

import pytest
from httpx import AsyncClient
from pymongo.asynchronous.database import AsyncDatabase

from tests.integration.conftest import Headers
from tests.integration.stripe_support import (
    Emulator,
    create_intent,
    create_order,
    get_order,
    paid_order,
    refund,
)


async def test_partial_refunds_up_to_the_full_amount(
    api: AsyncClient,
    emulator: Emulator,
    as_role: Callable[..., Headers],
    customer_id: str,
    mongo: AsyncDatabase[dict[str, Any]],
) -> None:
    paid = await paid_order(api, emulator, as_role("sales"), customer_id, total="100.00")
    finance = as_role("finance", sub="fin-anna")
    payment_id = paid.payment["id"]

    first = await refund(api, finance, payment_id, amount="30.00", notes="Scratched desk")
    assert first.status_code == 201
    body = first.json()
    assert body["id"].startswith("ref_")
    assert (body["payment_id"], body["order_id"]) == (payment_id, paid.order["id"])
    assert (body["amount"], body["amount_minor"], body["currency"]) == (30, 3000, "usd")
    assert (body["status"], body["reason"], body["notes"]) == (
        "succeeded",
        "requested_by_customer",
        "Scratched desk",
    )
    assert body["requested_by"] == "fin-anna"
    assert body["stripe_refund_id"].startswith("re_")
    order = await get_order(api, finance, paid.order["id"])
    assert (order["payment_status"], order["amount_refunded"]) == ("partially_refunded", 30)
    assert order["outstanding"] == 0  # refunds do not reopen the balance

    rest = await refund(api, finance, payment_id, reason="order_canceled")
    assert (rest.status_code, rest.json()["amount"]) == (201, 70)
    order = await get_order(api, finance, paid.order["id"])
    assert (order["payment_status"], order["amount_refunded_minor"]) == ("refunded", 10000)

    payment = (
        await api.get(f"/api/v1/payments/stripe/payments/{payment_id}", headers=finance)
    ).json()
    assert (payment["amount_refunded"], payment["refundable"]) == (100, 0)
    assert [r["amount_minor"] for r in payment["refunds"]] == [3000, 7000]
    at_stripe = emulator.refunds_for_intent(paid.intent["payment_intent_id"])
    assert sorted((r["amount"], r["metadata"]["reason"]) for r in at_stripe) == [
        (3000, "requested_by_customer"),
        (7000, "order_canceled"),
    ]
    assert {r["reason"] for r in at_stripe} == {"requested_by_customer"}
    actions = [
        entry["action"]
        async for entry in mongo["audit"].find({"entity_id": body["id"]}).sort("at", 1)
    ]
    assert actions == ["refund.requested", "refund.settled"]


async def test_over_refunds_are_refused_with_what_is_left(
    api: AsyncClient, emulator: Emulator, as_role: Callable[..., Headers], customer_id: str
) -> None:
    paid = await paid_order(api, emulator, as_role("sales"), customer_id, total="50.00")
    finance = as_role("finance")
    await refund(api, finance, paid.payment["id"], amount="20")

    too_much = await refund(api, finance, paid.payment["id"], amount="30.01")
    assert too_much.status_code == 409
    error = too_much.json()["error"]
    assert error["code"] == "refund_exceeds_refundable"
    assert error["message"].startswith("At most 30.00 USD can still be refunded")
    assert error["details"][0]["field"] == "amount"

    await refund(api, finance, paid.payment["id"])
    nothing = await refund(api, finance, paid.payment["id"])
    assert nothing.status_code == 409
    assert nothing.json()["error"]["message"].startswith("Nothing is left to refund")


async def test_only_completed_payments_can_be_refunded(
    api: AsyncClient, as_role: Callable[..., Headers], customer_id: str
) -> None:
    order = await create_order(api, as_role("sales"), customer_id, total="10.00")
    intent = (await create_intent(api, as_role("sales"), order["id"])).json()

    response = await refund(api, as_role("finance"), intent["payment_id"])

    assert response.status_code == 409
    assert response.json()["error"]["code"] == "payment_not_refundable"
    assert "this one is pending" in response.json()["error"]["message"]


@pytest.mark.parametrize(
    ("fields", "field", "error_type"),
    [
        ({"amount": 0}, "amount", "greater_than"),
        ({"amount": "-1"}, "amount", "greater_than"),
        ({"amount": "1.001"}, "amount", "decimal_places"),
        ({"reason": ""}, "reason", "string_too_short"),
        ({"reason": None}, "reason_code", "missing"),
        ({"reason_code": "because"}, "reason_code", "enum"),
        ({"notes": "x" * 501}, "notes", "string_too_long"),
        ({"amount": "1", "extra": True}, "extra", "extra_forbidden"),
    ],
)
async def test_bad_refund_requests_are_422(
    api: AsyncClient,
    emulator: Emulator,
    as_role: Callable[..., Headers],
    customer_id: str,
    fields: dict[str, Any],
    field: str,
    error_type: str,
) -> None:
    paid = await paid_order(api, emulator, as_role("sales"), customer_id, total="10.00")

    response = await refund(api, as_role("finance"), paid.payment["id"], **fields)

    assert response.status_code == 422
    details = response.json()["error"]["details"]
    assert [(d["field"], d["type"]) for d in details] == [(field, error_type)]


async def test_unknown_payments_and_roles(
    api: AsyncClient, as_role: Callable[..., Headers]
) -> None:
    unknown = await refund(api, as_role("finance"), "pay_" + "0" * 32)
    malformed = await refund(api, as_role("finance"), "nope")
    sales = await refund(api, as_role("sales"), "pay_" + "0" * 32)

    assert (unknown.status_code, malformed.status_code) == (404, 404)
    assert sales.status_code == 403
    assert sales.json()["error"]["message"] == "This needs the refunds:write permission."


async def test_idempotency_key_replays_the_refund_and_refunds_once(
    api: AsyncClient, emulator: Emulator, as_role: Callable[..., Headers], customer_id: str
) -> None:
    paid = await paid_order(api, emulator, as_role("sales"), customer_id, total="40.00")
    caller = {**as_role("service", scope="refunds:write"), "Idempotency-Key": f"r-{customer_id}"}

    first = await refund(api, caller, paid.payment["id"], amount="15")
    replay = await refund(api, caller, paid.payment["id"], amount="15.00")
    other = await refund(api, caller, paid.payment["id"], amount="16")

    assert (first.status_code, replay.status_code) == (201, 201)
    assert replay.headers["Idempotent-Replayed"] == "true"
    assert replay.json() == first.json()
    assert other.status_code == 409
    assert other.json()["error"]["code"] == "idempotency_key_reused"
    assert len(emulator.refunds_for_intent(paid.intent["payment_intent_id"])) == 1
