"""Builds the webhook pieces from the application state: the intake (kept), the service (per
event, for the workers and the sweep), the workers, the sweep and the events sync."""

from datetime import timedelta

from starlette.datastructures import State

from app.attention.repository import AttentionRepository
from app.attention.service import AttentionService
from app.audit.repository import AuditRepository
from app.audit.service import AuditLog
from app.core.settings import Settings
from app.payments.dependencies import build_payment_service
from app.refunds.dependencies import build_refund_service
from app.webhooks.events_sync import EventsSync, SyncPolicy
from app.webhooks.inbox_writer import InboxWriter
from app.webhooks.intake import SigningPolicy, WebhookIntake
from app.webhooks.processor import EventProcessor
from app.webhooks.repository import WebhookInboxRepository
from app.webhooks.service import InboxPolicy, WebhookService
from app.webhooks.sweep import InboxSweep
from app.webhooks.sync_lease import SyncLeaseRepository
from app.webhooks.workers import QueuedEvent, WebhookWorkers


def signing_policy(settings: Settings) -> SigningPolicy:
    return SigningPolicy(
        secrets=settings.stripe_webhook_secrets,
        tolerance_seconds=settings.stripe_webhook_tolerance_seconds,
    )


def inbox_policy(settings: Settings) -> InboxPolicy:
    return InboxPolicy(
        lease=timedelta(seconds=settings.webhook_lease_seconds),
        queue_hold=timedelta(seconds=settings.webhook_queue_hold_seconds),
        retry_base=timedelta(seconds=settings.webhook_retry_base_seconds),
        retry_max=timedelta(seconds=settings.webhook_retry_max_seconds),
    )


def build_event_processor(state: State) -> EventProcessor:
    return EventProcessor(
        build_payment_service(state), build_refund_service(state), identity=state.stripe
    )


def build_webhook_service(state: State) -> WebhookService:
    settings: Settings = state.settings
    return WebhookService(
        WebhookInboxRepository(state.database),
        build_event_processor(state),
        AuditLog(AuditRepository(state.database)),
        inbox_policy(settings),
        attention=AttentionService(AttentionRepository(state.database)),
    )


def start_inbox_sweep(state: State) -> InboxSweep | None:
    """Starts the background sweep, unless WEBHOOK_SWEEP_INTERVAL_SECONDS is 0."""
    settings: Settings = state.settings
    if settings.webhook_sweep_interval_seconds <= 0:
        return None
    sweep = InboxSweep(
        lambda: build_webhook_service(state),
        settings.webhook_sweep_interval_seconds,
        workers=state.webhook_workers,
    )
    sweep.start()
    return sweep


def start_webhook_workers(state: State) -> WebhookWorkers:
    """This process's workers, applying the events its webhooks stored after the answer, and
    the writer those webhooks store their events through."""
    settings: Settings = state.settings

    async def process(queued: QueuedEvent) -> None:
        # Built per event from the state, as for a request: tests swap the state's database.
        await build_webhook_service(state).process_queued(queued)

    workers = WebhookWorkers(process, settings.webhook_workers, settings.webhook_queue_size)
    workers.start()
    state.webhook_workers = workers
    state.webhook_inbox_writer = InboxWriter()
    return workers


def webhook_intake(state: State) -> WebhookIntake:
    """One per database handle, kept on the state: it is on every webhook's path, and tests
    swap the state's database for a faulty one."""
    cached: tuple[object, WebhookIntake] | None = getattr(state, "webhook_intake", None)
    if cached is not None and cached[0] is state.database:
        return cached[1]
    settings: Settings = state.settings
    intake = WebhookIntake(
        WebhookInboxRepository(state.database),
        state.webhook_inbox_writer,
        state.webhook_workers,
        signing_policy(settings),
        inbox_policy(settings),
    )
    state.webhook_intake = (state.database, intake)
    return intake


def events_sync_policy(settings: Settings) -> SyncPolicy:
    return SyncPolicy(
        interval=timedelta(seconds=settings.events_sync_interval_seconds),
        overlap=timedelta(seconds=settings.events_sync_overlap_seconds),
        lease=timedelta(seconds=settings.events_sync_lease_seconds),
    )


def build_events_sync(state: State) -> EventsSync:
    return EventsSync(
        SyncLeaseRepository(state.database),
        state.stripe,
        lambda: build_webhook_service(state),
        events_sync_policy(state.settings),
    )


def start_events_sync(state: State) -> EventsSync | None:
    """Catches up at once, then every EVENTS_SYNC_INTERVAL_SECONDS (0 turns it off)."""
    settings: Settings = state.settings
    if settings.events_sync_interval_seconds <= 0 or not state.stripe.configured:
        return None
    events_sync = build_events_sync(state)
    events_sync.start()
    return events_sync
