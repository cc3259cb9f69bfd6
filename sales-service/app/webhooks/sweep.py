"""The inbox sweep: a background task processing every due event nobody holds: failed ones due
for a retry, ones stored while the workers' queue was full, and ones whose process died before
processing them (their hold or lease ran out).

Every process runs one. They share the inbox safely because each event is claimed with a lease
(see the repository), so two sweeps never process the same event at the same time.
"""

from collections.abc import Callable

from app.core.metrics import WEBHOOK_INBOX_BACKLOG
from app.core.periodic import PeriodicTask
from app.webhooks.service import WebhookService

BATCH_LIMIT = 100
CLAIM_BATCH = 20  # due events read per query; each is then claimed on its own


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
        self._task: PeriodicTask | None = None

    async def sweep_once(self) -> int:
        """Processes due events (at most `batch_limit`); returns how many were attempted."""
        service = self._build_service()
        attempted = 0
        # A failed event moves its next attempt into the future, so this loop always ends.
        while attempted < self._batch_limit:
            claimed = await service.process_due(min(CLAIM_BATCH, self._batch_limit - attempted))
            if not claimed:
                break
            attempted += claimed
        WEBHOOK_INBOX_BACKLOG.set(await service.pending_count())
        return attempted

    def start(self) -> None:
        self._task = PeriodicTask("webhook inbox sweep", self._interval, self.sweep_once)
        self._task.start()

    async def stop(self) -> None:
        if self._task is not None:
            await self._task.stop()
            self._task = None
