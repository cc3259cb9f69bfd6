"""Stripe's event envelope, recorded and handed to the webhook dispatcher."""

from __future__ import annotations

import copy
from collections.abc import Callable

from stripe_emulator.clock import now
from stripe_emulator.config import API_VERSION
from stripe_emulator.ids import new_id
from stripe_emulator.request_context import current_request
from stripe_emulator.store import JsonObject, Store

EVENT_TYPES = (
    "payment_intent.created",
    "payment_intent.processing",
    "payment_intent.requires_action",
    "payment_intent.succeeded",
    "payment_intent.payment_failed",
    "payment_intent.canceled",
    "payment_intent.amount_capturable_updated",
    "charge.succeeded",
    "charge.failed",
    "charge.captured",
    "charge.expired",
    "charge.refunded",
    "refund.created",
    "refund.updated",
    "refund.failed",
    "charge.dispute.created",
    "charge.dispute.funds_withdrawn",
    "charge.dispute.funds_reinstated",
    "charge.dispute.closed",
    "balance.available",
    "payout.created",
    "payout.updated",
    "payout.paid",
    "payout.failed",
    "payout.reconciliation_completed",
)


def changed_fields(before: JsonObject, after: JsonObject) -> JsonObject:
    """`previous_attributes`: the old values of the top-level fields that changed; a field
    that was absent before (a refund's `failure_reason`) was null."""
    keys = [*before, *(key for key in after if key not in before)]
    return {key: before.get(key) for key in keys if before.get(key) != after.get(key)}


class EventLog:
    def __init__(self, store: Store, publish: Callable[[JsonObject], int]) -> None:
        self._store = store
        self._publish = publish

    def emit(
        self,
        event_type: str,
        obj: JsonObject,
        previous_attributes: JsonObject | None = None,
    ) -> JsonObject:
        if event_type not in EVENT_TYPES:
            raise ValueError(f"unknown event type {event_type}")
        request = current_request.get()
        data: JsonObject = {"object": copy.deepcopy(obj)}
        if previous_attributes is not None:
            data["previous_attributes"] = copy.deepcopy(previous_attributes)
        event: JsonObject = {
            "id": new_id("evt"),
            "object": "event",
            "api_version": API_VERSION,
            "created": now(),
            "data": data,
            "livemode": False,
            "pending_webhooks": 0,
            "request": {
                "id": request.request_id if request else None,
                "idempotency_key": request.idempotency_key if request else None,
            },
            "type": event_type,
        }
        self._store.events[event["id"]] = event
        event["pending_webhooks"] = self._publish(event)
        return event
