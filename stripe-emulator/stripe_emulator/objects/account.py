"""The `account` object returned by `GET /v1/account`."""

from __future__ import annotations

from stripe_emulator.config import EmulatorConfig
from stripe_emulator.objects.common import JsonObject, empty_address

_CREATED = 1_700_000_000


def build_account(config: EmulatorConfig) -> JsonObject:
    requirements: JsonObject = {
        "alternatives": [],
        "current_deadline": None,
        "currently_due": [],
        "disabled_reason": None,
        "errors": [],
        "eventually_due": [],
        "past_due": [],
        "pending_verification": [],
    }
    return {
        "id": config.account_id,
        "object": "account",
        "business_profile": {
            "mcc": "5734",
            "name": config.account_display_name,
            "product_description": None,
            "support_address": empty_address(),
            "support_email": None,
            "support_phone": None,
            "support_url": None,
            "url": None,
        },
        "business_type": "company",
        "capabilities": {"card_payments": "active", "transfers": "active"},
        "charges_enabled": True,
        "controller": {"type": "account"},
        "country": config.account_country,
        "created": _CREATED,
        "default_currency": config.default_currency,
        "details_submitted": True,
        "email": None,
        "future_requirements": dict(requirements),
        "metadata": {},
        "payouts_enabled": True,
        "requirements": dict(requirements),
        "settings": {
            "branding": {
                "icon": None,
                "logo": None,
                "primary_color": None,
                "secondary_color": None,
            },
            "card_payments": {
                "decline_on": {"avs_failure": False, "cvc_failure": False},
                "statement_descriptor_prefix": "ERP",
                "statement_descriptor_prefix_kana": None,
                "statement_descriptor_prefix_kanji": None,
            },
            "dashboard": {"display_name": config.account_display_name, "timezone": "Etc/UTC"},
            "payments": {
                "statement_descriptor": "ERP PAYMENTS",
                "statement_descriptor_kana": None,
                "statement_descriptor_kanji": None,
            },
        },
        "type": "standard",
    }
