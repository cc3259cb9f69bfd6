"""`/v1/disputes`: retrieve and list (disputes are opened through the control API)."""

from __future__ import annotations

from stripe_emulator.api import ApiRequest, Endpoint
from stripe_emulator.pagination import LIST_PARAMS, paginate
from stripe_emulator.params import Params, String
from stripe_emulator.resources.lookup import find_or_404
from stripe_emulator.store import JsonObject

RETRIEVE = Params()
LIST = Params({**LIST_PARAMS, "charge": String(), "payment_intent": String()})


def retrieve(request: ApiRequest) -> JsonObject:
    return find_or_404(request.emulator.store.disputes, request.path_params["dispute"], "dispute")


def list_disputes(request: ApiRequest) -> JsonObject:
    filters = {key: request.params[key] for key in ("charge", "payment_intent")
               if key in request.params}  # fmt: skip
    disputes = [
        dispute
        for dispute in request.emulator.store.disputes.values()
        if all(dispute[key] == value for key, value in filters.items())
    ]
    return paginate(disputes, request.params, url="/v1/disputes", object_name="dispute")


ENDPOINTS = [
    Endpoint("GET", "/v1/disputes", list_disputes, LIST),
    Endpoint("GET", "/v1/disputes/{dispute}", retrieve, RETRIEVE),
]
