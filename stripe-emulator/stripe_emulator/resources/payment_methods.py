"""`/v1/payment_methods`: create (type card) and retrieve."""

from __future__ import annotations

from stripe_emulator.api import ApiRequest, Endpoint
from stripe_emulator.flows.payment_methods import create_card_payment_method
from stripe_emulator.params import Enum, Hash, Integer, Metadata, Params, String
from stripe_emulator.resources.lookup import find_or_404
from stripe_emulator.store import JsonObject

_ADDRESS = Hash(
    {name: String() for name in ("city", "country", "line1", "line2", "postal_code", "state")}
)
CREATE = Params(
    {
        "type": Enum(("card",)),
        "card": Hash(
            {
                "number": String(),
                "exp_month": Integer(),
                "exp_year": Integer(),
                "cvc": String(),
            },
            required=frozenset({"number", "exp_month", "exp_year"}),
        ),
        "billing_details": Hash(
            {"name": String(), "email": String(), "phone": String(), "address": _ADDRESS},
            nullable=frozenset({"name", "email", "phone"}),
        ),
        "metadata": Metadata(),
    },
    required=frozenset({"type", "card"}),
)
RETRIEVE = Params()


def create(request: ApiRequest) -> JsonObject:
    return create_card_payment_method(request.emulator.store, request.params)


def retrieve(request: ApiRequest) -> JsonObject:
    return find_or_404(
        request.emulator.store.payment_methods,
        request.path_params["payment_method"],
        "PaymentMethod",
    )


ENDPOINTS = [
    Endpoint("POST", "/v1/payment_methods", create, CREATE, publishable=True),
    Endpoint("GET", "/v1/payment_methods/{payment_method}", retrieve, RETRIEVE),
]
