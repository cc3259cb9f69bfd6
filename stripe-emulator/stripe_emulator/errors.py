"""Stripe's error shape: `{"error": {"type", "code", "message", "param", ...}}` with its status."""

from __future__ import annotations

from typing import Any

from starlette.responses import JSONResponse

JsonObject = dict[str, Any]


class StripeError(Exception):
    def __init__(
        self,
        status: int,
        error_type: str,
        message: str,
        *,
        code: str | None = None,
        param: str | None = None,
        decline_code: str | None = None,
        extra: JsonObject | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.error_type = error_type
        self.message = message
        self.code = code
        self.param = param
        self.decline_code = decline_code
        self.extra = extra or {}
        self.headers = headers or {}

    def body(self) -> JsonObject:
        error: JsonObject = {"message": self.message, "type": self.error_type}
        if self.code is not None:
            error["code"] = self.code
            error["doc_url"] = f"https://docs.stripe.com/error-codes/{self.code.replace('_', '-')}"
        if self.param is not None:
            error["param"] = self.param
        if self.decline_code is not None:
            error["decline_code"] = self.decline_code
        error.update(self.extra)
        return {"error": dict(sorted(error.items()))}

    def response(self, request_id: str | None = None) -> JSONResponse:
        headers = dict(self.headers)
        if request_id is not None:
            headers["Request-Id"] = request_id
        return JSONResponse(self.body(), status_code=self.status, headers=headers)


def invalid_request(
    message: str,
    *,
    code: str | None = None,
    param: str | None = None,
    status: int = 400,
    extra: JsonObject | None = None,
) -> StripeError:
    return StripeError(
        status, "invalid_request_error", message, code=code, param=param, extra=extra
    )


def resource_missing(object_name: str, object_id: str, *, param: str = "id") -> StripeError:
    return invalid_request(
        f"No such {object_name}: '{object_id}'", code="resource_missing", param=param, status=404
    )


def unexpected_state(message: str, *, extra: JsonObject | None = None) -> StripeError:
    return invalid_request(message, code="payment_intent_unexpected_state", extra=extra)


def card_error(
    message: str,
    *,
    code: str,
    param: str | None = None,
    decline_code: str | None = None,
    extra: JsonObject | None = None,
) -> StripeError:
    return StripeError(
        402, "card_error", message, code=code, param=param, decline_code=decline_code, extra=extra
    )


def authentication_error(message: str) -> StripeError:
    return StripeError(401, "invalid_request_error", message)


def idempotency_error(message: str) -> StripeError:
    return StripeError(400, "idempotency_error", message)


def api_error(message: str, *, status: int = 500) -> StripeError:
    return StripeError(status, "api_error", message)


def rate_limit_error(retry_after_seconds: int) -> StripeError:
    return StripeError(
        429,
        "invalid_request_error",
        "Request rate limit exceeded. Learn more about rate limits here "
        "https://docs.stripe.com/rate-limits.",
        code="rate_limit",
        headers={"Retry-After": str(retry_after_seconds)},
    )
