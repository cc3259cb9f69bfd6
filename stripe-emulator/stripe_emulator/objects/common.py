"""Pieces shared by several objects."""

from __future__ import annotations

from typing import Any

JsonObject = dict[str, Any]


def empty_address() -> JsonObject:
    return {
        "city": None,
        "country": None,
        "line1": None,
        "line2": None,
        "postal_code": None,
        "state": None,
    }


def billing_details(given: JsonObject | None) -> JsonObject:
    given = given or {}
    address = empty_address()
    address.update(given.get("address") or {})
    return {
        "address": address,
        "email": given.get("email"),
        "name": given.get("name"),
        "phone": given.get("phone"),
        "tax_id": None,
    }


def list_object(url: str, data: list[JsonObject], has_more: bool) -> JsonObject:
    return {"object": "list", "data": data, "has_more": has_more, "url": url}
