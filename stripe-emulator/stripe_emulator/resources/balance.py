"""`GET /v1/balance`: available and pending funds per currency."""

from __future__ import annotations

from stripe_emulator.api import ApiRequest, Endpoint
from stripe_emulator.params import Params
from stripe_emulator.store import JsonObject


def retrieve(request: ApiRequest) -> JsonObject:
    return request.emulator.balance.balance()


ENDPOINTS = [Endpoint("GET", "/v1/balance", retrieve, Params())]
