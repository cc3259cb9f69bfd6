"""The `payment_method` object (type `card`)."""

from __future__ import annotations

import hashlib

from stripe_emulator.cards import TestCard
from stripe_emulator.clock import now
from stripe_emulator.ids import new_id
from stripe_emulator.objects.common import JsonObject, billing_details


def fingerprint(number: str) -> str:
    return hashlib.sha256(number.encode()).hexdigest()[:16]


def card_details(card: TestCard, exp_month: int, exp_year: int) -> JsonObject:
    return {
        "brand": card.brand,
        "checks": {
            "address_line1_check": None,
            "address_postal_code_check": None,
            "cvc_check": "unchecked",
        },
        "country": card.country,
        "display_brand": card.brand.replace("amex", "american_express"),
        "exp_month": exp_month,
        "exp_year": exp_year,
        "fingerprint": fingerprint(card.number),
        "funding": card.funding,
        "generated_from": None,
        "last4": card.last4,
        "networks": {"available": [card.brand], "preferred": None},
        "regulated_status": "unregulated",
        "three_d_secure_usage": {"supported": True},
        "wallet": None,
    }


def build_card_payment_method(
    card: TestCard,
    *,
    exp_month: int,
    exp_year: int,
    billing: JsonObject | None = None,
    metadata: dict[str, str] | None = None,
) -> JsonObject:
    return {
        "id": new_id("pm"),
        "object": "payment_method",
        "allow_redisplay": "unspecified",
        "billing_details": billing_details(billing),
        "card": card_details(card, exp_month, exp_year),
        "created": now(),
        "customer": None,
        "customer_account": None,
        "livemode": False,
        "metadata": metadata or {},
        "radar_options": {},
        "type": "card",
    }
