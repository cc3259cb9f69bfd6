"""One emulator's state and services, wired together."""

from __future__ import annotations

from stripe_emulator.config import EmulatorConfig
from stripe_emulator.events import EventLog
from stripe_emulator.faults import FaultInjector
from stripe_emulator.flows.disputes import DisputeFlow
from stripe_emulator.flows.payment_intents import PaymentIntentFlow
from stripe_emulator.flows.refunds import RefundFlow
from stripe_emulator.idempotency import IdempotencyStore
from stripe_emulator.scheduler import Scheduler
from stripe_emulator.store import JsonObject, Store
from stripe_emulator.webhooks import WebhookDispatcher


class Emulator:
    def __init__(self, config: EmulatorConfig) -> None:
        self.config = config
        self.store = Store()
        self.faults = FaultInjector()
        self.scheduler = Scheduler()
        self.idempotency = IdempotencyStore()
        self.webhooks = WebhookDispatcher(
            self.store, self.faults, config.webhooks, config.webhook_retry
        )
        self.events = EventLog(self.store, self.webhooks.publish)
        self.disputes = DisputeFlow(self.store, self.events)
        self.payment_intents = PaymentIntentFlow(
            self.store, self.events, self.scheduler, self.faults, self._open_dispute
        )
        self.refunds = RefundFlow(
            self.store, self.events, self.scheduler, config.refund_settle_seconds
        )

    def _open_dispute(self, charge: JsonObject) -> None:
        self.disputes.open(charge)

    async def start(self) -> None:
        await self.webhooks.start()

    async def stop(self) -> None:
        self.scheduler.cancel_all()
        await self.webhooks.stop()

    async def reset(self) -> None:
        """Forget every object, event, delivery, saved idempotent result and fault."""
        self.scheduler.cancel_all()
        await self.webhooks.reset()
        for collection in (self.store.payment_intents, self.store.payment_methods,
                           self.store.charges, self.store.refunds, self.store.events,
                           self.store.disputes, self.store.cards):  # fmt: skip
            collection.clear()
        self.idempotency.clear()
        self.faults.clear()
