"""Refunds: full or partial, several per charge, and the card-driven async outcomes."""

from __future__ import annotations

import copy
from typing import Any

from stripe_emulator.cards import RefundOutcome
from stripe_emulator.errors import invalid_request, resource_missing
from stripe_emulator.events import EventLog, changed_fields
from stripe_emulator.flows.balance import BalanceFlow
from stripe_emulator.money import format_amount
from stripe_emulator.objects.refund import build_refund
from stripe_emulator.scheduler import Scheduler
from stripe_emulator.store import JsonObject, Store

# Scheduled action kinds (saved with the state, so keep the names stable).
SUCCEED_REFUND = "refund.succeed"
FAIL_REFUND = "refund.fail"


class RefundFlow:
    def __init__(
        self,
        store: Store,
        events: EventLog,
        scheduler: Scheduler,
        balance: BalanceFlow,
        settle_seconds: float,
    ) -> None:
        self._store = store
        self._events = events
        self._scheduler = scheduler
        self._balance = balance
        self._settle_seconds = settle_seconds
        scheduler.register(SUCCEED_REFUND, self._succeed_by_id)
        scheduler.register(FAIL_REFUND, self._fail_by_id)

    def create(self, params: dict[str, Any]) -> JsonObject:
        charge = self._charge_to_refund(params)
        if charge["disputed"]:
            raise invalid_request(
                f"Charge {charge['id']} has been charged back; cannot issue a refund.",
                code="charge_disputed",
            )
        if charge["refunded"]:
            raise invalid_request(
                f"Charge {charge['id']} has already been refunded.", code="charge_already_refunded"
            )
        # Only what was captured can come back: a partial capture released the rest.
        remaining = charge["amount_captured"] - charge["amount_refunded"]
        amount = params.get("amount", remaining)
        if amount > remaining:
            limit = (
                "charge amount" if charge["amount_refunded"] == 0 else "unrefunded amount on charge"
            )
            currency = charge["currency"]
            raise invalid_request(
                f"Refund amount ({format_amount(amount, currency)}) is greater than {limit} "
                f"({format_amount(remaining, currency)})",
                param="amount",
            )
        outcome = self._outcome_for(charge)
        refund = build_refund(
            charge,
            amount=amount,
            reason=params.get("reason"),
            metadata=params.get("metadata", {}),
            status="pending" if outcome is RefundOutcome.PENDING else "succeeded",
        )
        self._store.refunds[refund["id"]] = refund
        # A pending refund has left the balance already, as at Stripe.
        self._balance.record_refund(refund, charge)
        before = copy.deepcopy(charge)
        charge["amount_refunded"] += amount
        charge["refunded"] = charge["amount_refunded"] >= charge["amount_captured"]
        self._events.emit("refund.created", refund)
        self._events.emit("charge.refunded", charge, changed_fields(before, charge))
        if outcome is RefundOutcome.PENDING:
            self._scheduler.call_later(self._settle_seconds, SUCCEED_REFUND, refund["id"])
        elif outcome is RefundOutcome.FAIL:
            self._scheduler.call_later(self._settle_seconds, FAIL_REFUND, refund["id"])
        return refund

    def update(self, refund: JsonObject, params: dict[str, Any]) -> JsonObject:
        if "metadata" in params:
            merged = {**refund["metadata"], **params["metadata"]} if params["metadata"] else {}
            refund["metadata"] = {key: value for key, value in merged.items() if value != ""}
        return refund

    def _charge_to_refund(self, params: dict[str, Any]) -> JsonObject:
        if "charge" in params:
            charge = self._store.charges.get(params["charge"])
            if charge is None:
                raise resource_missing("charge", params["charge"], param="charge")
            if "payment_intent" in params and charge["payment_intent"] != params["payment_intent"]:
                raise invalid_request(
                    f"Charge {charge['id']} does not belong to PaymentIntent "
                    f"{params['payment_intent']}.",
                    param="payment_intent",
                )
        elif "payment_intent" in params:
            intent = self._store.payment_intents.get(params["payment_intent"])
            if intent is None:
                raise resource_missing("payment_intent", params["payment_intent"],
                                       param="payment_intent")  # fmt: skip
            latest = intent["latest_charge"]
            charge = self._store.charges.get(latest) if latest else None
            if charge is None or charge["status"] != "succeeded":
                raise invalid_request(
                    "This PaymentIntent does not have a successful charge to refund.",
                    param="payment_intent",
                )
        else:
            raise invalid_request(
                "One of the following params should be provided for this request: "
                "payment_intent or charge.",
                code="parameter_missing",
            )
        if charge["status"] != "succeeded" or not charge["captured"]:
            raise invalid_request(
                f"Charge {charge['id']} has not been captured: cancel its PaymentIntent instead.",
                param="charge",
            )
        return charge

    def _outcome_for(self, charge: JsonObject) -> RefundOutcome:
        card = self._store.cards.get(charge["payment_method"])
        return card.refund if card is not None else RefundOutcome.SUCCEED

    def _succeed_by_id(self, refund_id: str) -> None:
        self._succeed(self._store.refunds[refund_id])

    def _fail_by_id(self, refund_id: str) -> None:
        refund = self._store.refunds[refund_id]
        self._fail(refund, self._store.charges[refund["charge"]])

    def _succeed(self, refund: JsonObject) -> None:
        before = copy.deepcopy(refund)
        refund["status"] = "succeeded"
        refund.pop("pending_reason", None)
        self._events.emit("refund.updated", refund, changed_fields(before, refund))

    def _fail(self, refund: JsonObject, charge: JsonObject) -> None:
        before = copy.deepcopy(refund)
        refund["status"] = "failed"
        refund["failure_reason"] = "expired_or_canceled_card"
        refund.pop("pending_reason", None)
        returned = self._balance.record_refund_failure(refund)
        charge["amount_refunded"] -= refund["amount"]
        charge["refunded"] = False
        previous = changed_fields(before, refund)
        self._events.emit("refund.updated", refund, previous)
        self._events.emit("refund.failed", refund, previous)
        self._balance.announce([returned])
