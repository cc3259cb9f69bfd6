"""`/v1/payment_intents`: create, retrieve, update, confirm, cancel, capture, list, search."""

from __future__ import annotations

import copy

from stripe_emulator.api import ApiRequest, Endpoint
from stripe_emulator.auth import KeyKind, require_secret
from stripe_emulator.errors import StripeError, invalid_request
from stripe_emulator.objects.payment_intent import publishable_view
from stripe_emulator.pagination import LIST_PARAMS, paginate
from stripe_emulator.params import Array, Boolean, Enum, Hash, Integer, Metadata, Params, String
from stripe_emulator.resources.lookup import find_or_404
from stripe_emulator.search import PARAMS as SEARCH
from stripe_emulator.search import PAYMENT_INTENTS, search
from stripe_emulator.store import JsonObject

_CAPTURE_METHODS = Enum(("automatic", "automatic_async", "manual"))
_CARD_OPTIONS = Hash(
    {"card": Hash({"request_three_d_secure": Enum(("any", "automatic", "challenge"))})}
)
_NULLABLE = frozenset({"customer", "description", "receipt_email", "statement_descriptor_suffix"})

CREATE = Params(
    {
        "amount": Integer(),
        "currency": String(),
        "customer": String(),
        "description": String(1000),
        "receipt_email": String(800),
        "metadata": Metadata(),
        "automatic_payment_methods": Hash(
            {"enabled": Boolean(), "allow_redirects": Enum(("always", "never"))},
            required=frozenset({"enabled"}),
        ),
        "payment_method_types": Array(String()),
        "payment_method": String(),
        "payment_method_options": _CARD_OPTIONS,
        "confirm": Boolean(),
        "capture_method": _CAPTURE_METHODS,
        "statement_descriptor_suffix": String(22),
        "return_url": String(),
        "use_stripe_sdk": Boolean(),
    },
    required=frozenset({"amount", "currency"}),
    nullable=_NULLABLE,
)
UPDATE = Params(
    {
        "amount": Integer(),
        "currency": String(),
        "customer": String(),
        "description": String(1000),
        "receipt_email": String(800),
        "metadata": Metadata(),
        "payment_method": String(),
        "payment_method_types": Array(String()),
        "payment_method_options": _CARD_OPTIONS,
        "capture_method": _CAPTURE_METHODS,
        "statement_descriptor_suffix": String(22),
    },
    nullable=_NULLABLE,
)
CONFIRM = Params(
    {
        "client_secret": String(),
        "payment_method": String(),
        "payment_method_options": _CARD_OPTIONS,
        "receipt_email": String(800),
        "return_url": String(),
        "use_stripe_sdk": Boolean(),
        "capture_method": _CAPTURE_METHODS,
    },
    nullable=frozenset({"receipt_email"}),
)
RETRIEVE = Params({"client_secret": String()})
CANCEL = Params(
    {"cancellation_reason": Enum(("duplicate", "fraudulent", "requested_by_customer", "abandoned"))}
)
CAPTURE = Params({"amount_to_capture": Integer(minimum=1)})
LIST = Params({**LIST_PARAMS, "customer": String()})


def _intent(request: ApiRequest) -> JsonObject:
    return find_or_404(
        request.emulator.store.payment_intents, request.path_params["intent"], "payment_intent"
    )


def _check_client_secret(request: ApiRequest, intent: JsonObject) -> None:
    """With the publishable key, Stripe requires the intent's own client secret."""
    given = request.params.get("client_secret")
    if request.key_kind is KeyKind.PUBLISHABLE and given is None:
        raise invalid_request(
            "Missing required param: client_secret.",
            code="parameter_missing",
            param="client_secret",
        )
    if given is not None and given != intent["client_secret"]:
        raise invalid_request(
            "The client_secret provided does not match the client_secret associated with the "
            "PaymentIntent.",
            param="client_secret",
        )


def _as_seen_by(request: ApiRequest, intent: JsonObject) -> JsonObject:
    if request.key_kind is KeyKind.PUBLISHABLE:
        return publishable_view(intent)
    return intent


def create(request: ApiRequest) -> JsonObject:
    return request.emulator.payment_intents.create(request.params, base_url=request.base_url)


def retrieve(request: ApiRequest) -> JsonObject:
    intent = _intent(request)
    _check_client_secret(request, intent)
    return _as_seen_by(request, intent)


def update(request: ApiRequest) -> JsonObject:
    return request.emulator.payment_intents.update(_intent(request), request.params)


def confirm(request: ApiRequest) -> JsonObject:
    intent = _intent(request)
    _check_client_secret(request, intent)
    params = {key: value for key, value in request.params.items() if key != "client_secret"}
    try:
        confirmed = request.emulator.payment_intents.confirm(
            intent,
            params,
            secret_key=request.key_kind is KeyKind.SECRET,
            base_url=request.base_url,
        )
    except StripeError as error:
        if "payment_intent" in error.extra:
            error.extra["payment_intent"] = _as_seen_by(request, error.extra["payment_intent"])
        raise
    return _as_seen_by(request, confirmed)


def cancel(request: ApiRequest) -> JsonObject:
    return request.emulator.payment_intents.cancel(
        _intent(request), request.params.get("cancellation_reason")
    )


def capture(request: ApiRequest) -> JsonObject:
    return request.emulator.payment_intents.capture(
        _intent(request), request.params.get("amount_to_capture")
    )


def list_intents(request: ApiRequest) -> JsonObject:
    require_secret(request.key_kind)
    customer = request.params.get("customer")
    intents = [
        copy.deepcopy(intent)
        for intent in request.emulator.store.payment_intents.values()
        if customer is None or intent["customer"] == customer
    ]
    return paginate(
        intents, request.params, url="/v1/payment_intents", object_name="payment_intent"
    )


def search_intents(request: ApiRequest) -> JsonObject:
    require_secret(request.key_kind)
    return search(
        PAYMENT_INTENTS,
        request.emulator.store.payment_intents.values(),
        request.params,
        lag_seconds=request.emulator.faults.settings.search_lag_ms / 1000,
    )


ENDPOINTS = [
    Endpoint("POST", "/v1/payment_intents", create, CREATE),
    Endpoint("GET", "/v1/payment_intents", list_intents, LIST),
    # Before `{intent}`: "search" is no intent's id.
    Endpoint("GET", "/v1/payment_intents/search", search_intents, SEARCH),
    Endpoint("GET", "/v1/payment_intents/{intent}", retrieve, RETRIEVE, publishable=True),
    Endpoint("POST", "/v1/payment_intents/{intent}", update, UPDATE),
    Endpoint("POST", "/v1/payment_intents/{intent}/confirm", confirm, CONFIRM, publishable=True),
    Endpoint("POST", "/v1/payment_intents/{intent}/cancel", cancel, CANCEL),
    Endpoint("POST", "/v1/payment_intents/{intent}/capture", capture, CAPTURE),
]
