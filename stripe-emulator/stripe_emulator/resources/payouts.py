"""`/v1/payouts`: retrieve, and list (by `status`, `arrival_date`, `destination`); payouts are
made by the automatic schedule or `POST /_emulator/payouts/run`."""

from __future__ import annotations

from stripe_emulator.api import ApiRequest, Endpoint
from stripe_emulator.pagination import LIST_PARAMS, RANGE, in_range, paginate
from stripe_emulator.params import Params, String
from stripe_emulator.resources.lookup import find_or_404
from stripe_emulator.store import JsonObject

RETRIEVE = Params()
LIST = Params({**LIST_PARAMS, "status": String(), "arrival_date": RANGE, "destination": String()})


def retrieve(request: ApiRequest) -> JsonObject:
    return find_or_404(request.emulator.store.payouts, request.path_params["payout"], "payout")


def list_payouts(request: ApiRequest) -> JsonObject:
    filters = {key: request.params[key] for key in ("status", "destination")
               if key in request.params}  # fmt: skip
    arrival: dict[str, int] = request.params.get("arrival_date", {})
    payouts = [
        payout
        for payout in request.emulator.store.payouts.values()
        if all(payout[key] == value for key, value in filters.items())
        and in_range(payout["arrival_date"], arrival)
    ]
    return paginate(payouts, request.params, url="/v1/payouts", object_name="payout")


ENDPOINTS = [
    Endpoint("GET", "/v1/payouts", list_payouts, LIST),
    Endpoint("GET", "/v1/payouts/{payout}", retrieve, RETRIEVE),
]
