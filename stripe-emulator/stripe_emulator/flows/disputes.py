"""Disputes, opened and closed through the control API (or the dispute test card)."""

from __future__ import annotations

import copy

from stripe_emulator.errors import invalid_request
from stripe_emulator.events import EventLog, changed_fields
from stripe_emulator.flows.balance import BalanceFlow
from stripe_emulator.objects.dispute import build_dispute
from stripe_emulator.store import JsonObject, Store

REASONS = ("fraudulent", "product_not_received", "duplicate", "subscription_canceled",
           "product_unacceptable", "credit_not_processed", "general")  # fmt: skip
OUTCOMES = ("won", "lost")


class DisputeFlow:
    def __init__(self, store: Store, events: EventLog, balance: BalanceFlow) -> None:
        self._store = store
        self._events = events
        self._balance = balance

    def open(
        self, charge: JsonObject, reason: str = "fraudulent", amount: int | None = None
    ) -> JsonObject:
        if charge["status"] != "succeeded" or not charge["captured"]:
            raise invalid_request(f"Charge {charge['id']} has no captured payment to dispute.")
        if charge["disputed"]:
            raise invalid_request(f"Charge {charge['id']} is already disputed.")
        disputable = charge["amount_captured"]
        amount = disputable if amount is None else amount
        if not 0 < amount <= disputable:
            raise invalid_request(
                f"Dispute amount must be between 1 and {disputable}.", param="amount"
            )
        dispute = build_dispute(charge, amount=amount, reason=reason)
        self._store.disputes[dispute["id"]] = dispute
        charge["disputed"] = True
        self._balance.record_dispute_withdrawal(dispute)
        self._events.emit("charge.dispute.created", dispute)
        self._events.emit("charge.dispute.funds_withdrawn", dispute)
        return dispute

    def close(self, dispute: JsonObject, outcome: str) -> JsonObject:
        if dispute["status"] in OUTCOMES:
            raise invalid_request(
                f"Dispute {dispute['id']} is already closed ({dispute['status']})."
            )
        before = copy.deepcopy(dispute)
        dispute["status"] = outcome
        dispute["is_charge_refundable"] = False
        # A won dispute gives back the amount and the dispute fee.
        reinstated = (
            [self._balance.record_dispute_reinstatement(dispute)] if outcome == "won" else []
        )
        if reinstated:
            self._events.emit("charge.dispute.funds_reinstated", dispute)
        self._events.emit("charge.dispute.closed", dispute, changed_fields(before, dispute))
        self._balance.announce(reinstated)
        return dispute
