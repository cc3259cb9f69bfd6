"""Stripe's currency rules and ASCII digits at every door money comes in: orders,
create-intent and refunds answer 422 naming the field."""

from collections.abc import Callable
from typing import Any

import pytest
from httpx import AsyncClient

from tests.integration.conftest import Headers
from tests.integration.orders.payloads import order_payload


def _line(unit_price: Any) -> dict[str, Any]:
    return {"sku": "SKU-1", "description": "Goods", "quantity": 2, "unit_price": unit_price}


@pytest.mark.parametrize(
    ("currency", "unit_price", "error_type"),
    [
        ("kwd", "10.005", "amount_not_chargeable"),
        ("isk", "1.50", "amount_not_chargeable"),
        ("usd", "\u0661\u0660", "amount_invalid"),
        ("usd", "\uff11\uff10", "amount_invalid"),
        ("ugx", "10.5", "decimal_places"),
    ],
)
async def test_orders_refuse_amounts_stripe_cannot_charge(
    client: AsyncClient,
    as_role: Callable[..., Headers],
    customer_id: str,
    currency: str,
    unit_price: str,
    error_type: str,
) -> None:
    payload = order_payload(customer_id, currency=currency, lines=[_line(unit_price)])

    response = await client.post("/api/v1/orders", json=payload, headers=as_role("sales"))

    assert response.status_code == 422, response.text
    details = response.json()["error"]["details"]
    assert [(d["field"], d["type"]) for d in details] == [("lines.0.unit_price", error_type)]


@pytest.mark.parametrize(
    ("currency", "unit_price", "total_minor"),
    [("kwd", "10.010", 20020), ("isk", "150", 30000), ("huf", "10.50", 2100)],
)
async def test_orders_take_amounts_stripe_can_charge(
    client: AsyncClient,
    as_role: Callable[..., Headers],
    customer_id: str,
    currency: str,
    unit_price: str,
    total_minor: int,
) -> None:
    payload = order_payload(customer_id, currency=currency, lines=[_line(unit_price)])

    response = await client.post("/api/v1/orders", json=payload, headers=as_role("sales"))

    assert response.status_code == 201, response.text
    assert response.json()["total_minor"] == total_minor


async def test_non_ascii_digits_in_a_json_number_are_not_json(
    client: AsyncClient, as_role: Callable[..., Headers], customer_id: str
) -> None:
    line = '{"sku": "S", "description": "D", "quantity": 1, "unit_price": \u0661\u0660}'
    body = f'{{"customer_id": "{customer_id}", "currency": "usd", "lines": [{line}]}}'
    response = await client.post(
        "/api/v1/orders",
        content=body.encode(),
        headers={**as_role("sales"), "Content-Type": "application/json"},
    )
    assert response.status_code == 422
