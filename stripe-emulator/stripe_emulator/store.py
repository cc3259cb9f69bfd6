"""All emulated state, in memory, keyed by object id in creation order."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from stripe_emulator.cards import TestCard

JsonObject = dict[str, Any]

# Which collection an id belongs to, by its prefix (used by `expand`).
_COLLECTION_BY_PREFIX = {
    "pi": "payment_intents",
    "pm": "payment_methods",
    "ch": "charges",
    "re": "refunds",
    "evt": "events",
    "dp": "disputes",
    "txn": "balance_transactions",
    "po": "payouts",
}


@dataclass
class Store:
    payment_intents: dict[str, JsonObject] = field(default_factory=dict)
    payment_methods: dict[str, JsonObject] = field(default_factory=dict)
    charges: dict[str, JsonObject] = field(default_factory=dict)
    refunds: dict[str, JsonObject] = field(default_factory=dict)
    events: dict[str, JsonObject] = field(default_factory=dict)
    disputes: dict[str, JsonObject] = field(default_factory=dict)
    balance_transactions: dict[str, JsonObject] = field(default_factory=dict)
    payouts: dict[str, JsonObject] = field(default_factory=dict)
    # The automatic payout each paid-out balance transaction went out in (`txn_…` → `po_…`):
    # what `GET /v1/balance_transactions?payout=` lists, never part of an API object.
    transaction_payouts: dict[str, str] = field(default_factory=dict)
    # The test card behind each card PaymentMethod: never part of an API object.
    cards: dict[str, TestCard] = field(default_factory=dict)

    def lookup(self, object_id: str) -> JsonObject | None:
        collection = _COLLECTION_BY_PREFIX.get(object_id.split("_", 1)[0])
        if collection is None:
            return None
        objects: dict[str, JsonObject] = getattr(self, collection)
        return objects.get(object_id)
