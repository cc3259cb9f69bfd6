"""`/v1/events`: retrieve and list (filter by `type`, `types[]`, with wildcards)."""

from __future__ import annotations

from stripe_emulator.api import ApiRequest, Endpoint
from stripe_emulator.errors import invalid_request
from stripe_emulator.pagination import LIST_PARAMS, paginate
from stripe_emulator.params import Array, Params, String
from stripe_emulator.resources.lookup import find_or_404
from stripe_emulator.store import JsonObject

RETRIEVE = Params()
LIST = Params({**LIST_PARAMS, "type": String(), "types": Array(String())})


def _matches(event_type: str, pattern: str) -> bool:
    if pattern.endswith(".*"):
        return event_type.startswith(pattern[:-1])
    return event_type == pattern


def retrieve(request: ApiRequest) -> JsonObject:
    return find_or_404(request.emulator.store.events, request.path_params["event"], "event")


def list_events(request: ApiRequest) -> JsonObject:
    if "type" in request.params and "types" in request.params:
        raise invalid_request("You may only specify one of these parameters: type, types.")
    patterns = list(request.params.get("types", []))
    if "type" in request.params:
        patterns.append(request.params["type"])
    events = [
        event
        for event in request.emulator.store.events.values()
        if not patterns or any(_matches(event["type"], pattern) for pattern in patterns)
    ]
    return paginate(events, request.params, url="/v1/events", object_name="event")


ENDPOINTS = [
    Endpoint("GET", "/v1/events", list_events, LIST),
    Endpoint("GET", "/v1/events/{event}", retrieve, RETRIEVE),
]
