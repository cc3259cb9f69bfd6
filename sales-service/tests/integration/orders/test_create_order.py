import asyncio
import json
import re
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest
from httpx import AsyncClient
from pymongo.asynchronous.database import AsyncDatabase

from app.cli.export_openapi import openapi_document
from tests.integration.conftest import Headers
from tests.integration.orders.payloads import order_payload

NUMBER = re.compile(r"^ORD-(\d{4})-(\d{6})$")


async def test_creates_an_unpaid_order_with_server_side_totals(
    client: AsyncClient,
    as_role: Callable[..., Headers],
    customer_id: str,
    mongo: AsyncDatabase[dict[str, Any]],
) -> None:
    response = await client.post(
        "/api/v1/orders", json=order_payload(customer_id), headers=as_role("sales", sub="sam")
    )
    assert response.status_code == 201
    body = response.json()
    assert re.match(r"^ord_[0-9a-f]{32}$", body["id"])
    assert response.headers["Location"] == f"/api/v1/orders/{body['id']}"
    match = NUMBER.match(body["number"])
    assert match is not None
    assert int(match.group(1)) == datetime.now(UTC).year
    assert body["lines"] == [
        {
            "sku": "CHAIR-01",
            "description": "Office chair",
            "quantity": 2,
            "unit_price": 149.99,
            "unit_price_minor": 14999,
            "total": 299.98,
            "total_minor": 29998,
        },
        {
            "sku": "DESK-07",
            "description": "Standing desk",
            "quantity": 1,
            "unit_price": 499,
            "unit_price_minor": 49900,
            "total": 499,
            "total_minor": 49900,
        },
    ]
    expected = {
        "customer_id": customer_id,
        "currency": "usd",
        "notes": "Deliver to loading bay 2",
        "total": 798.98,
        "total_minor": 79898,
        "amount_paid": 0,
        "amount_paid_minor": 0,
        "amount_refunded": 0,
        "amount_refunded_minor": 0,
        "outstanding": 798.98,
        "outstanding_minor": 79898,
        "payment_status": "unpaid",
        "version": 0,
        "created_by": "sam",
    }
    assert {key: body[key] for key in expected} == expected
    assert body["created_at"] == body["updated_at"]

    stored = await mongo["orders"].find_one({"_id": body["id"]})
    assert stored is not None
    assert stored["total_minor"] == 79898
    assert stored["lines"][0]["unit_price_minor"] == 14999
    assert "total" not in stored  # only integer minor units are stored


@pytest.mark.parametrize(
    ("currency", "unit_price", "quantity", "total_text", "total_minor"),
    [
        ("JPY", 1000, 3, '"total":3000,', 3000),
        ("kwd", "12.340", 2, '"total":24.68,', 24680),
        ("usd", 0.1, 3, '"total":0.3,', 30),
    ],
)
async def test_currency_exponents(
    client: AsyncClient,
    as_role: Callable[..., Headers],
    customer_id: str,
    currency: str,
    unit_price: Any,
    quantity: int,
    total_text: str,
    total_minor: int,
) -> None:
    line = {"sku": "X", "description": "x", "quantity": quantity, "unit_price": unit_price}
    payload = order_payload(customer_id, currency=currency, lines=[line])
    response = await client.post("/api/v1/orders", json=payload, headers=as_role("admin"))
    assert response.status_code == 201
    assert total_text in response.text
    assert response.json()["total_minor"] == total_minor
    assert response.json()["currency"] == currency.lower()


async def test_numbers_follow_each_other_even_when_created_at_once(
    client: AsyncClient, as_role: Callable[..., Headers], customer_id: str
) -> None:
    headers = as_role("sales")
    responses = await asyncio.gather(
        *(
            client.post("/api/v1/orders", json=order_payload(customer_id), headers=headers)
            for _ in range(20)
        )
    )
    assert [r.status_code for r in responses] == [201] * 20
    sequences = sorted(int(NUMBER.match(r.json()["number"]).group(2)) for r in responses)  # type: ignore[union-attr]
    assert sequences == list(range(sequences[0], sequences[0] + 20))


@pytest.mark.parametrize(
    ("roles", "scope", "status"),
    [
        (("sales",), None, 201),
        (("admin",), None, 201),
        (("service",), "orders:write", 201),
        (("finance",), None, 403),
        (("service",), "orders:read payments:write", 403),
        ((), None, 403),
    ],
)
async def test_who_may_create_orders(
    client: AsyncClient,
    as_role: Callable[..., Headers],
    customer_id: str,
    roles: tuple[str, ...],
    scope: str | None,
    status: int,
) -> None:
    response = await client.post(
        "/api/v1/orders", json=order_payload(customer_id), headers=as_role(*roles, scope=scope)
    )
    assert response.status_code == status
    if status == 403:
        assert response.json()["error"]["code"] == "forbidden"
        assert response.json()["error"]["message"] == "This needs the orders:write permission."


def line(**overrides: Any) -> dict[str, Any]:
    return {"sku": "A-1", "description": "Thing", "quantity": 1, "unit_price": "10.00", **overrides}


@pytest.mark.parametrize(
    ("overrides", "field", "error_type"),
    [
        ({"lines": [line(quantity=0)]}, "lines.0.quantity", "greater_than"),
        ({"lines": [line(quantity=-2)]}, "lines.0.quantity", "greater_than"),
        ({"lines": [line(quantity=1.5)]}, "lines.0.quantity", "int_from_float"),
        ({"lines": [line(quantity="2")]}, "lines.0.quantity", "int_type"),
        ({"lines": [line(unit_price=-1)]}, "lines.0.unit_price", "greater_than_equal"),
        ({"lines": [line(unit_price="abc")]}, "lines.0.unit_price", "amount_invalid"),
        ({"lines": [line(), line(unit_price="9.999")]}, "lines.1.unit_price", "decimal_places"),
        (
            {"currency": "jpy", "lines": [line(unit_price=10.5)]},
            "lines.0.unit_price",
            "decimal_places",
        ),
        ({"currency": "xyz"}, "currency", "currency_unknown"),
        ({"lines": []}, "lines", "too_short"),
        ({"lines": [line(sku="")]}, "lines.0.sku", "string_too_short"),
        ({"customer_id": ""}, "customer_id", "string_too_short"),
        ({"total": 1}, "total", "extra_forbidden"),
        # What cannot be kept whole is refused, never trimmed or cleaned.
        ({"currency": " usd"}, "currency", "currency_unknown"),
        ({"currency": "AAA"}, "currency", "currency_unknown"),
        ({"lines": [line(unit_price=" 5")]}, "lines.0.unit_price", "amount_invalid"),
        ({"customer_id": "cus\x7f42"}, "customer_id", "string_pattern_mismatch"),
        ({"lines": [line(sku="A\tB")]}, "lines.0.sku", "string_pattern_mismatch"),
        ({"notes": "ok\n\x00"}, "notes", "string_pattern_mismatch"),
        ({"customer_id": " " * 65}, "customer_id", "string_too_long"),
        ({"lines": [line(quantity=True)]}, "lines.0.quantity", "int_type"),
    ],
)
async def test_invalid_orders_name_the_field(
    client: AsyncClient,
    as_role: Callable[..., Headers],
    customer_id: str,
    overrides: dict[str, Any],
    field: str,
    error_type: str,
) -> None:
    response = await client.post(
        "/api/v1/orders", json=order_payload(customer_id, **overrides), headers=as_role("sales")
    )
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "validation_error"
    assert [(d["field"], d["type"]) for d in error["details"]] == [(field, error_type)]
    assert error["request_id"] == response.headers["X-Request-ID"]


async def test_missing_fields_are_each_named(
    client: AsyncClient, as_role: Callable[..., Headers]
) -> None:
    response = await client.post("/api/v1/orders", json={}, headers=as_role("sales"))
    assert response.status_code == 422
    details = response.json()["error"]["details"]
    assert [(d["field"], d["type"]) for d in details] == [
        ("customer_id", "missing"),
        ("currency", "missing"),
        ("lines", "missing"),
    ]


async def test_json_numbers_are_never_rounded_through_a_float(
    client: AsyncClient, as_role: Callable[..., Headers], customer_id: str
) -> None:
    """As a float this is 0.1 exactly; as the decimal it is, it has too many places."""
    template = json.dumps(order_payload(customer_id, lines=[line(unit_price="PRICE")]))
    body = template.replace('"PRICE"', "0.1000000000000000000001")
    response = await client.post(
        "/api/v1/orders",
        content=body,
        headers={**as_role("sales"), "Content-Type": "application/json"},
    )
    assert response.status_code == 422
    assert response.json()["error"]["details"][0]["field"] == "lines.0.unit_price"


async def test_text_is_kept_exactly_as_sent(
    client: AsyncClient, as_role: Callable[..., Headers], customer_id: str
) -> None:
    lines = [line(sku=" SKU 1 ", description="  Office chair  ", quantity=2.0)]
    payload = order_payload(
        f" {customer_id} ", lines=lines, notes="Loading bay 2\n\tnot the front "
    )
    response = await client.post("/api/v1/orders", json=payload, headers=as_role("sales"))
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["customer_id"] == f" {customer_id} "
    assert (body["lines"][0]["sku"], body["lines"][0]["description"]) == (
        " SKU 1 ",
        "  Office chair  ",
    )
    assert body["lines"][0]["quantity"] == 2  # 2.0 is the JSON integer 2
    assert body["notes"] == "Loading bay 2\n\tnot the front "


async def test_a_reused_idempotency_key_is_the_documented_409(
    client: AsyncClient, as_role: Callable[..., Headers], customer_id: str
) -> None:
    sales = {**as_role("sales"), "Idempotency-Key": "0"}
    first = await client.post("/api/v1/orders", json=order_payload(customer_id), headers=sales)
    assert first.status_code == 201, first.text
    other = order_payload(customer_id, notes="another order")
    response = await client.post("/api/v1/orders", json=other, headers=sales)
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "idempotency_key_reused"
    assert "409" in openapi_document()["paths"]["/api/v1/orders"]["post"]["responses"]
