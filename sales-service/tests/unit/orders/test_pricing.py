from decimal import Decimal
from typing import Any

import pytest

from app.orders.errors import InvalidOrderAmounts
from app.orders.schemas import OrderCreate
from app.orders.service import price_lines


def order(currency: str, *lines: tuple[int, str]) -> OrderCreate:
    return OrderCreate.model_validate(
        {
            "customer_id": "cus_1",
            "currency": currency,
            "lines": [
                {
                    "sku": f"SKU-{i}",
                    "description": "Widget",
                    "quantity": q,
                    "unit_price": Decimal(p),
                }
                for i, (q, p) in enumerate(lines)
            ],
        }
    )


def test_lines_are_priced_in_minor_units() -> None:
    priced = price_lines(order("usd", (3, "19.99"), (1, "0.05")))
    assert [(line["unit_price_minor"], line["total_minor"]) for line in priced] == [
        (1999, 5997),
        (5, 5),
    ]


def test_zero_and_three_decimal_currencies() -> None:
    assert price_lines(order("jpy", (2, "1500")))[0]["total_minor"] == 3000
    assert price_lines(order("kwd", (2, "1.120")))[0]["total_minor"] == 2240


def test_every_over_precise_price_is_reported_with_its_field() -> None:
    with pytest.raises(InvalidOrderAmounts) as caught:
        price_lines(order("jpy", (1, "10.5"), (1, "100"), (1, "0.1")))
    details: list[Any] = caught.value.details or []
    assert [(d.field, d.type) for d in details] == [
        ("lines.0.unit_price", "decimal_places"),
        ("lines.2.unit_price", "decimal_places"),
    ]
    assert details[0].message == "JPY amounts allow at most 0 decimal places"


def test_line_total_too_large() -> None:
    with pytest.raises(InvalidOrderAmounts) as caught:
        price_lines(order("usd", (1_000_000, "99999999")))
    assert [d.field for d in caught.value.details or []] == ["lines.0"]
