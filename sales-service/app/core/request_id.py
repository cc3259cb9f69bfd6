"""Per-request context: the request id, the access log line and the last-resort 500 response.

Written as plain ASGI middleware so it wraps every response, including errors raised below it.
It runs on every request, so it does only what it must: the access line is built only when its
logger is enabled, and straight as a record (no caller lookup: the line says where it is from).
"""

import logging
import os
import re
import time
from contextvars import ContextVar

from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.core.errors import InternalError, error_payload
from app.core.redaction import loggable_path

REQUEST_ID_HEADER = "X-Request-ID"
_HEADER_NAME = REQUEST_ID_HEADER.lower().encode()
# A caller's id is reused only if it is short and plain, so it cannot forge log lines.
_ACCEPTED_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")
_current_request_id: ContextVar[str | None] = ContextVar("request_id", default=None)

access_logger = logging.getLogger("app.access")
error_logger = logging.getLogger("app.errors")


def current_request_id() -> str | None:
    return _current_request_id.get()


def accepted_or_new(candidate: str | None) -> str:
    """The caller's id if it is acceptable, otherwise a new one."""
    if candidate is not None and _ACCEPTED_ID.match(candidate):
        return candidate
    return os.urandom(16).hex()


def _incoming_request_id(scope: Scope) -> str | None:
    for name, value in scope.get("headers", []):
        if name == _HEADER_NAME:
            candidate = value.decode("latin-1")
            return candidate if _ACCEPTED_ID.match(candidate) else None
    return None


class RequestContextMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        # 32 random hex digits, as uuid4().hex gave, without building a UUID.
        request_id = _incoming_request_id(scope) or os.urandom(16).hex()
        state = scope.setdefault("state", {})
        state["request_id"] = request_id
        token = _current_request_id.set(request_id)
        started = time.perf_counter()
        status = 500
        response_started = False

        async def send_with_request_id(message: Message) -> None:
            nonlocal status, response_started
            if message["type"] == "http.response.start":
                response_started = True
                status = message["status"]
                # Only this middleware sets the header, so appending cannot duplicate it.
                headers = message.setdefault("headers", [])
                if not isinstance(headers, list):
                    headers = message["headers"] = list(headers)
                headers.append((_HEADER_NAME, request_id.encode("latin-1")))
            await send(message)

        try:
            await self.app(scope, receive, send_with_request_id)
        except Exception:
            error_logger.exception("unhandled error")
            if response_started:
                raise
            error = InternalError()
            payload = error_payload(error.code, error.message, request_id)
            await JSONResponse(payload, status_code=500)(scope, receive, send_with_request_id)
        finally:
            if access_logger.isEnabledFor(logging.INFO):
                _log_access(scope, status, time.perf_counter() - started, state)
            _current_request_id.reset(token)


def _log_access(scope: Scope, status: int, seconds: float, state: dict[str, object]) -> None:
    record = access_logger.makeRecord(
        access_logger.name, logging.INFO, "", 0, "request", (), None,
        extra={
            "method": scope["method"],
            "path": loggable_path(scope["path"]),
            "status": status,
            "duration_ms": round(seconds * 1000, 2),
            "sub": state.get("principal_sub"),
        },
    )  # fmt: skip
    access_logger.handle(record)
