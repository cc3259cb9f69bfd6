"""The `payment_intent` object, and the narrower view a publishable key gets."""

from __future__ import annotations

from typing import Any

from stripe_emulator.clock import now
from stripe_emulator.ids import new_client_secret, new_id
from stripe_emulator.objects.common import JsonObject

# Fields Stripe leaves out when a PaymentIntent is read with a publishable key.
SECRET_ONLY_FIELDS = (
    "amount_capturable",
    "amount_details",
    "amount_received",
    "application",
    "application_fee_amount",
    "customer",
    "customer_account",
    "metadata",
    "on_behalf_of",
    "review",
    "statement_descriptor",
    "statement_descriptor_suffix",
    "transfer_data",
    "transfer_group",
)


def build_payment_intent(params: dict[str, Any]) -> JsonObject:
    automatic = params.get("automatic_payment_methods")
    types = params.get("payment_method_types")
    if automatic is None and types is None:
        automatic = {"enabled": True}
    if automatic is not None and automatic.get("enabled"):
        automatic = {"allow_redirects": automatic.get("allow_redirects", "always"), **automatic}
    else:
        automatic = None
    intent_id = new_id("pi")
    return {
        "id": intent_id,
        "object": "payment_intent",
        "amount": params["amount"],
        "amount_capturable": 0,
        "amount_details": {"tip": {}},
        "amount_received": 0,
        "application": None,
        "application_fee_amount": None,
        "automatic_payment_methods": automatic,
        "canceled_at": None,
        "cancellation_reason": None,
        "capture_method": params.get("capture_method", "automatic"),
        "client_secret": new_client_secret(intent_id),
        "confirmation_method": "automatic",
        "created": now(),
        "currency": params["currency"],
        "customer": params.get("customer"),
        "customer_account": None,
        "description": params.get("description"),
        "excluded_payment_method_types": None,
        "last_payment_error": None,
        "latest_charge": None,
        "livemode": False,
        "metadata": params.get("metadata", {}),
        "next_action": None,
        "on_behalf_of": None,
        "payment_method": None,
        "payment_method_configuration_details": None,
        "payment_method_options": {
            "card": {
                "installments": None,
                "mandate_options": None,
                "network": None,
                "request_three_d_secure": requested_three_d_secure(params) or "automatic",
            }
        },
        "payment_method_types": types or ["card"],
        "processing": None,
        "receipt_email": params.get("receipt_email"),
        "review": None,
        "setup_future_usage": None,
        "shipping": None,
        "source": None,
        "statement_descriptor": None,
        "statement_descriptor_suffix": params.get("statement_descriptor_suffix"),
        "status": "requires_payment_method",
        "transfer_data": None,
        "transfer_group": None,
    }


def requested_three_d_secure(params: dict[str, Any]) -> str | None:
    options = params.get("payment_method_options") or {}
    card_options = options.get("card") or {}
    requested: str | None = card_options.get("request_three_d_secure")
    return requested


def publishable_view(intent: JsonObject) -> JsonObject:
    return {key: value for key, value in intent.items() if key not in SECRET_ONLY_FIELDS}
