"""The inbox sweep: a background task retrying events whose processing failed.

Every replica runs one. They share the inbox safely because each event is claimed with a lease
(see the repository), so two sweeps never process the same event at the same time.
"""

import asyncio
import contextlib
import logging
from collections.abc import Callable

from pymongo.errors import PyMongoError

from app.core.metrics import WEBHOOK_INBOX_BACKLOG
from app.webhooks.service import WebhookService

logger = logging.getLogger(__name__)
BATCH_LIMIT = 100


class InboxSweep:
    def __init__(
        self,
        build_service: Callable[[], WebhookService],
        interval_seconds: float,
        batch_limit: int = BATCH_LIMIT,
    ) -> None:
        self._build_service = build_service
        self._interval = interval_seconds
        self._batch_limit = batch_limit
        self._task: asyncio.Task[None] | None = None

    async def sweep_once(self) -> int:
        """Processes due events (at most `batch_limit`); returns how many were attempted."""
        service = self._build_service()
        attempted = 0
        # A failed event moves its next attempt into the future, so this loop always ends.
        while attempted < self._batch_limit and await service.process_next_due():
            attempted += 1
        WEBHOOK_INBOX_BACKLOG.set(await service.pending_count())
        return attempted

    async def run(self) -> None:
        while True:
            # Waiting first leaves start-up alone; events stored before it are still leased.
            await asyncio.sleep(self._interval)
            try:
                await self.sweep_once()
            except PyMongoError as exc:
                logger.warning("webhook sweep: database unavailable", extra={"error": repr(exc)})
            except Exception:
                logger.exception("webhook sweep failed")

    def start(self) -> None:
        self._task = asyncio.get_running_loop().create_task(self.run(), name="webhook-inbox-sweep")

    async def stop(self) -> None:
        if self._task is None:
            return
        self._task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self._task
        self._task = None
