"""Stripe's rules on which amounts can be charged, and ASCII digits only."""

from decimal import Decimal

import pytest

from app.core.money import MoneyError, NotChargeable, parse_decimal, to_minor


@pytest.mark.parametrize(
    ("amount", "currency", "minor"),
    [
        ("10.010", "kwd", 10010),
        ("10.01", "bhd", 10010),
        ("7", "jod", 7000),
        ("2", "isk", 200),
        ("2.00", "isk", 200),
        ("10.50", "huf", 1050),  # HUF and TWD are charged with two decimals
        ("10.55", "twd", 1055),
        ("5000", "ugx", 5000),  # zero-decimal
    ],
)
def test_chargeable_amounts(amount: str, currency: str, minor: int) -> None:
    assert to_minor(Decimal(amount), currency) == minor


@pytest.mark.parametrize(
    ("amount", "currency"),
    [("10.005", "kwd"), ("0.001", "bhd"), ("1.999", "omr"), ("1.50", "isk"), ("0.01", "isk")],
)
def test_amounts_stripe_cannot_charge_are_refused(amount: str, currency: str) -> None:
    with pytest.raises(NotChargeable) as raised:
        to_minor(Decimal(amount), currency)
    assert raised.value.type == "amount_not_chargeable"
    assert currency.upper() in str(raised.value)


def test_ugx_fractions_are_too_many_decimals() -> None:
    with pytest.raises(MoneyError) as raised:
        to_minor(Decimal("10.5"), "ugx")
    assert raised.value.type == "decimal_places"


@pytest.mark.parametrize(
    "raw",
    [
        "\u0661\u0660",  # Arabic-Indic ten
        "\u06f1\u06f0",  # Extended Arabic-Indic (Persian) ten
        "\u0967\u0966.\u0966",  # Devanagari
        "\uff11\uff10",  # full-width
        "1\u0660.00",
    ],
)
def test_only_ascii_digits(raw: str) -> None:
    with pytest.raises(MoneyError):
        parse_decimal(raw)
