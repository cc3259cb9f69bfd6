"""The background work of one process: the webhook workers, and the periodic jobs (refund
reconciler, payment repair, inbox sweep, events sync), started with the app and stopped with it.

Each job takes its services from the composition root when it runs, not when it starts, so a
test that swaps the app's database has the jobs write through the swapped one too.
"""

from datetime import timedelta
from typing import Protocol

from starlette.datastructures import State

from app.composition import services
from app.core.settings import Settings
from app.payments.repair import start_payment_repair
from app.refunds.reconciler import start_background_reconciler
from app.webhooks.inbox_writer import InboxWriter
from app.webhooks.sweep import InboxSweep
from app.webhooks.workers import QueuedEvent, WebhookWorkers


class Stoppable(Protocol):
    async def stop(self) -> None: ...


class BackgroundJobs:
    def __init__(self) -> None:
        self._started: list[Stoppable] = []

    def start(self, state: State) -> None:
        """The workers first: the webhooks stored once the app serves are handed to them."""
        settings: Settings = state.settings
        self._started.append(_start_webhook_workers(state))
        if settings.refund_reconcile_interval_seconds > 0:
            self._started.append(
                start_background_reconciler(
                    lambda: services(state).refund_reconciler,
                    settings.refund_reconcile_interval_seconds,
                    timedelta(seconds=settings.refund_stale_after_seconds),
                )
            )
        if settings.payment_repair_interval_seconds > 0:
            self._started.append(
                start_payment_repair(
                    services(state).payment_repair, settings.payment_repair_interval_seconds
                )
            )
        if settings.webhook_sweep_interval_seconds > 0:
            sweep = InboxSweep(
                lambda: services(state).webhooks,
                settings.webhook_sweep_interval_seconds,
                workers=state.webhook_workers,
            )
            sweep.start()
            self._started.append(sweep)
        if settings.events_sync_interval_seconds > 0 and state.stripe.configured:
            events_sync = services(state).events_sync
            events_sync.start()
            self._started.append(events_sync)

    async def stop(self) -> None:
        for job in self._started:
            await job.stop()
        self._started.clear()


def _start_webhook_workers(state: State) -> WebhookWorkers:
    """This process's workers, applying the events its webhooks stored after the answer, and
    the writer those webhooks store their events through."""
    settings: Settings = state.settings

    async def process(queued: QueuedEvent) -> None:
        await services(state).webhooks.process_queued(queued)

    workers = WebhookWorkers(process, settings.webhook_workers, settings.webhook_queue_size)
    workers.start()
    state.webhook_workers = workers
    state.webhook_inbox_writer = InboxWriter()
    return workers
