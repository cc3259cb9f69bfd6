"""Errors the reports raise; the shared handler renders them."""

from app.core.errors import ErrorDetail, ValidationFailed


class InvalidPeriod(ValidationFailed):
    """`from` after `to`, or a period longer than the reports cover in one request."""

    message = "The period is invalid."

    def __init__(self, field: str, message: str) -> None:
        detail = ErrorDetail(field=field, location="query", message=message, type="period_invalid")
        super().__init__(details=[detail])
