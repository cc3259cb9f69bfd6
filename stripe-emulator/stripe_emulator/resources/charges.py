"""`/v1/charges`: retrieve, list (by `payment_intent` or `customer`), search, a charge's refunds."""

from __future__ import annotations

from stripe_emulator.api import ApiRequest, Endpoint
from stripe_emulator.auth import require_secret
from stripe_emulator.pagination import LIST_PARAMS, paginate
from stripe_emulator.params import Params, String
from stripe_emulator.resources.lookup import find_or_404
from stripe_emulator.search import CHARGES, search
from stripe_emulator.search import PARAMS as SEARCH
from stripe_emulator.store import JsonObject

RETRIEVE = Params()
LIST = Params({**LIST_PARAMS, "payment_intent": String(), "customer": String()})
LIST_REFUNDS = Params(dict(LIST_PARAMS))


def retrieve(request: ApiRequest) -> JsonObject:
    return find_or_404(request.emulator.store.charges, request.path_params["charge"], "charge")


def list_charges(request: ApiRequest) -> JsonObject:
    filters = {key: request.params[key] for key in ("payment_intent", "customer")
               if key in request.params}  # fmt: skip
    charges = [
        charge
        for charge in request.emulator.store.charges.values()
        if all(charge[key] == value for key, value in filters.items())
    ]
    return paginate(charges, request.params, url="/v1/charges", object_name="charge")


def list_refunds(request: ApiRequest) -> JsonObject:
    """Where an expanded charge's `refunds` list pages on (its `url`)."""
    charge = retrieve(request)
    refunds = [r for r in request.emulator.store.refunds.values() if r["charge"] == charge["id"]]
    url = f"/v1/charges/{charge['id']}/refunds"
    return paginate(refunds, request.params, url=url, object_name="refund")


def search_charges(request: ApiRequest) -> JsonObject:
    require_secret(request.key_kind)
    return search(
        CHARGES,
        request.emulator.store.charges.values(),
        request.params,
        lag_seconds=request.emulator.faults.settings.search_lag_ms / 1000,
    )


ENDPOINTS = [
    Endpoint("GET", "/v1/charges", list_charges, LIST),
    Endpoint("GET", "/v1/charges/search", search_charges, SEARCH),  # before `{charge}`
    Endpoint("GET", "/v1/charges/{charge}", retrieve, RETRIEVE),
    Endpoint("GET", "/v1/charges/{charge}/refunds", list_refunds, LIST_REFUNDS),
]
