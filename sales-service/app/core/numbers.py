"""Whole numbers in JSON bodies, as JSON Schema's `integer` reads them.

JSON Schema counts `2580.0` as an integer (a number with no fraction), and so does this service:
it is the same number, taken whole. Strings (`"5"`) and booleans are not integers and are refused,
as are numbers with a fraction.
"""

from decimal import Decimal
from typing import Any

from pydantic_core import PydanticCustomError

# Far past any bound a field sets; converting a larger exponent would only waste time.
_MAX_DIGITS = 18


def whole_number(value: Any) -> int:
    """A JSON integer: `5` or `5.0`, not `"5"`, `true` or `5.5`. Put it after the field's bounds
    (`Annotated[int, Field(gt=0), BeforeValidator(whole_number)]`) so the document states them."""
    if isinstance(value, bool):
        raise PydanticCustomError("int_type", "Input should be a valid integer")
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        value = Decimal(repr(value)) if value == value and abs(value) != float("inf") else None
    if not isinstance(value, Decimal) or not value.is_finite():
        raise PydanticCustomError("int_type", "Input should be a valid integer")
    if value.adjusted() > _MAX_DIGITS:
        raise PydanticCustomError("int_parsing_size", "The number is too large")
    if value != value.to_integral_value():
        raise PydanticCustomError(
            "int_from_float", "Input should be a valid integer, got a number with a fractional part"
        )
    return int(value)
