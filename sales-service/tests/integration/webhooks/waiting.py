"""Waiting for what happens in the background (deliveries, the sweep)."""

import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import TypeVar

T = TypeVar("T")
POLL_SECONDS = 0.05


async def eventually(check: Callable[[], Awaitable[T | None]], within: float = 10.0) -> T:
    """Polls `check` until it returns something truthy, and returns that."""
    deadline = time.monotonic() + within
    while True:
        result = await check()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"not reached within {within} s (last: {result!r})")
        await asyncio.sleep(POLL_SECONDS)
