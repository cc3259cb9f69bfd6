"""Brings objects saved by an older emulator up to today's shapes, so that a restored state file
answers as a fresh emulator would (the file's format is unchanged: only the objects grew)."""

from __future__ import annotations

from stripe_emulator.objects.common import JsonObject

# A refund leaves these out until they apply; older emulators wrote them as null.
_REFUND_FIELDS_ONLY_WHEN_SET = (
    "description", "failure_balance_transaction", "failure_reason", "pending_reason",
)  # fmt: skip


def upgrade(obj: JsonObject) -> None:
    """In place; objects of today's shape are left as they are."""
    kind = obj.get("object")
    if kind == "event":
        upgrade(obj["data"]["object"])
    elif kind == "dispute":
        obj["evidence_details"].setdefault("submission_method", "not_submitted")
        card = obj["payment_method_details"]["card"]
        card.setdefault("network", card["brand"])
    elif kind == "refund":
        for key in _REFUND_FIELDS_ONLY_WHEN_SET:
            if key in obj and obj[key] is None:
                del obj[key]
        if obj["status"] == "pending":
            obj.setdefault("pending_reason", "processing")
