"""`GET /v1/{resource}/search`: Stripe's search over the stored objects, as a `search_result`.

Each resource has its query fields (Stripe's "query fields for …" lists), each of a type that
decides the operators it takes: `string` (`:` case-insensitive, `~` substring), `token`
(metadata: `:`), `numeric` (`:`, `=`, `>`, `>=`, `<`, `<=`) and `boolean` (`:`). Results are
newest first; `next_page` is an opaque cursor (the last result's `created` and id) that the
`page` param takes back. `total_count` is there only with `expand[]=total_count`, as at
Stripe. Search is consistent at once unless the `search_lag_ms` fault knob hides the objects
created within that time, as Stripe's index may lag behind.
"""

from __future__ import annotations

import base64
import binascii
import json
import operator
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from stripe_emulator.errors import invalid_request
from stripe_emulator.params import Integer, Params, String
from stripe_emulator.search_query import Clause, parse, unparsable
from stripe_emulator.store import JsonObject

PARAMS = Params(
    {"query": String(), "limit": Integer(minimum=1), "page": String()},
    required=frozenset({"query"}),
)

_COMPARISONS: dict[str, Callable[[Any, Any], bool]] = {
    ":": operator.eq, "=": operator.eq,
    ">": operator.gt, ">=": operator.ge, "<": operator.lt, "<=": operator.le,
}  # fmt: skip
_OPERATORS = {
    "string": frozenset({":", "~"}),
    "token": frozenset({":"}),
    "numeric": frozenset(_COMPARISONS),
    "boolean": frozenset({":"}),
}
_SUBSTRING_MINIMUM = 3


@dataclass(frozen=True)
class Resource:
    name: str  # as in the URL: "payment_intents"
    fields: Mapping[str, str]  # query field -> type

    @property
    def url(self) -> str:
        return f"/v1/{self.name}/search"


PAYMENT_INTENTS = Resource(
    "payment_intents",
    {"amount": "numeric", "created": "numeric", "currency": "string", "customer": "string",
     "metadata": "token", "status": "string"},
)  # fmt: skip
CHARGES = Resource(
    "charges",
    {"amount": "numeric", "billing_details.address.postal_code": "string",
     "created": "numeric", "currency": "string", "customer": "string", "disputed": "boolean",
     "metadata": "token", "payment_method_details.card.brand": "string",
     "payment_method_details.card.exp_month": "numeric",
     "payment_method_details.card.exp_year": "numeric",
     "payment_method_details.card.fingerprint": "string",
     "payment_method_details.card.last4": "string", "refunded": "boolean", "status": "string"},
)  # fmt: skip


def search(
    resource: Resource,
    oldest_first: Iterable[JsonObject],
    params: dict[str, Any],
    *,
    lag_seconds: float = 0.0,
) -> JsonObject:
    query = parse(params["query"])
    tests = [_test(resource, clause) for clause in query.clauses]
    combine = any if query.any_of else all
    limit = params.get("limit", 10)
    if limit > 100:
        raise invalid_request(
            "This value must be less than or equal to 100.",
            code="parameter_invalid_integer",
            param="limit",
        )
    visible_until = time.time() - lag_seconds
    matches = [
        obj
        for obj in reversed(list(oldest_first))
        if (not lag_seconds or obj["created"] <= visible_until)
        and combine(test(obj) for test in tests)
    ]
    total = len(matches)
    if "page" in params:
        matches = _after(matches, params["page"])
    page = matches[:limit]
    has_more = len(matches) > limit
    result: JsonObject = {
        "object": "search_result",
        "data": page,
        "has_more": has_more,
        "next_page": _cursor(page[-1]) if has_more else None,
        "url": resource.url,
    }
    if "total_count" in params.get("expand", []):
        result["total_count"] = total
    return result


def _test(resource: Resource, clause: Clause) -> Callable[[JsonObject], bool]:
    kind = resource.fields.get(clause.field)
    if kind is None:
        anchor = resource.name.replace("_", "-")
        raise invalid_request(
            f"Field `{clause.field}` is an unsupported search field for resource "
            f"`{resource.name}`. See http://stripe.com/docs/search#query-fields-for-{anchor} "
            "for a list of supported fields.",
            param="query",
        )
    if clause.operator not in _OPERATORS[kind] or clause.metadata_key == "":
        raise unparsable()
    wanted = _wanted(kind, clause)

    def matches(obj: JsonObject) -> bool:
        value = _read(obj, clause)
        if wanted is None or value is None:
            found = wanted is None and value is None
        elif clause.operator == "~":
            found = str(wanted).lower() in str(value).lower()
        elif isinstance(wanted, str):
            found = str(value).lower() == wanted.lower()
        else:
            found = _COMPARISONS[clause.operator](value, wanted)
        return found != clause.negated

    return matches


def _wanted(kind: str, clause: Clause) -> str | int | bool | None:
    """The clause's value as the field's type holds it; what does not fit is unparsable."""
    value = clause.value
    if value is None:
        return None
    if kind == "numeric":
        if not value.lstrip("-").isdigit():
            raise unparsable()
        return int(value)
    if kind == "boolean":
        if value not in ("true", "false"):
            raise unparsable()
        return value == "true"
    if not clause.quoted or (clause.operator == "~" and len(value) < _SUBSTRING_MINIMUM):
        raise unparsable()  # strings are quoted; a substring needs 3 characters
    return value


def _read(obj: JsonObject, clause: Clause) -> Any:
    if clause.metadata_key is not None:
        return (obj.get("metadata") or {}).get(clause.metadata_key)
    value: Any = obj
    for part in clause.field.split("."):
        value = value.get(part) if isinstance(value, dict) else None
    return value


def _cursor(last: JsonObject) -> str:
    return base64.b64encode(
        json.dumps([last["created"], last["id"]], separators=(",", ":")).encode()
    ).decode()


def _after(matches: list[JsonObject], page: str) -> list[JsonObject]:
    try:
        created, last_id = json.loads(base64.b64decode(page, validate=True))
        ids = [obj["id"] for obj in matches]
        if last_id in ids:
            return matches[ids.index(last_id) + 1 :]
        return [obj for obj in matches if obj["created"] < int(created)]
    except (binascii.Error, ValueError, TypeError):
        raise invalid_request(f"{page} is an invalid page.", param="page") from None
