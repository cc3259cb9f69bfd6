"""Errors the orders domain raises; the shared handler renders them."""

from collections.abc import Sequence

from app.core.errors import ErrorDetail, NotFound, ValidationFailed


class OrderNotFound(NotFound):
    message = "Order not found."


class InvalidOrderAmounts(ValidationFailed):
    """Amounts that only make sense against the order's currency (decimals, size)."""

    message = "The order's amounts are invalid for its currency."

    def __init__(self, details: Sequence[ErrorDetail]) -> None:
        super().__init__(details=details)
