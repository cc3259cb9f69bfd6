"""`/v1/webhook_endpoints`: list, retrieve, and update `disabled` (endpoints are added through
the control API or at start-up). The signing secret is shown only by the control API, as
Stripe shows it only when an endpoint is created."""

from __future__ import annotations

from stripe_emulator.api import ApiRequest, Endpoint
from stripe_emulator.config import API_VERSION
from stripe_emulator.errors import resource_missing
from stripe_emulator.pagination import LIST_PARAMS, paginate
from stripe_emulator.params import Boolean, Params
from stripe_emulator.store import JsonObject
from stripe_emulator.webhooks import WebhookEndpoint

RETRIEVE = Params()
LIST = Params(dict(LIST_PARAMS))
UPDATE = Params({"disabled": Boolean()})


def as_stripe_object(endpoint: WebhookEndpoint) -> JsonObject:
    return {
        "id": endpoint.id,
        "object": "webhook_endpoint",
        "api_version": API_VERSION,
        "application": None,
        "created": endpoint.created,
        "description": None,
        "enabled_events": list(endpoint.enabled_events),
        "livemode": False,
        "metadata": {},
        "status": endpoint.status,
        "url": endpoint.url,
    }


def _endpoint(request: ApiRequest) -> WebhookEndpoint:
    endpoint_id = request.path_params["webhook_endpoint"]
    endpoint = request.emulator.webhooks.endpoints.get(endpoint_id)
    if endpoint is None:
        raise resource_missing("webhook_endpoint", endpoint_id)
    return endpoint


def retrieve(request: ApiRequest) -> JsonObject:
    return as_stripe_object(_endpoint(request))


def update(request: ApiRequest) -> JsonObject:
    endpoint = _endpoint(request)
    if "disabled" in request.params:
        updated = request.emulator.webhooks.set_disabled(endpoint.id, request.params["disabled"])
        endpoint = updated or endpoint
    return as_stripe_object(endpoint)


def list_endpoints(request: ApiRequest) -> JsonObject:
    endpoints = sorted(request.emulator.webhooks.endpoints.values(), key=lambda e: e.created)
    return paginate(
        [as_stripe_object(e) for e in endpoints],
        request.params,
        url="/v1/webhook_endpoints",
        object_name="webhook_endpoint",
    )


ENDPOINTS = [
    Endpoint("GET", "/v1/webhook_endpoints", list_endpoints, LIST),
    Endpoint("GET", "/v1/webhook_endpoints/{webhook_endpoint}", retrieve, RETRIEVE),
    Endpoint("POST", "/v1/webhook_endpoints/{webhook_endpoint}", update, UPDATE),
]
