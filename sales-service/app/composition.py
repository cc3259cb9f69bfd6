"""The composition root: every service wired once, from the outside world it is given.

Routers, the webhook workers and the background jobs all take their services from here, so who
uses whom is written in this one file. Each piece is built on first use and then shared: one
`OrderTotals`, one `IntentSync`, one `RefundSync` for the whole app.

`services(state)` keeps the root on the app's state. It is built again when the state's
database, Stripe gateway or cache is not the one it was built from: the crash-point tests swap
the database for one that fails its Nth write, and everything must then write through it.
"""

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from functools import cached_property

from pymongo.asynchronous.database import AsyncDatabase
from starlette.datastructures import State

from app.attention.repository import AttentionRepository
from app.attention.service import AttentionService
from app.audit.repository import AuditRepository
from app.audit.service import AuditLog
from app.core.idempotency import IdempotencyStore
from app.core.settings import Settings
from app.infra.cache import Cache
from app.infra.mailer import Mailer
from app.infra.mongo import Document
from app.infra.stripe_errors import StripeFailure
from app.infra.stripe_gateway import StripeGateway
from app.orders.repository import OrderRepository
from app.orders.service import OrderService
from app.payment_links.checkout import PaymentLinkCheckout
from app.payment_links.link_audit import LinkAudit
from app.payment_links.repository import PaymentLinkRepository
from app.payment_links.service import PaymentLinkService
from app.payments.capture import PaymentCapture
from app.payments.disputes import DisputeSync
from app.payments.export import PaymentExport
from app.payments.intent_creation import IntentCreation
from app.payments.intent_sync import IntentSync
from app.payments.order_totals import OrderTotals
from app.payments.repair import PaymentRepair
from app.payments.repository import PaymentRepository
from app.payments.service import PaymentService
from app.refund_records.repository import RefundRepository
from app.refunds.ledger import RefundLedger
from app.refunds.reconciler import RefundReconciler
from app.refunds.reservations import ReservationRepository
from app.refunds.service import RefundService
from app.refunds.sync import RefundSync
from app.reports.repository import ReportsRepository
from app.reports.service import ReportsService
from app.stripe_config.service import StripeConfigService
from app.webhooks.events_sync import EventsSync, SyncPolicy
from app.webhooks.inbox_writer import InboxWriter
from app.webhooks.intake import SigningPolicy, WebhookIntake
from app.webhooks.processor import EventProcessor
from app.webhooks.repository import WebhookInboxRepository
from app.webhooks.service import InboxPolicy, WebhookService
from app.webhooks.sync_lease import SyncLeaseRepository
from app.webhooks.workers import WebhookWorkers

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(UTC)


class Services:
    """Every service of one app, over one database, one Stripe gateway and one cache."""

    def __init__(
        self,
        database: AsyncDatabase[Document],
        stripe: StripeGateway,
        cache: Cache,
        settings: Settings,
        *,
        webhook_workers: WebhookWorkers | None = None,
        inbox_writer: InboxWriter | None = None,
        clock: Clock = utc_now,
    ) -> None:
        self.database = database
        self.stripe = stripe
        self.cache = cache
        self.settings = settings
        self._webhook_workers = webhook_workers
        self._inbox_writer = inbox_writer
        self._clock = clock

    def built_from(self, state: State) -> bool:
        return (
            self.database is state.database
            and self.stripe is state.stripe
            and self.cache is state.cache
        )

    # Records and their queries.

    @cached_property
    def order_repository(self) -> OrderRepository:
        return OrderRepository(self.database)

    @cached_property
    def payment_repository(self) -> PaymentRepository:
        return PaymentRepository(self.database)

    @cached_property
    def refund_repository(self) -> RefundRepository:
        return RefundRepository(self.database)

    @cached_property
    def link_repository(self) -> PaymentLinkRepository:
        return PaymentLinkRepository(self.database)

    @cached_property
    def idempotency(self) -> IdempotencyStore:
        return IdempotencyStore(self.database)

    @cached_property
    def audit(self) -> AuditLog:
        return AuditLog(AuditRepository(self.database))

    # Orders, payments and their totals.

    @cached_property
    def orders(self) -> OrderService:
        return OrderService(self.order_repository, self.idempotency)

    @cached_property
    def order_totals(self) -> OrderTotals:
        return OrderTotals(self.payment_repository, self.order_repository, self.audit)

    @cached_property
    def intent_sync(self) -> IntentSync:
        return IntentSync(
            self.payment_repository,
            self.order_totals,
            self.audit,
            self.stripe,
            timedelta(seconds=self.settings.payment_check_delay_seconds),
        )

    @cached_property
    def intent_creation(self) -> IntentCreation:
        return IntentCreation(
            self.payment_repository,
            self.order_repository,
            self.intent_sync,
            self.idempotency,
            self.audit,
            self.stripe,
            timedelta(seconds=self.settings.intentless_grace_seconds),
        )

    @cached_property
    def capture(self) -> PaymentCapture:
        return PaymentCapture(
            self.payment_repository, self.intent_sync, self.idempotency, self.audit, self.stripe
        )

    @cached_property
    def payments(self) -> PaymentService:
        return PaymentService(
            self.payment_repository,
            self.refund_repository,
            self.intent_creation,
            self.intent_sync,
            self.capture,
            DisputeSync(self.payment_repository, self.order_totals, self.audit),
            self.stripe,
            self.settings.stripe_publishable_key,
        )

    @cached_property
    def payment_export(self) -> PaymentExport:
        return PaymentExport(self.payment_repository)

    @cached_property
    def payment_repair(self) -> PaymentRepair:
        return PaymentRepair(
            self.payment_repository,
            self.order_repository,
            self.intent_creation,
            self.intent_sync,
            self.order_totals,
            self.capture,
            self.stripe,
            self._clock,
            timedelta(hours=self.settings.abandoned_intent_after_hours),
        )

    # Refunds.

    @cached_property
    def refund_ledger(self) -> RefundLedger:
        return RefundLedger(self.payment_repository)

    @cached_property
    def refund_sync(self) -> RefundSync:
        return RefundSync(
            self.refund_repository,
            self.payment_repository,
            self.refund_ledger,
            self.order_totals,
            self.audit,
            self.stripe,
            self.intent_sync,
        )

    @cached_property
    def refunds(self) -> RefundService:
        return RefundService(
            self.refund_repository,
            self.payment_repository,
            self.refund_ledger,
            self.refund_sync,
            self.idempotency,
            self.audit,
            self.stripe,
        )

    @cached_property
    def refund_reconciler(self) -> RefundReconciler:
        return RefundReconciler(
            self.refund_repository,
            self.payment_repository,
            ReservationRepository(self.database),
            self.refund_ledger,
            self.refund_sync,
            self.order_totals,
            self.stripe,
            self._clock,
        )

    # Webhooks and the events sync.

    @cached_property
    def attention(self) -> AttentionService:
        return AttentionService(AttentionRepository(self.database))

    @cached_property
    def webhooks(self) -> WebhookService:
        return WebhookService(
            WebhookInboxRepository(self.database),
            EventProcessor(self.payments, self.refunds, identity=self.stripe),
            self.audit,
            inbox_policy(self.settings),
            attention=self.attention,
        )

    @cached_property
    def webhook_intake(self) -> WebhookIntake:
        if self._webhook_workers is None or self._inbox_writer is None:
            raise RuntimeError("webhook intake needs the app's workers: start them first")
        return WebhookIntake(
            WebhookInboxRepository(self.database),
            self._inbox_writer,
            self._webhook_workers,
            signing_policy(self.settings),
            inbox_policy(self.settings),
        )

    @cached_property
    def events_sync(self) -> EventsSync:
        return EventsSync(
            SyncLeaseRepository(self.database),
            self.stripe,
            lambda: self.webhooks,
            events_sync_policy(self.settings),
        )

    # Reports, configuration and payment links.

    @cached_property
    def reports(self) -> ReportsService:
        return ReportsService(ReportsRepository(self.database))

    @cached_property
    def stripe_config(self) -> StripeConfigService:
        return StripeConfigService(self.settings, self.cache, self.stripe)

    @cached_property
    def payment_links(self) -> PaymentLinkService:
        stripe_config = self.stripe_config

        async def merchant_name() -> str | None:
            """Best effort: a mail without the merchant's name beats no mail."""
            try:
                return (await stripe_config.get()).account.display_name
            except StripeFailure:
                return None

        return PaymentLinkService(
            self.link_repository,
            self.order_repository,
            self.payment_repository,
            self.payments,
            self.idempotency,
            LinkAudit(self.audit),
            public_base_url=self.settings.public_base_url,
            mailer=mailer(self.settings),
            merchant_name=merchant_name,
        )

    @cached_property
    def link_checkout(self) -> PaymentLinkCheckout:
        return PaymentLinkCheckout(
            self.link_repository,
            self.order_repository,
            self.payment_repository,
            self.intent_creation,
            self.payments,
        )


def services(state: State) -> Services:
    """The app's composition root, built on first use and again when the state's outside world
    was swapped."""
    root: Services | None = getattr(state, "services", None)
    if root is None or not root.built_from(state):
        root = wire(state)
        state.services = root
    return root


def wire(state: State, clock: Clock = utc_now) -> Services:
    """A new root over the state's outside world; `services(state)` is the shared one."""
    return Services(
        state.database,
        state.stripe,
        state.cache,
        state.settings,
        webhook_workers=getattr(state, "webhook_workers", None),
        inbox_writer=getattr(state, "webhook_inbox_writer", None),
        clock=clock,
    )


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


def events_sync_policy(settings: Settings) -> SyncPolicy:
    return SyncPolicy(
        interval=timedelta(seconds=settings.events_sync_interval_seconds),
        overlap=timedelta(seconds=settings.events_sync_overlap_seconds),
        lease=timedelta(seconds=settings.events_sync_lease_seconds),
    )


def mailer(settings: Settings) -> Mailer | None:
    if settings.smtp_url is None:
        return None
    return Mailer(settings.smtp_url.get_secret_value(), settings.smtp_from)
