"""The API request being handled, so that events can name it in `request`."""

from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass


@dataclass(frozen=True)
class RequestInfo:
    request_id: str
    idempotency_key: str | None


current_request: ContextVar[RequestInfo | None] = ContextVar("current_request", default=None)
