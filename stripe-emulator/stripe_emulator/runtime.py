"""One emulator's state and services, wired together."""

from __future__ import annotations

import logging
import time

from stripe_emulator import state_file
from stripe_emulator.config import EmulatorConfig
from stripe_emulator.events import EventLog
from stripe_emulator.faults import FaultInjector
from stripe_emulator.flows.authorizations import AuthorizationFlow
from stripe_emulator.flows.balance import BalanceFlow
from stripe_emulator.flows.disputes import DisputeFlow
from stripe_emulator.flows.payment_intents import PaymentIntentFlow
from stripe_emulator.flows.payouts import PayoutFlow
from stripe_emulator.flows.refunds import RefundFlow
from stripe_emulator.idempotency import IdempotencyStore
from stripe_emulator.persistence import StateSaver
from stripe_emulator.scheduler import Scheduler
from stripe_emulator.state_file import SavedState
from stripe_emulator.store import JsonObject, Store
from stripe_emulator.webhooks import WebhookDispatcher

logger = logging.getLogger(__name__)


class Emulator:
    def __init__(self, config: EmulatorConfig) -> None:
        """Raises `state_file.StateFileError` when the configured state file is unusable."""
        self.config = config
        saved = _load(config)
        self.store = saved.store if saved else Store()
        self.saver = (
            StateSaver(config.state_file, config.state_save_seconds, self._encode_state)
            if config.state_file
            else None
        )
        self.faults = FaultInjector()
        self.scheduler = Scheduler(self.changed)
        self.idempotency = IdempotencyStore()
        for api_key, key, result in saved.idempotency if saved else []:
            self.idempotency.save(api_key, key, result)
        self._restored_actions = saved.scheduled if saved else []
        self.webhooks = WebhookDispatcher(
            self.store, self.faults, config.webhooks, config.webhook_retry, self.changed
        )
        self.events = EventLog(self.store, self.webhooks.publish)
        self.balance = BalanceFlow(self.store, self.events, self.scheduler, config)
        self.payouts = PayoutFlow(self.store, self.events, self.scheduler, self.balance, config)
        self.disputes = DisputeFlow(self.store, self.events, self.balance)
        self.authorizations = AuthorizationFlow(self.store, self.events, self.scheduler)
        self.payment_intents = PaymentIntentFlow(
            self.store,
            self.events,
            self.scheduler,
            self.faults,
            self.authorizations,
            self.balance,
            self._open_dispute,
        )
        self.refunds = RefundFlow(
            self.store, self.events, self.scheduler, self.balance, config.refund_settle_seconds
        )

    def _open_dispute(self, charge: JsonObject) -> None:
        self.disputes.open(charge)

    def changed(self) -> None:
        """Something in the state moved: the state file is saved soon after."""
        if self.saver is not None:
            self.saver.changed()

    def _encode_state(self) -> bytes:
        state = SavedState(self.store, self.idempotency.items(), self.scheduler.pending())
        return state_file.encode(state, time.time())

    async def start(self) -> None:
        await self.webhooks.start()
        if self.saver is None:
            self.payouts.arm_daily()
            return
        self.scheduler.restore(self._restored_actions)
        self.payouts.arm_daily()  # unless a restored one is pending already
        resent = self.webhooks.redeliver_pending()
        if self._restored_actions or resent:
            logger.info("resumed %d timed changes; resending %d undelivered events",
                        len(self._restored_actions), resent)  # fmt: skip
        self._restored_actions = []
        await self.saver.start()
        self.changed()

    async def stop(self) -> None:
        self.scheduler.stop()
        await self.webhooks.stop()
        if self.saver is not None:
            await self.saver.stop()

    async def reset(self) -> None:
        """Forget every object, event, delivery, saved idempotent result and fault (and the
        payout failures armed)."""
        self.scheduler.cancel_all()
        await self.webhooks.reset()
        for collection in (self.store.payment_intents, self.store.payment_methods,
                           self.store.charges, self.store.refunds, self.store.events,
                           self.store.disputes, self.store.balance_transactions,
                           self.store.payouts, self.store.transaction_payouts,
                           self.store.cards):  # fmt: skip
            collection.clear()
        self.idempotency.clear()
        self.faults.clear()
        self.payouts.failing_next.clear()
        self.payouts.arm_daily()
        self.changed()


def _load(config: EmulatorConfig) -> SavedState | None:
    if config.state_file is None:
        return None
    saved = state_file.read(config.state_file)
    if saved is None:
        logger.info("no state file at %s yet: starting empty, saving there", config.state_file)
        return None
    counts = ", ".join(
        f"{len(getattr(saved.store, name))} {name.replace('_', ' ')}"
        for name in state_file.COLLECTIONS
    )
    logger.info("restored state from %s: %s", config.state_file, counts)
    return saved
