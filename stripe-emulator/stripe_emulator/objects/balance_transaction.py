"""The `balance_transaction` object: one movement of money in the account's balance."""

from __future__ import annotations

from decimal import Decimal

from stripe_emulator.clock import now
from stripe_emulator.ids import new_id
from stripe_emulator.objects.common import JsonObject


def fee_detail(amount: int, currency: str, description: str) -> JsonObject:
    return {
        "amount": amount,
        "application": None,
        "currency": currency,
        "description": description,
        "type": "stripe_fee",
    }


def build_balance_transaction(
    *,
    amount: int,
    currency: str,
    type: str,
    reporting_category: str,
    source: str,
    description: str | None,
    available_on: int,
    status: str,
    fee_details: list[JsonObject] | None = None,
    exchange_rate: Decimal | None = None,
    created: int | None = None,
) -> JsonObject:
    """`amount` and the fees are in minor units of the settlement `currency`; `net` is what
    reaches the balance (`amount - fee`)."""
    details = fee_details or []
    fee = sum(detail["amount"] for detail in details)
    return {
        "id": new_id("txn"),
        "object": "balance_transaction",
        "amount": amount,
        "available_on": available_on,
        "balance_type": "payments",
        "created": now() if created is None else created,
        "currency": currency,
        "description": description,
        "exchange_rate": None if exchange_rate is None else float(exchange_rate),
        "fee": fee,
        "fee_details": details,
        "net": amount - fee,
        "reporting_category": reporting_category,
        "source": source,
        "status": status,
        "type": type,
    }
