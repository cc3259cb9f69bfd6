"""Tells the emulator its state may have changed after every request that can change it."""

from __future__ import annotations

from collections.abc import Callable

from starlette.types import ASGIApp, Receive, Scope, Send

# Reads never change state; the one GET that does (the demo page) says so itself.
_READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class ChangeMiddleware:
    def __init__(self, app: ASGIApp, changed: Callable[[], None]) -> None:
        self.app = app
        self._changed = changed

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in _READ_METHODS:
            await self.app(scope, receive, send)
            return
        try:
            await self.app(scope, receive, send)
        finally:
            self._changed()
