"""The `refund` object."""

from __future__ import annotations

from stripe_emulator.clock import now
from stripe_emulator.ids import new_id
from stripe_emulator.objects.common import JsonObject


def build_refund(
    charge: JsonObject,
    *,
    amount: int,
    reason: str | None,
    metadata: dict[str, str],
    status: str,
) -> JsonObject:
    """Fields Stripe leaves out until they apply (`description`, `failure_reason`,
    `failure_balance_transaction`, `pending_reason`) are absent here too, not null."""
    pending = {"pending_reason": "processing"} if status == "pending" else {}
    return {
        "id": new_id("re"),
        "object": "refund",
        "amount": amount,
        "balance_transaction": None,
        "charge": charge["id"],
        "created": now(),
        "currency": charge["currency"],
        "customer": charge["customer"],
        "customer_account": None,
        "destination_details": {
            "card": {
                "reference_status": "pending",
                "reference_type": "acquirer_reference_number",
                "type": "refund",
            },
            "type": "card",
        },
        "metadata": metadata,
        "payment_intent": charge["payment_intent"],
        "payment_method": charge["payment_method"],
        **pending,
        "reason": reason,
        "receipt_number": None,
        "source_transfer_reversal": None,
        "status": status,
        "transfer_reversal": None,
    }
