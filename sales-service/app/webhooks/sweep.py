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
from app.webhooks.workers import WebhookWorkers

BATCH_LIMIT = 100
CLAIM_BATCH = 20  # due events read per query; each is then claimed on its own


class InboxSweep:
    def __init__(
        self,
        build_service: Callable[[], WebhookService],
        interval_seconds: float,
        batch_limit: int = BATCH_LIMIT,
        workers: WebhookWorkers | None = None,
    ) -> None:
        """With `workers`, due events go to their queues and are applied there, several at a
        time, as many per sweep as the queues have room for (a backlog drains as fast as the
        workers apply it, not `batch_limit` per interval); without, the sweep applies at most
        `batch_limit` itself, one after another."""
        self._build_service = build_service
        self._workers = workers
        self._interval = interval_seconds
        self._batch_limit = batch_limit
        self._task: PeriodicTask | None = None

    async def sweep_once(self) -> int:
        """Processes (or hands to the workers) due events; returns how many it took."""
        service = self._build_service()
        limit = self._batch_limit
        if self._workers is not None:
            limit = max(limit, self._workers.room())
        attempted = 0
        # A taken event's next attempt moves into the future, so this loop always ends.
        while attempted < limit:
            batch = min(CLAIM_BATCH, limit - attempted)
            if self._workers is not None:
                taken = await service.hand_due(self._workers, batch)
            else:
                taken = await service.process_due(batch)
            if not taken:
                break
            attempted += taken
        WEBHOOK_INBOX_BACKLOG.set(await service.pending_count())
        return attempted

    def start(self) -> None:
        self._task = PeriodicTask("webhook inbox sweep", self._interval, self.sweep_once)
        self._task.start()

    async def stop(self) -> None:
        if self._task is not None:
            await self._task.stop()
            self._task = None
