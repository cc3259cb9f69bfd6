"""Money: exact decimals at the API edge, integers in the currency's minor unit everywhere else.

Amounts are never floats on the way in: JSON numbers are parsed as Decimal (see json_route) and
strings must be plain decimals in ASCII digits (a regular expression's digit class and `Decimal()`
also take other scripts' digits, Arabic-Indic ones among them). On the way out, amounts are JSON
numbers in major units.
"""

import re
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any

from pydantic import BeforeValidator, PlainSerializer, WithJsonSchema
from pydantic_core import PydanticCustomError

from app.core.currencies import SUPPORTED_CURRENCIES, charge_step_minor, minor_unit_exponent

# Twelve digits keep every amount exact when written as a JSON number (doubles hold fifteen).
MAX_AMOUNT_MINOR = 999_999_999_999
_PLAIN_DECIMAL = re.compile(r"^-?[0-9]{1,15}(\.[0-9]{1,12})?$")
_MAX_ABS_MAJOR = Decimal(10) ** 15


class MoneyError(ValueError):
    type = "amount_invalid"


class UnknownCurrency(MoneyError):
    type = "currency_unknown"


class TooManyDecimals(MoneyError):
    type = "decimal_places"


class AmountTooLarge(MoneyError):
    type = "amount_too_large"


class NotChargeable(MoneyError):
    type = "amount_not_chargeable"


def normalize_currency(code: object) -> str:
    """`"USD"`/`"usd"` -> `"usd"`; anything outside the supported ISO list is rejected."""
    if not isinstance(code, str) or code.strip().lower() not in SUPPORTED_CURRENCIES:
        raise UnknownCurrency(f"unknown or unsupported currency: {code!r}")
    return code.strip().lower()


def parse_decimal(value: object) -> Decimal:
    """An exact Decimal from a Decimal, an int or a plain decimal string; floats are refused."""
    if isinstance(value, bool | float):
        raise MoneyError("amounts must be exact: send a JSON number or a decimal string")
    if isinstance(value, int):
        amount = Decimal(value)
    elif isinstance(value, Decimal):
        amount = value
    elif isinstance(value, str) and _PLAIN_DECIMAL.match(value.strip()):
        amount = Decimal(value.strip())
    else:
        raise MoneyError(f"not a decimal amount: {value!r}")
    if not amount.is_finite():
        raise MoneyError("amounts must be finite")
    if abs(amount) >= _MAX_ABS_MAJOR:
        raise AmountTooLarge("amount is too large")
    return amount


def to_minor(amount: Decimal, currency: str) -> int:
    """99.99 USD -> 9999; 1000 JPY -> 1000; more decimals than the currency has -> error."""
    exponent = minor_unit_exponent(currency)
    try:
        scaled = amount.scaleb(exponent)
        whole = scaled.to_integral_value()
    except InvalidOperation as exc:
        raise MoneyError(f"not a decimal amount: {amount}") from exc
    if scaled != whole:
        raise TooManyDecimals(f"{currency.upper()} amounts allow at most {exponent} decimal places")
    step = charge_step_minor(currency)
    if int(whole) % step:
        smallest = from_minor(step, currency)
        raise NotChargeable(f"Stripe charges {currency.upper()} in steps of {smallest}")
    return int(whole)


def from_minor(amount_minor: int, currency: str) -> Decimal:
    """9999 USD -> Decimal('99.99'); 1000 JPY -> Decimal('1000')."""
    exponent = minor_unit_exponent(currency)
    return Decimal(amount_minor).scaleb(-exponent).quantize(Decimal(1).scaleb(-exponent))


def to_json_number(amount: Decimal) -> int | float:
    """Whole amounts as JSON integers, others as the shortest exact JSON number."""
    if amount == amount.to_integral_value():
        return int(amount)
    return float(amount)


def _validate_amount(value: Any) -> Decimal:
    try:
        return parse_decimal(value)
    except MoneyError as exc:
        raise PydanticCustomError(exc.type, str(exc)) from None


def _validate_currency(value: Any) -> str:
    try:
        return normalize_currency(value)
    except MoneyError as exc:
        raise PydanticCustomError(exc.type, str(exc)) from None


AmountIn = Annotated[
    Decimal,
    BeforeValidator(_validate_amount),
    WithJsonSchema(
        {
            "anyOf": [{"type": "number"}, {"type": "string", "pattern": _PLAIN_DECIMAL.pattern}],
            "description": "Amount in major units, e.g. 99.99 (a JSON number or a string)",
            "examples": [99.99],
        },
        mode="validation",
    ),
]

AmountOut = Annotated[
    Decimal,
    PlainSerializer(to_json_number, when_used="json"),
    WithJsonSchema(
        {"type": "number", "description": "Amount in major units", "examples": [99.99]},
        mode="serialization",
    ),
]

CurrencyCode = Annotated[
    str,
    BeforeValidator(_validate_currency),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": "^[A-Za-z]{3}$",
            "description": "ISO 4217 code; answered in lower case",
            "examples": ["usd"],
        }
    ),
]
