"""JSON integers as JSON Schema counts them: `5.0` is 5; `"5"`, `true`, `5.5` are not integers."""

from decimal import Decimal

import pytest
from pydantic_core import PydanticCustomError

from app.core.numbers import whole_number


@pytest.mark.parametrize(
    ("raw", "number"), [(5, 5), (Decimal("5.0"), 5), (Decimal("1E+2"), 100), (12.0, 12), (-3, -3)]
)
def test_whole_numbers_are_taken(raw: object, number: int) -> None:
    assert whole_number(raw) == number


@pytest.mark.parametrize(
    ("raw", "error_type"),
    [
        ("5", "int_type"),
        (True, "int_type"),
        (None, "int_type"),
        (Decimal("5.5"), "int_from_float"),
        (5.5, "int_from_float"),
        (Decimal("NaN"), "int_type"),
        (float("inf"), "int_type"),
        (Decimal("1E+400000"), "int_parsing_size"),
    ],
)
def test_anything_else_is_refused(raw: object, error_type: str) -> None:
    with pytest.raises(PydanticCustomError) as caught:
        whole_number(raw)
    assert caught.value.type == error_type
