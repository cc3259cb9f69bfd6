"""One error base class, its generic subclasses and the JSON shape every error response uses.

Domain packages subclass these (e.g. `OrderNotFound(NotFound)`); one handler renders them all as
`{"error": {"code", "message", "details"?, "request_id"}}`.
"""

from collections.abc import Mapping, Sequence
from typing import Any

from pydantic import BaseModel, Field


class ErrorDetail(BaseModel):
    """One problem with one input; `field` is a dotted path such as `lines.0.quantity`."""

    field: str
    location: str = Field(description="body, query, path or header")
    message: str
    type: str


class ErrorBody(BaseModel):
    code: str = Field(examples=["not_found"])
    message: str
    details: list[ErrorDetail] | None = None
    request_id: str


class ErrorResponse(BaseModel):
    error: ErrorBody


class AppError(Exception):
    status_code = 500
    code = "internal_error"
    message = "Internal server error."

    def __init__(
        self,
        message: str | None = None,
        *,
        details: Sequence[ErrorDetail] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        self.message = message or type(self).message
        self.details = list(details) if details is not None else None
        self.headers = dict(headers or {})
        super().__init__(self.message)


class BadRequest(AppError):
    status_code = 400
    code = "bad_request"
    message = "The request could not be read."


class ValidationFailed(AppError):
    status_code = 422
    code = "validation_error"
    message = "The request is invalid."


class Unauthorized(AppError):
    status_code = 401
    code = "unauthorized"
    message = "Authentication is required."

    def __init__(self, message: str | None = None, *, invalid_token: bool = False) -> None:
        challenge = 'Bearer error="invalid_token"' if invalid_token else "Bearer"
        super().__init__(message, headers={"WWW-Authenticate": challenge})


class Forbidden(AppError):
    status_code = 403
    code = "forbidden"
    message = "You do not have permission to do this."


class NotFound(AppError):
    status_code = 404
    code = "not_found"
    message = "Not found."


class MethodNotAllowed(AppError):
    status_code = 405
    code = "method_not_allowed"
    message = "Method not allowed."


class Conflict(AppError):
    status_code = 409
    code = "conflict"
    message = "The request conflicts with the current state."


class ServiceUnavailable(AppError):
    status_code = 503
    code = "service_unavailable"
    message = "A backing service is unavailable; try again shortly."


class InternalError(AppError):
    pass


_STATUS_ERRORS: dict[int, type[AppError]] = {
    cls.status_code: cls
    for cls in (
        BadRequest,
        ValidationFailed,
        Unauthorized,
        Forbidden,
        NotFound,
        MethodNotAllowed,
        Conflict,
        ServiceUnavailable,
        InternalError,
    )
}

_DESCRIPTIONS = {
    400: "Bad request: the request line or a header could not be parsed (e.g. a control "
    "character in a header value), or the body could not be read",
    401: "Missing, expired or invalid bearer token",
    403: "The token lacks the required permission",
    404: "Not found",
    405: "Method not allowed",
    409: "Conflict with the current state",
    422: "Validation error; `details` names each field",
    500: "Internal error (no internals are exposed)",
    503: "A backing service is unavailable",
}


def error_class_for_status(status_code: int) -> type[AppError] | None:
    return _STATUS_ERRORS.get(status_code)


def error_payload(
    code: str, message: str, request_id: str, details: Sequence[ErrorDetail] | None = None
) -> dict[str, Any]:
    listed = list(details) if details is not None else None
    body = ErrorBody(code=code, message=message, details=listed, request_id=request_id)
    return {"error": body.model_dump(exclude_none=True)}


# The OpenAPI extension on a 422 response listing the detail types a request may be refused
# with although it matches the schema: rules against stored records (an amount above what the
# order still owes) or across fields that JSON Schema cannot state (decimals per currency).
BEYOND_SCHEMA = "x-beyond-schema"


def error_responses(
    *status_codes: int, beyond_schema: Sequence[str] = ()
) -> dict[int | str, dict[str, Any]]:
    """OpenAPI `responses` entries naming each error a route can return, all `ErrorResponse`.

    `beyond_schema` names the 422 detail types a request matching the schema can still get.
    """
    responses: dict[int | str, dict[str, Any]] = {
        code: {"model": ErrorResponse, "description": _DESCRIPTIONS.get(code, "Error")}
        for code in status_codes
    }
    if beyond_schema:
        if 422 not in responses:
            raise ValueError("rules beyond the schema are refused with 422: list it")
        listed = ", ".join(f"`{name}`" for name in beyond_schema)
        responses[422]["description"] += (
            f". A request that matches the schema may still be refused with {listed}"
        )
        responses[422][BEYOND_SCHEMA] = list(beyond_schema)
    return responses
