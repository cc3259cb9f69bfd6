"""The control API under `/_emulator/` (never on Stripe's paths): for tests and local runs."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from stripe_emulator.api import emulator_of, json_body
from stripe_emulator.config import API_VERSION
from stripe_emulator.errors import StripeError, invalid_request, resource_missing
from stripe_emulator.faults import parse_settings
from stripe_emulator.flows.disputes import OUTCOMES, REASONS
from stripe_emulator.forms import decode_form
from stripe_emulator.ids import random_token
from stripe_emulator.store import JsonObject

ControlHandler = Callable[[Request, dict[str, Any]], Awaitable[Any]]


def _ok(payload: Any, status: int = 200) -> Response:
    return Response(json_body(payload), status, media_type="application/json")


async def _body(request: Request) -> dict[str, Any]:
    raw = await request.body()
    if not raw:
        return {}
    if request.headers.get("content-type", "").startswith("application/json"):
        try:
            parsed = json.loads(raw)
        except json.JSONDecodeError:
            raise invalid_request("The request body is not valid JSON.") from None
        if not isinstance(parsed, dict):
            raise invalid_request("The request body must be a JSON object.")
        return parsed
    return decode_form(raw.decode())


def control_route(path: str, handler: ControlHandler, methods: list[str]) -> Route:
    async def handle(request: Request) -> Response:
        try:
            body = await _body(request) if request.method in ("POST", "DELETE") else {}
            result = await handler(request, body)
        except StripeError as error:
            return Response(json_body(error.body()), error.status, media_type="application/json")
        return result if isinstance(result, Response) else _ok(result)

    return Route(path, handle, methods=methods)


def _find(objects: dict[str, JsonObject], object_id: str, name: str) -> JsonObject:
    found = objects.get(object_id)
    if found is None:
        raise resource_missing(name, object_id)
    return found


async def health(request: Request, body: dict[str, Any]) -> Any:
    return {"status": "ok", "api_version": API_VERSION}


async def reset(request: Request, body: dict[str, Any]) -> Any:
    await emulator_of(request).reset()
    return {"reset": True}


async def list_endpoints(request: Request, body: dict[str, Any]) -> Any:
    endpoints = emulator_of(request).webhooks.endpoints.values()
    return {"data": [endpoint.as_json() for endpoint in endpoints]}


async def add_endpoint(request: Request, body: dict[str, Any]) -> Any:
    url = body.get("url")
    if not isinstance(url, str) or not url.startswith(("http://", "https://")):
        raise invalid_request("A webhook endpoint needs an http(s) `url`.", param="url")
    secret = body.get("secret") or f"whsec_{random_token(32)}"
    enabled = body.get("enabled_events") or ["*"]
    if isinstance(enabled, str):
        enabled = [enabled]
    endpoint = emulator_of(request).webhooks.add_endpoint(url, str(secret), tuple(enabled))
    return _ok(endpoint.as_json(), 201)


async def remove_endpoint(request: Request, body: dict[str, Any]) -> Any:
    endpoint_id = request.path_params["endpoint"]
    if not await emulator_of(request).webhooks.remove_endpoint(endpoint_id):
        raise resource_missing("webhook_endpoint", endpoint_id)
    return {"id": endpoint_id, "deleted": True}


async def webhook_settings(request: Request, body: dict[str, Any]) -> Any:
    dispatcher = emulator_of(request).webhooks
    if request.method == "POST":
        try:
            attempts = int(body["max_attempts"]) if "max_attempts" in body else None
            base = float(body["backoff_base_seconds"]) if "backoff_base_seconds" in body else None
        except ValueError:
            raise invalid_request("max_attempts and backoff_base_seconds must be numbers") from None
        if (attempts is not None and attempts < 1) or (base is not None and base < 0):
            raise invalid_request("max_attempts must be >= 1 and backoff_base_seconds >= 0")
        dispatcher.set_retry(attempts, base)
    return {
        "max_attempts": dispatcher.retry.max_attempts,
        "backoff_base_seconds": dispatcher.retry.backoff_base_seconds,
        "backoff_max_seconds": dispatcher.retry.backoff_max_seconds,
    }


async def list_deliveries(request: Request, body: dict[str, Any]) -> Any:
    filters = {key: request.query_params[key] for key in ("event_id", "endpoint_id", "status",
               "event_type") if key in request.query_params}  # fmt: skip
    deliveries = [
        delivery.as_json()
        for delivery in emulator_of(request).webhooks.deliveries.values()
        if all(getattr(delivery, key) == value for key, value in filters.items())
    ]
    return {"data": deliveries}


async def resend_event(request: Request, body: dict[str, Any]) -> Any:
    emulator = emulator_of(request)
    event = _find(emulator.store.events, request.path_params["event"], "event")
    endpoint_id = body.get("endpoint_id")
    if endpoint_id is not None and endpoint_id not in emulator.webhooks.endpoints:
        raise resource_missing("webhook_endpoint", str(endpoint_id), param="endpoint_id")
    deliveries = emulator.webhooks.resend(event, endpoint_id)
    return {"data": [delivery.as_json() for delivery in deliveries]}


async def faults(request: Request, body: dict[str, Any]) -> Any:
    injector = emulator_of(request).faults
    if request.method == "DELETE":
        injector.clear()
    elif request.method == "POST":
        injector.configure(parse_settings(body, injector.settings))
    return injector.settings.as_json()


async def open_dispute(request: Request, body: dict[str, Any]) -> Any:
    emulator = emulator_of(request)
    charge = _find(emulator.store.charges, request.path_params["charge"], "charge")
    reason = body.get("reason", "fraudulent")
    if reason not in REASONS:
        raise invalid_request(f"reason must be one of {', '.join(REASONS)}", param="reason")
    amount = int(body["amount"]) if "amount" in body else None
    return emulator.disputes.open(charge, reason, amount)


async def close_dispute(request: Request, body: dict[str, Any]) -> Any:
    emulator = emulator_of(request)
    dispute = _find(emulator.store.disputes, request.path_params["dispute"], "dispute")
    outcome = body.get("outcome")
    if outcome not in OUTCOMES:
        raise invalid_request("outcome must be 'won' or 'lost'", param="outcome")
    return emulator.disputes.close(dispute, str(outcome))


async def three_d_secure(request: Request, body: dict[str, Any]) -> Any:
    """Complete or fail the pending challenge; answers with the PaymentIntent either way."""
    emulator = emulator_of(request)
    intent = _find(emulator.store.payment_intents, request.path_params["intent"], "payment_intent")
    outcome = body.get("outcome")
    if outcome not in ("complete", "fail"):
        raise invalid_request("outcome must be 'complete' or 'fail'", param="outcome")
    secret = body.get("client_secret")
    if secret is not None and secret != intent["client_secret"]:
        raise invalid_request(
            "The client_secret provided does not match the client_secret associated with the "
            "PaymentIntent.",
            param="client_secret",
        )
    try:
        emulator.payment_intents.finish_challenge(intent, authenticated=outcome == "complete")
    except StripeError as error:
        if error.status != 402:
            raise
    return intent


def _seconds(body: dict[str, Any]) -> int:
    value = body.get("seconds")
    if isinstance(value, str) and value.isdigit():  # a form-encoded body
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise invalid_request("`seconds` must be a whole number, 1 or more.", param="seconds")
    return value


async def age_authorization(request: Request, body: dict[str, Any]) -> Any:
    """Moves one authorization back in time; past its `capture_before` it expires at once."""
    emulator = emulator_of(request)
    intent = _find(emulator.store.payment_intents, request.path_params["intent"], "payment_intent")
    return emulator.authorizations.age(intent, _seconds(body))


async def age_authorizations(request: Request, body: dict[str, Any]) -> Any:
    """Moves every authorization waiting for its capture back in time."""
    aged = emulator_of(request).authorizations.age_all(_seconds(body))
    return {"data": aged}


ROUTES = [
    control_route("/_emulator/health", health, ["GET"]),
    control_route("/_emulator/reset", reset, ["POST"]),
    control_route("/_emulator/webhook_endpoints", list_endpoints, ["GET"]),
    control_route("/_emulator/webhook_endpoints", add_endpoint, ["POST"]),
    control_route("/_emulator/webhook_endpoints/{endpoint}", remove_endpoint, ["DELETE"]),
    control_route("/_emulator/webhook_settings", webhook_settings, ["GET", "POST"]),
    control_route("/_emulator/deliveries", list_deliveries, ["GET"]),
    control_route("/_emulator/events/{event}/resend", resend_event, ["POST"]),
    control_route("/_emulator/faults", faults, ["GET", "POST", "DELETE"]),
    control_route("/_emulator/charges/{charge}/dispute", open_dispute, ["POST"]),
    control_route("/_emulator/disputes/{dispute}/close", close_dispute, ["POST"]),
    control_route("/_emulator/payment_intents/{intent}/three_d_secure", three_d_secure, ["POST"]),
    control_route("/_emulator/payment_intents/{intent}/age", age_authorization, ["POST"]),
    control_route("/_emulator/authorizations/age", age_authorizations, ["POST"]),
]
