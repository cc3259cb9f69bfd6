"""The account's balance: a balance transaction for every movement of money, and when funds
become available.

Everything settles in the account's default currency at the configured fixed rates. A
captured charge adds its amount less Stripe's fee, `pending` until `available_on` (00:00 UTC,
`available_days` after the charge) unless its card bypasses the pending balance; a refund, a
failed refund's reversal, a dispute's withdrawal and reinstatement, a payout and a failed
payout's return move the available balance at once. When funds become available,
`balance.available` goes out with the new balance.
"""

from __future__ import annotations

import copy
import time
from collections.abc import Callable
from decimal import Decimal

from stripe_emulator.clock import now
from stripe_emulator.config import EmulatorConfig
from stripe_emulator.events import EventLog
from stripe_emulator.fees import card_fee, to_settlement
from stripe_emulator.objects.balance import build_balance
from stripe_emulator.objects.balance_transaction import build_balance_transaction, fee_detail
from stripe_emulator.scheduler import Scheduler
from stripe_emulator.store import JsonObject, Store

# Scheduled action kind (saved with the state, so keep the name stable): the pending funds due
# by a day (the object id is that day's `available_on`) become available.
RELEASE = "balance.release"
_DAY = 24 * 3600


def start_of_day(timestamp: float) -> int:
    return int(timestamp) // _DAY * _DAY


class BalanceFlow:
    def __init__(
        self, store: Store, events: EventLog, scheduler: Scheduler, config: EmulatorConfig
    ) -> None:
        self._store = store
        self._events = events
        self._scheduler = scheduler
        self._config = config
        scheduler.register(RELEASE, self._release_by_day)

    @property
    def settlement_currency(self) -> str:
        return self._config.default_currency

    # -- what each movement of money records ---------------------------------------------------

    def record_charge(self, charge: JsonObject) -> JsonObject:
        """The captured amount, less Stripe's fee, into the pending balance."""
        settled, rate = self._settle(charge["amount_captured"], charge["currency"])
        card_country = charge["payment_method_details"]["card"]["country"]
        fee = card_fee(
            settled,
            self._config.fees,
            international=card_country != self._config.account_country,
            converted=rate is not None,
        )
        card = self._store.cards.get(charge["payment_method"])
        created = now()
        bypass = card is not None and card.bypass_pending
        available_on = created if bypass else self._available_on(created)
        transaction = self._add(
            amount=settled,
            type="charge",
            reporting_category="charge",
            source=charge["id"],
            description=charge["description"],
            fee_details=[fee_detail(fee, self.settlement_currency, "Stripe processing fees")],
            exchange_rate=rate,
            created=created,
            available_on=available_on,
        )
        charge["balance_transaction"] = transaction["id"]
        return transaction

    def record_refund(self, refund: JsonObject, charge: JsonObject) -> JsonObject:
        """The refunded amount leaves the balance; Stripe keeps the charge's fee."""
        settled, rate = self._settle(refund["amount"], refund["currency"])
        description = charge["description"]
        transaction = self._add(
            amount=-settled,
            type="refund",
            reporting_category="refund",
            source=refund["id"],
            description=f"REFUND FOR CHARGE ({description})"
            if description
            else "REFUND FOR CHARGE",
            exchange_rate=rate,
        )
        refund["balance_transaction"] = transaction["id"]
        return transaction

    def record_refund_failure(self, refund: JsonObject) -> JsonObject:
        """A refund that failed after it was made: its amount comes back."""
        settled, rate = self._settle(refund["amount"], refund["currency"])
        transaction = self._add(
            amount=settled,
            type="refund_failure",
            reporting_category="refund_failure",
            source=refund["id"],
            description=f"REFUND FAILURE FOR REFUND ({refund['id']})",
            exchange_rate=rate,
        )
        refund["failure_balance_transaction"] = transaction["id"]
        return transaction

    def record_dispute_withdrawal(self, dispute: JsonObject) -> JsonObject:
        """The disputed amount and the dispute fee leave the balance."""
        return self._record_dispute(dispute, 1, "dispute", "Chargeback withdrawal")

    def record_dispute_reinstatement(self, dispute: JsonObject) -> JsonObject:
        """A won dispute: the amount and the dispute fee come back."""
        return self._record_dispute(dispute, -1, "dispute_reversal", "Chargeback reversal")

    def _record_dispute(
        self, dispute: JsonObject, direction: int, category: str, what: str
    ) -> JsonObject:
        settled, rate = self._settle(dispute["amount"], dispute["currency"])
        fee = direction * self._config.fees.dispute_fee
        transaction = self._add(
            amount=-direction * settled,
            type="adjustment",
            reporting_category=category,
            source=dispute["id"],
            description=f"{what} for {dispute['charge']}",
            fee_details=[fee_detail(fee, self.settlement_currency, "Dispute fee")],
            exchange_rate=rate,
        )
        dispute["balance_transactions"].append(copy.deepcopy(transaction))
        return transaction

    def record_payout(self, payout_id: str, amount: int, currency: str) -> JsonObject:
        return self._add(
            amount=-amount,
            currency=currency,
            type="payout",
            reporting_category="payout",
            source=payout_id,
            description="STRIPE PAYOUT",
        )

    def record_payout_failure(self, payout: JsonObject) -> JsonObject:
        """A failed payout's funds return to the available balance."""
        return self._add(
            amount=payout["amount"],
            currency=payout["currency"],
            type="payout_failure",
            reporting_category="payout_reversal",
            source=payout["id"],
            description=f"Payout failure for {payout['id']}",
        )

    # -- availability --------------------------------------------------------------------------

    def _release_by_day(self, _day: str) -> None:
        self.release_due()

    def release_due(self) -> list[JsonObject]:
        """Pending funds whose `available_on` has come become available."""
        moment = time.time()
        return self._release(lambda t: t["available_on"] <= moment, keep_date=True)

    def make_available_now(self) -> list[JsonObject]:
        """Every pending transaction becomes available now (its `available_on` is now)."""
        return self._release(lambda t: True, keep_date=False)

    def announce(self, transactions: list[JsonObject]) -> None:
        """`balance.available` when these made funds available to pay out."""
        if any(t["status"] == "available" and t["net"] > 0 for t in transactions):
            self._events.emit("balance.available", self.balance())

    def balance(self) -> JsonObject:
        return build_balance(self._store.balance_transactions.values(), self.settlement_currency)

    def _release(self, due: Callable[[JsonObject], bool], *, keep_date: bool) -> list[JsonObject]:
        released = [
            transaction
            for transaction in self._store.balance_transactions.values()
            if transaction["status"] == "pending" and due(transaction)
        ]
        moment = now()
        for transaction in released:
            transaction["status"] = "available"
            if not keep_date:
                transaction["available_on"] = moment
        self.announce(released)
        return released

    # -- helpers -------------------------------------------------------------------------------

    def _settle(self, amount: int, currency: str) -> tuple[int, Decimal | None]:
        return to_settlement(
            amount, currency, self.settlement_currency, self._config.exchange_rates
        )

    def _available_on(self, created: int) -> int:
        return start_of_day(created) + self._config.available_days * _DAY

    def _add(
        self,
        *,
        amount: int,
        type: str,
        reporting_category: str,
        source: str,
        description: str | None,
        currency: str | None = None,
        fee_details: list[JsonObject] | None = None,
        exchange_rate: Decimal | None = None,
        created: int | None = None,
        available_on: int | None = None,
    ) -> JsonObject:
        """A transaction available at once, or pending until a later `available_on` (when a
        release is armed for that day)."""
        created = now() if created is None else created
        available_on = created if available_on is None else available_on
        pending = available_on > time.time()
        transaction = build_balance_transaction(
            amount=amount,
            currency=currency or self.settlement_currency,
            type=type,
            reporting_category=reporting_category,
            source=source,
            description=description,
            available_on=available_on,
            status="pending" if pending else "available",
            fee_details=fee_details,
            exchange_rate=exchange_rate,
            created=created,
        )
        self._store.balance_transactions[transaction["id"]] = transaction
        if pending and not self._scheduler.is_pending(RELEASE, str(available_on)):
            self._scheduler.call_at(available_on, RELEASE, str(available_on))
        return transaction
