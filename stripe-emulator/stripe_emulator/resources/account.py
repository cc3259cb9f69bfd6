"""`GET /v1/account`: the emulated merchant account."""

from __future__ import annotations

from stripe_emulator.api import ApiRequest, Endpoint
from stripe_emulator.objects.account import build_account
from stripe_emulator.params import Params
from stripe_emulator.store import JsonObject


def retrieve(request: ApiRequest) -> JsonObject:
    return build_account(request.emulator.config)


ENDPOINTS = [Endpoint("GET", "/v1/account", retrieve, Params())]
