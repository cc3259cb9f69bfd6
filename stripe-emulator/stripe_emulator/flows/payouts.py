"""Automatic payouts: the available balance of each settlement currency goes to the bank.

A payout carries every available balance transaction not yet paid out (the ones
`GET /v1/balance_transactions?payout=po_…` lists), and its own `payout` transaction that
takes their sum out of the balance, so a payout's transactions always sum to zero. It is made
`in_transit` (`payout.created`) and settles `payout_settle_seconds` later: `paid`
(`payout.updated`, `payout.paid`) or, to a failing test bank account or after
`fail_next`, `failed` with a `payout_failure` transaction that returns the money to the
available balance (`payout.updated`, `payout.failed`, `balance.available`); the next payout
carries it. Either way `payout.reconciliation_completed` follows. With the `daily` schedule a
run happens every day at 00:00 UTC.
"""

from __future__ import annotations

import copy
import time
from collections.abc import Callable

from stripe_emulator.config import EmulatorConfig
from stripe_emulator.events import EventLog, changed_fields
from stripe_emulator.flows.balance import BalanceFlow, start_of_day
from stripe_emulator.ids import new_id, random_token
from stripe_emulator.objects.payout import FAILING_TEST_ACCOUNTS, FAILURE_MESSAGES, build_payout
from stripe_emulator.scheduler import PendingAction, Scheduler
from stripe_emulator.store import JsonObject, Store

# Scheduled action kinds (saved with the state, so keep the names stable). A payout's outcome
# is chosen when it is made and kept in the kind of its settling action.
PAY = "payout.pay"
FAIL = "payout.fail."
DAILY = "payouts.daily"
_DAY = 24 * 3600


class PayoutFlow:
    def __init__(
        self,
        store: Store,
        events: EventLog,
        scheduler: Scheduler,
        balance: BalanceFlow,
        config: EmulatorConfig,
    ) -> None:
        self._store = store
        self._events = events
        self._scheduler = scheduler
        self._balance = balance
        self._config = config
        # Failure codes for the next payouts made, in order (`POST /_emulator/payouts/fail_next`).
        self.failing_next: list[str] = []
        scheduler.register(PAY, lambda payout_id: self._settle(payout_id, None))
        for code in FAILURE_MESSAGES:
            scheduler.register(FAIL + code, self._failer(code))
        scheduler.register(DAILY, lambda _account: self._daily())

    def run(self) -> list[JsonObject]:
        """A payout of the available balance of each currency that has a positive one."""
        unpaid: dict[str, list[JsonObject]] = {}
        for transaction in self._store.balance_transactions.values():
            if (
                transaction["status"] == "available"
                and transaction["id"] not in self._store.transaction_payouts
            ):
                unpaid.setdefault(transaction["currency"], []).append(transaction)
        return [
            self._pay_out(currency, transactions)
            for currency, transactions in sorted(unpaid.items())
            if sum(transaction["net"] for transaction in transactions) > 0
        ]

    def settle_now(self) -> list[JsonObject]:
        """Every payout in transit settles now instead of after its delay."""
        settling = [
            action.object_id for action in self._scheduler.pending() if _settles_a_payout(action)
        ]
        self._scheduler.run_now(_settles_a_payout)
        return [self._store.payouts[payout_id] for payout_id in settling]

    def fail_next(self, code: str, count: int) -> None:
        self.failing_next.extend([code] * count)

    def arm_daily(self) -> None:
        """With the daily schedule, the next run at 00:00 UTC (once)."""
        if self._config.payout_schedule != "daily" or self._scheduler.is_pending(DAILY):
            return
        self._scheduler.call_at(start_of_day(time.time()) + _DAY, DAILY, "account")

    def _daily(self) -> None:
        if self._config.payout_schedule != "daily":  # saved by a run with another schedule
            return
        self._balance.release_due()
        self.run()
        self.arm_daily()

    def _pay_out(self, currency: str, transactions: list[JsonObject]) -> JsonObject:
        amount = sum(transaction["net"] for transaction in transactions)
        payout_id = new_id("po")
        own = self._balance.record_payout(payout_id, amount, currency)
        payout = build_payout(
            payout_id,
            amount=amount,
            currency=currency,
            arrival_date=start_of_day(own["created"]) + self._config.payout_arrival_days * _DAY,
            balance_transaction=own["id"],
        )
        self._store.payouts[payout_id] = payout
        for transaction in [*transactions, own]:
            self._store.transaction_payouts[transaction["id"]] = payout_id
        self._events.emit("payout.created", payout)
        failure = (
            self.failing_next.pop(0)
            if self.failing_next
            else FAILING_TEST_ACCOUNTS.get(self._config.payout_bank_account)
        )
        kind = PAY if failure is None else FAIL + failure
        self._scheduler.call_later(self._config.payout_settle_seconds, kind, payout_id)
        return payout

    def _failer(self, code: str) -> Callable[[str], None]:
        return lambda payout_id: self._settle(payout_id, code)

    def _settle(self, payout_id: str, failure: str | None) -> None:
        payout = self._store.payouts[payout_id]
        if payout["status"] != "in_transit":
            return
        before = copy.deepcopy(payout)
        returned: list[JsonObject] = []
        if failure is None:
            payout.update(
                status="paid", trace_id={"status": "supported", "value": random_token(15)}
            )
        else:
            back = self._balance.record_payout_failure(payout)
            returned.append(back)
            payout.update(
                status="failed",
                failure_code=failure,
                failure_message=FAILURE_MESSAGES[failure],
                failure_balance_transaction=back["id"],
                trace_id={"status": "unsupported", "value": None},
            )
        self._events.emit("payout.updated", payout, changed_fields(before, payout))
        self._events.emit("payout.paid" if failure is None else "payout.failed", payout)
        self._balance.announce(returned)
        payout["reconciliation_status"] = "completed"
        self._events.emit("payout.reconciliation_completed", payout)


def _settles_a_payout(action: PendingAction) -> bool:
    return action.kind == PAY or action.kind.startswith(FAIL)
