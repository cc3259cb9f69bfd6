"""`/v1/refunds`: create (by `payment_intent` or `charge`), retrieve, update, list."""

from __future__ import annotations

from stripe_emulator.api import ApiRequest, Endpoint
from stripe_emulator.pagination import LIST_PARAMS, paginate
from stripe_emulator.params import Enum, Integer, Metadata, Params, String
from stripe_emulator.resources.lookup import find_or_404
from stripe_emulator.store import JsonObject

CREATE = Params(
    {
        "payment_intent": String(),
        "charge": String(),
        "amount": Integer(minimum=1),
        "reason": Enum(("duplicate", "fraudulent", "requested_by_customer")),
        "metadata": Metadata(),
    }
)
UPDATE = Params({"metadata": Metadata()})
RETRIEVE = Params()
LIST = Params({**LIST_PARAMS, "payment_intent": String(), "charge": String()})


def _refund(request: ApiRequest) -> JsonObject:
    return find_or_404(request.emulator.store.refunds, request.path_params["refund"], "refund")


def create(request: ApiRequest) -> JsonObject:
    return request.emulator.refunds.create(request.params)


def retrieve(request: ApiRequest) -> JsonObject:
    return _refund(request)


def update(request: ApiRequest) -> JsonObject:
    return request.emulator.refunds.update(_refund(request), request.params)


def list_refunds(request: ApiRequest) -> JsonObject:
    filters = {key: request.params[key] for key in ("payment_intent", "charge")
               if key in request.params}  # fmt: skip
    refunds = [
        refund
        for refund in request.emulator.store.refunds.values()
        if all(refund[key] == value for key, value in filters.items())
    ]
    return paginate(refunds, request.params, url="/v1/refunds", object_name="refund")


ENDPOINTS = [
    Endpoint("POST", "/v1/refunds", create, CREATE),
    Endpoint("GET", "/v1/refunds", list_refunds, LIST),
    Endpoint("GET", "/v1/refunds/{refund}", retrieve, RETRIEVE),
    Endpoint("POST", "/v1/refunds/{refund}", update, UPDATE),
]
