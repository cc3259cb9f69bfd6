"""Money: exact decimals at the API edge, integers in the currency's minor unit everywhere else.

Amounts are never floats on the way in: JSON numbers are parsed as Decimal (see json_route) and
strings must be plain decimals in ASCII digits (a regular expression's digit class and `Decimal()`
also take other scripts' digits, Arabic-Indic ones among them). On the way out, amounts are JSON
numbers in major units.
"""

import re
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any

from pydantic import BeforeValidator, Field, PlainSerializer, WithJsonSchema
from pydantic_core import PydanticCustomError

from app.core.currencies import SUPPORTED_CURRENCIES, charge_step_minor, minor_unit_exponent

# Twelve digits keep every amount exact when written as a JSON number (doubles hold fifteen).
MAX_AMOUNT_MINOR = 999_999_999_999
# The largest amount in any currency, in major units (a zero-decimal one's minor units).
MAX_AMOUNT_MAJOR = MAX_AMOUNT_MINOR
# An amount sent as a string: plain ASCII digits, taken whole (no spaces). A minus sign is read
# so that the field's bound names the problem (`greater_than`), though the document states none.
_PLAIN_DECIMAL = re.compile(r"^-?[0-9]{1,15}(\.[0-9]{1,12})?$")
# What the OpenAPI document states of an amount in any currency: no currency charges a third
# decimal (three-decimal ones only in steps of 0.010), so at most two that are not 0. Which
# amounts a given currency takes (none for JPY, whole krónur for ISK) is checked against it.
AMOUNT_STRING = r"^[0-9]{1,15}(\.[0-9]{1,2}0{0,10})?$"
POSITIVE_AMOUNT_STRING = r"^(?=[0-9.]*[1-9])[0-9]{1,15}(\.[0-9]{1,2}0{0,10})?$"
AMOUNT_STEP = 0.01
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
    """`"USD"`/`"usd"` -> `"usd"`; anything outside the supported ISO list (or with spaces
    around it) is rejected."""
    if not isinstance(code, str) or code.lower() not in SUPPORTED_CURRENCIES:
        raise UnknownCurrency(f"unknown or unsupported currency: {code!r}")
    return code.lower()


def _any_case(code: str) -> str:
    return "".join(f"[{letter.upper()}{letter}]" for letter in code)


# The supported codes in any case, as a pattern: `usd`, `USD` and `Usd` alike.
CURRENCY_PATTERN = (
    "^(?:" + "|".join(_any_case(code) for code in sorted(SUPPORTED_CURRENCIES)) + ")$"
)


def parse_decimal(value: object) -> Decimal:
    """An exact Decimal from a Decimal, an int or a plain decimal string; floats are refused."""
    if isinstance(value, bool | float):
        raise MoneyError("amounts must be exact: send a JSON number or a decimal string")
    if isinstance(value, int):
        amount = Decimal(value)
    elif isinstance(value, Decimal):
        amount = value
    elif isinstance(value, str) and _PLAIN_DECIMAL.fullmatch(value):
        amount = Decimal(value)
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


_AMOUNT_DESCRIPTION = (
    "Amount in major units, e.g. 99.99: a JSON number or a string of ASCII digits. At most "
    "two decimals (trailing zeros aside) and no more than the currency has (none for JPY), "
    "chargeable in it (whole krónur for ISK), and at most 999,999,999,999 of its minor units"
)

AmountIn = Annotated[
    Decimal,
    BeforeValidator(_validate_amount),
    Field(ge=0),
    WithJsonSchema(
        {
            "anyOf": [
                {
                    "type": "number",
                    "minimum": 0,
                    "maximum": MAX_AMOUNT_MAJOR,
                    "multipleOf": AMOUNT_STEP,
                },
                {"type": "string", "pattern": AMOUNT_STRING},
            ],
            "description": f"{_AMOUNT_DESCRIPTION}; 0 or more",
            "examples": [99.99],
        },
        mode="validation",
    ),
]
"""An amount of 0 or more, e.g. a unit price."""

PositiveAmountIn = Annotated[
    Decimal,
    BeforeValidator(_validate_amount),
    Field(gt=0),
    WithJsonSchema(
        {
            "anyOf": [
                {
                    "type": "number",
                    "exclusiveMinimum": 0,
                    "maximum": MAX_AMOUNT_MAJOR,
                    "multipleOf": AMOUNT_STEP,
                },
                {"type": "string", "pattern": POSITIVE_AMOUNT_STRING},
            ],
            "description": f"{_AMOUNT_DESCRIPTION}; more than 0",
            "examples": [99.99],
        },
        mode="validation",
    ),
]
"""An amount to charge, capture or refund: more than 0."""

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
            "pattern": CURRENCY_PATTERN,
            "description": "A supported ISO 4217 code, in any case (`usd`, `USD`); answered in "
            "lower case",
            "examples": ["usd"],
        }
    ),
]
