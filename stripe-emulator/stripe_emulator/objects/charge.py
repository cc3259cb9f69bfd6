"""The `charge` object: one attempt to move money for a PaymentIntent."""

from __future__ import annotations

from stripe_emulator.cards import Decline
from stripe_emulator.clock import now
from stripe_emulator.ids import new_id, random_token
from stripe_emulator.objects.common import JsonObject

# How long Stripe holds an uncaptured card authorization before cancelling it.
AUTHORIZATION_VALIDITY_SECONDS = 7 * 24 * 3600


def _outcome(decline: Decline | None) -> JsonObject:
    if decline is None:
        return {
            "advice_code": None,
            "network_advice_code": None,
            "network_decline_code": None,
            "network_status": "approved_by_network",
            "reason": None,
            "risk_level": "normal",
            "risk_score": 32,
            "seller_message": "Payment complete.",
            "type": "authorized",
        }
    return {
        "advice_code": "try_again_later" if decline.code == "processing_error" else None,
        "network_advice_code": None,
        "network_decline_code": None,
        "network_status": "declined_by_network",
        "reason": decline.decline_code,
        "risk_level": "normal",
        "risk_score": 32,
        "seller_message": "The bank did not return any further details with this decline.",
        "type": "issuer_declined",
    }


def _card_details(
    payment_method: JsonObject,
    amount: int,
    *,
    authenticated: bool,
    succeeded: bool,
    capture_before: int | None,
) -> JsonObject:
    card = payment_method["card"]
    three_d_secure = None
    if authenticated:
        three_d_secure = {
            "authentication_flow": "challenge",
            "electronic_commerce_indicator": "05",
            "exemption_indicator": None,
            "result": "authenticated",
            "result_reason": None,
            "transaction_id": random_token(32),
            "version": "2.2.0",
        }
    # Only an authorization made for a later capture has a deadline; elsewhere it is absent.
    deadline = {} if capture_before is None else {"capture_before": capture_before}
    return {
        "card": {
            "amount_authorized": amount if succeeded else None,
            "authorization_code": random_token(6).upper() if succeeded else None,
            "brand": card["brand"],
            **deadline,
            "checks": {
                "address_line1_check": None,
                "address_postal_code_check": None,
                "cvc_check": "pass",
            },
            "country": card["country"],
            "exp_month": card["exp_month"],
            "exp_year": card["exp_year"],
            "extended_authorization": {"status": "disabled"},
            "fingerprint": card["fingerprint"],
            "funding": card["funding"],
            "incremental_authorization": {"status": "unavailable"},
            "installments": None,
            "last4": card["last4"],
            "mandate": None,
            "multicapture": {"status": "unavailable"},
            "network": card["brand"],
            "network_token": {"used": False},
            "network_transaction_id": random_token(15) if succeeded else None,
            "overcapture": {"maximum_amount_capturable": amount, "status": "unavailable"},
            "regulated_status": "unregulated",
            "three_d_secure": three_d_secure,
            "wallet": None,
        },
        "type": "card",
    }


def build_charge(
    intent: JsonObject,
    payment_method: JsonObject,
    *,
    decline: Decline | None,
    captured: bool,
    authenticated: bool,
) -> JsonObject:
    succeeded = decline is None
    amount = intent["amount"]
    suffix = intent.get("statement_descriptor_suffix")
    created = now()
    held = succeeded and not captured
    details = _card_details(
        payment_method,
        amount,
        authenticated=authenticated,
        succeeded=succeeded,
        capture_before=created + AUTHORIZATION_VALIDITY_SECONDS if held else None,
    )
    return {
        "id": new_id("ch"),
        "object": "charge",
        "amount": amount,
        "amount_captured": amount if succeeded and captured else 0,
        "amount_refunded": 0,
        "application": None,
        "application_fee": None,
        "application_fee_amount": None,
        "balance_transaction": None,
        "billing_details": payment_method["billing_details"],
        "calculated_statement_descriptor": f"ERP* {suffix}" if suffix else "ERP PAYMENTS",
        "captured": succeeded and captured,
        "created": created,
        "currency": intent["currency"],
        "customer": intent["customer"],
        "description": intent["description"],
        "disputed": False,
        "failure_balance_transaction": None,
        "failure_code": None if decline is None else decline.code,
        "failure_message": None if decline is None else decline.message,
        "fraud_details": {},
        "livemode": False,
        "metadata": dict(intent["metadata"]),
        "on_behalf_of": None,
        "outcome": _outcome(decline),
        "paid": succeeded,
        "payment_intent": intent["id"],
        "payment_method": payment_method["id"],
        "payment_method_details": details,
        "radar_options": {},
        "receipt_email": intent["receipt_email"],
        "receipt_number": None,
        "receipt_url": None,
        "refunded": False,
        "review": None,
        "shipping": None,
        "source": None,
        "source_transfer": None,
        "statement_descriptor": None,
        "statement_descriptor_suffix": suffix,
        "status": "succeeded" if succeeded else "failed",
        "transfer_data": None,
        "transfer_group": None,
    }
