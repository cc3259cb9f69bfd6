"""Applies the fault knobs to API requests: latency, error responses, dropped connections."""

from __future__ import annotations

import asyncio

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from stripe_emulator.errors import StripeError, api_error, rate_limit_error
from stripe_emulator.faults import FaultInjector
from stripe_emulator.ids import random_token

_DROPPED_BODY_LENGTH = b"4096"


def injected_error(status: int, retry_after_seconds: int) -> StripeError:
    if status == 429:
        return rate_limit_error(retry_after_seconds)
    return api_error(
        "An unknown error occurred (injected by the emulator's fault settings).", status=status
    )


class FaultMiddleware:
    def __init__(self, app: ASGIApp, injector: FaultInjector) -> None:
        self._app = app
        self._injector = injector

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not self._injector.applies_to(scope["path"]):
            await self._app(scope, receive, send)
            return
        settings = self._injector.settings
        if settings.latency_ms:
            await asyncio.sleep(settings.latency_ms / 1000)
        if self._injector.take_error():
            error = injected_error(settings.error_status, settings.retry_after_seconds)
            await error.response(request_id=f"req_{random_token(14)}")(scope, receive, send)
            return
        if not self._injector.take_drop():
            await self._app(scope, receive, send)
            return
        if settings.drop_phase == "after":
            await self._app(scope, receive, _swallow)
        await _drop_connection(send)


async def _swallow(message: Message) -> None:
    """Discard the response of a request whose connection is about to be dropped."""


async def _drop_connection(send: Send) -> None:
    # Headers promising a body that never comes, then nothing: the server closes the
    # connection, and the client sees it cut mid-response.
    await send(
        {
            "type": "http.response.start",
            "status": 200,
            "headers": [(b"content-type", b"application/json"),
                        (b"content-length", _DROPPED_BODY_LENGTH)],
        }
    )  # fmt: skip
