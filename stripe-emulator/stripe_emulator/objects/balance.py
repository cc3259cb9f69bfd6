"""The `balance` object of `GET /v1/balance`: available and pending funds per currency."""

from __future__ import annotations

from collections.abc import Iterable

from stripe_emulator.objects.common import JsonObject


def _funds(amount: int, currency: str) -> JsonObject:
    return {"amount": amount, "currency": currency, "source_types": {"card": amount}}


def build_balance(transactions: Iterable[JsonObject], settlement_currency: str) -> JsonObject:
    """The net of the available and of the pending transactions, per currency; the settlement
    currency is always listed (first), with 0 before any money moved."""
    available: dict[str, int] = {settlement_currency: 0}
    pending: dict[str, int] = {settlement_currency: 0}
    for transaction in transactions:
        currency = transaction["currency"]
        available.setdefault(currency, 0)
        pending.setdefault(currency, 0)
        funds = available if transaction["status"] == "available" else pending
        funds[currency] += transaction["net"]
    return {
        "object": "balance",
        "available": [_funds(amount, currency) for currency, amount in available.items()],
        "livemode": False,
        "pending": [_funds(amount, currency) for currency, amount in pending.items()],
    }
