"""A background job run every few seconds for the app's lifetime, by every replica.

A failed round is logged and the next one runs as usual: a database outage must not end the
loop, and the jobs are written so that any replica may run any round.
"""

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable

from pymongo.errors import PyMongoError

logger = logging.getLogger(__name__)


class PeriodicTask:
    def __init__(
        self, name: str, interval_seconds: float, job: Callable[[], Awaitable[object]]
    ) -> None:
        self._name = name
        self._interval = interval_seconds
        self._job = job
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._task = asyncio.get_running_loop().create_task(self._run(), name=self._name)

    async def stop(self) -> None:
        if self._task is None:
            return
        self._task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self._task
        self._task = None

    async def _run(self) -> None:
        while True:
            # Waiting first leaves start-up alone.
            await asyncio.sleep(self._interval)
            try:
                await self._job()
            except PyMongoError as exc:
                logger.warning(
                    "background job skipped: database unavailable",
                    extra={"job": self._name, "error": repr(exc)},
                )
            except Exception:
                logger.exception("background job failed", extra={"job": self._name})
