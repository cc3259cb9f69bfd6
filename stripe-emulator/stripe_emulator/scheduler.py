"""Delayed state changes (settling refunds, async processing), cancelled together on reset."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable

logger = logging.getLogger(__name__)


class Scheduler:
    def __init__(self) -> None:
        self._tasks: set[asyncio.Task[None]] = set()

    def call_later(self, delay_seconds: float, action: Callable[[], None]) -> None:
        task = asyncio.get_running_loop().create_task(self._run(delay_seconds, action))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    @staticmethod
    async def _run(delay_seconds: float, action: Callable[[], None]) -> None:
        await asyncio.sleep(delay_seconds)
        try:
            action()
        except Exception:
            logger.exception("scheduled emulator action failed")

    def cancel_all(self) -> None:
        for task in list(self._tasks):
            task.cancel()
        self._tasks.clear()
