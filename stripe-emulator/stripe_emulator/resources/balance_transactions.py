"""`/v1/balance_transactions`: retrieve, and list (by `payout`, `type`, `source`, `currency`)."""

from __future__ import annotations

from stripe_emulator.api import ApiRequest, Endpoint
from stripe_emulator.errors import resource_missing
from stripe_emulator.pagination import LIST_PARAMS, paginate
from stripe_emulator.params import Params, String
from stripe_emulator.resources.lookup import find_or_404
from stripe_emulator.store import JsonObject

RETRIEVE = Params()
_FILTERS = ("type", "source", "currency")
LIST = Params({**LIST_PARAMS, "payout": String(), **{name: String() for name in _FILTERS}})


def retrieve(request: ApiRequest) -> JsonObject:
    return find_or_404(
        request.emulator.store.balance_transactions,
        request.path_params["transaction"],
        "balance transaction",
    )


def list_transactions(request: ApiRequest) -> JsonObject:
    store = request.emulator.store
    filters = {name: request.params[name] for name in _FILTERS if name in request.params}
    payout = request.params.get("payout")
    if payout is not None and payout not in store.payouts:
        raise resource_missing("payout", payout, param="payout")
    transactions = [
        transaction
        for transaction in store.balance_transactions.values()
        if all(transaction[name] == value for name, value in filters.items())
        and (payout is None or store.transaction_payouts.get(transaction["id"]) == payout)
    ]
    return paginate(
        transactions,
        request.params,
        url="/v1/balance_transactions",
        object_name="balance_transaction",
    )


ENDPOINTS = [
    Endpoint("GET", "/v1/balance_transactions", list_transactions, LIST),
    Endpoint("GET", "/v1/balance_transactions/{transaction}", retrieve, RETRIEVE),
]
