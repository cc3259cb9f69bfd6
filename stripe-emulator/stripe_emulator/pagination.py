"""Stripe list objects: newest first, `limit`, `starting_after`, `ending_before`, `created`."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from stripe_emulator.errors import invalid_request, resource_missing
from stripe_emulator.objects.common import JsonObject, list_object
from stripe_emulator.params import Hash, Integer, Spec, String

RANGE = Hash({name: Integer() for name in ("gt", "gte", "lt", "lte")})
LIST_PARAMS: dict[str, Spec] = {
    "limit": Integer(minimum=1),
    "starting_after": String(),
    "ending_before": String(),
    "created": RANGE,
}

_CREATED_TESTS: dict[str, Callable[[int, int], bool]] = {
    "gt": lambda created, bound: created > bound,
    "gte": lambda created, bound: created >= bound,
    "lt": lambda created, bound: created < bound,
    "lte": lambda created, bound: created <= bound,
}


def paginate(
    oldest_first: Iterable[JsonObject],
    params: dict[str, Any],
    *,
    url: str,
    object_name: str,
) -> JsonObject:
    limit = params.get("limit", 10)
    if limit > 100:
        raise invalid_request(
            "This value must be less than or equal to 100.",
            code="parameter_invalid_integer",
            param="limit",
        )
    if "starting_after" in params and "ending_before" in params:
        raise invalid_request(
            "You may only specify one of these parameters: ending_before, starting_after.",
            code="parameters_exclusive",
        )
    created: dict[str, int] = params.get("created", {})
    items = [item for item in reversed(list(oldest_first)) if in_range(item["created"], created)]
    ids = [item["id"] for item in items]
    if "starting_after" in params:
        cursor = _cursor_index(ids, params["starting_after"], object_name, "starting_after")
        page = items[cursor + 1 :]
        return list_object(url, page[:limit], len(page) > limit)
    if "ending_before" in params:
        cursor = _cursor_index(ids, params["ending_before"], object_name, "ending_before")
        start = max(0, cursor - limit)
        return list_object(url, items[start:cursor], start > 0)
    return list_object(url, items[:limit], len(items) > limit)


def in_range(value: int, bounds: dict[str, int]) -> bool:
    """`created[gte]=…`-style bounds (`gt`, `gte`, `lt`, `lte`), all of them met."""
    return all(_CREATED_TESTS[op](value, bound) for op, bound in bounds.items())


def _cursor_index(ids: list[str], cursor: str, object_name: str, param: str) -> int:
    try:
        return ids.index(cursor)
    except ValueError:
        raise resource_missing(object_name, cursor, param=param) from None
