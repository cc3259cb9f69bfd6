"""How every `/v1` request is handled: auth, form decoding, idempotency, params, expand."""

from __future__ import annotations

import copy
import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from stripe_emulator.auth import KeyKind, authenticate, publishable_key_refused
from stripe_emulator.config import API_VERSION
from stripe_emulator.errors import StripeError, invalid_request
from stripe_emulator.expand import expand
from stripe_emulator.forms import decode_form
from stripe_emulator.idempotency import SavedResult, fingerprint, is_saved_status
from stripe_emulator.ids import random_token
from stripe_emulator.params import Params
from stripe_emulator.request_context import RequestInfo, current_request
from stripe_emulator.runtime import Emulator
from stripe_emulator.store import JsonObject


@dataclass(frozen=True)
class ApiRequest:
    emulator: Emulator
    params: dict[str, Any]
    path_params: dict[str, str]
    key_kind: KeyKind
    base_url: str


Handler = Callable[[ApiRequest], JsonObject]


@dataclass(frozen=True)
class Endpoint:
    method: str
    path: str
    handler: Handler
    params: Params
    # Whether Stripe.js may call it with the publishable key.
    publishable: bool = False


def emulator_of(request: Request) -> Emulator:
    emulator: Emulator = request.app.state.emulator
    return emulator


def base_url_of(request: Request) -> str:
    return f"{request.url.scheme}://{request.headers.get('host', request.url.netloc)}"


def json_body(payload: Any) -> bytes:
    return json.dumps(payload, indent=2).encode()


def to_route(endpoint: Endpoint) -> Route:
    async def handle(request: Request) -> Response:
        return await _handle(request, endpoint)

    return Route(endpoint.path, handle, methods=[endpoint.method])


def unknown_url_route() -> Route:
    """Any path nothing else serves (also a known path with a method it does not take), answered
    as Stripe answers it: a 404 in its error shape, with a `Request-Id` like every answer."""

    async def handle(request: Request) -> Response:
        error = invalid_request(
            f"Unrecognized request URL ({request.method}: {request.url.path}). Please see "
            "https://docs.stripe.com or we can help at https://support.stripe.com/.",
            status=404,
        )
        headers = {"Request-Id": f"req_{random_token(14)}", "Stripe-Version": API_VERSION}
        return Response(json_body(error.body()), 404, headers, media_type="application/json")

    methods = ["GET", "POST", "DELETE", "PUT", "PATCH", "OPTIONS"]
    return Route("/{rest:path}", handle, methods=methods)


async def _handle(request: Request, endpoint: Endpoint) -> Response:
    emulator = emulator_of(request)
    request_id = f"req_{random_token(14)}"
    headers = {"Request-Id": request_id, "Stripe-Version": API_VERSION}
    idempotency_key = request.headers.get("idempotency-key") if endpoint.method == "POST" else None
    if idempotency_key:
        headers["Idempotency-Key"] = idempotency_key
    raw_text = (await request.body()).decode() if endpoint.method == "POST" else request.url.query
    api_key = ""
    raw: dict[str, Any] = {}
    endpoint_name = f"{endpoint.method} {request.url.path}"
    try:
        raw = decode_form(raw_text)
        form_key = raw.pop("key", None)
        kind, api_key = authenticate(
            emulator.config,
            request.headers.get("authorization"),
            form_key if isinstance(form_key, str) else None,
        )
        if kind is KeyKind.PUBLISHABLE and not endpoint.publishable:
            raise publishable_key_refused()
        if idempotency_key:
            saved = emulator.idempotency.find(
                api_key, idempotency_key, endpoint_name, fingerprint(raw)
            )
            if saved is not None:
                headers.update(
                    {"Idempotent-Replayed": "true", "Original-Request": saved.request_id}
                )
                return Response(saved.body, saved.status, headers, media_type="application/json")
        params = endpoint.params.parse(raw)
        context_token = current_request.set(RequestInfo(request_id, idempotency_key))
        try:
            result = endpoint.handler(
                ApiRequest(emulator, params, dict(request.path_params), kind, base_url_of(request))
            )
        finally:
            current_request.reset(context_token)
        body = expand(copy.deepcopy(result), params.get("expand", []), emulator.store)
        status, content = 200, json_body(body)
    except StripeError as error:
        status, content = error.status, json_body(error.body())
        headers.update(error.headers)
    if idempotency_key and api_key and is_saved_status(status):
        emulator.idempotency.save(
            api_key,
            idempotency_key,
            SavedResult(endpoint_name, fingerprint(raw), status, content, time.time(), request_id),
        )
    return Response(content, status, headers, media_type="application/json")
