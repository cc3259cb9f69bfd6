"""`expand[]=latest_charge`, `expand[]=data.payment_method`: ids replaced by their objects."""

from __future__ import annotations

import copy
from typing import Any

from stripe_emulator.errors import invalid_request
from stripe_emulator.store import JsonObject, Store


def expand(obj: JsonObject, paths: list[str], store: Store) -> JsonObject:
    for path in paths:
        _expand_path(obj, path.split("."), store, path)
    return obj


def _expand_path(node: Any, parts: list[str], store: Store, full_path: str) -> None:
    if isinstance(node, list):
        for item in node:
            _expand_path(item, parts, store, full_path)
        return
    if not isinstance(node, dict):
        return
    head, rest = parts[0], parts[1:]
    if head not in node:
        raise invalid_request(f"This property cannot be expanded ({full_path}).", param="expand")
    value = node[head]
    if rest:
        _expand_path(value, rest, store, full_path)
        return
    if isinstance(value, str):
        found = store.lookup(value)
        if found is None:
            raise invalid_request(
                f"This property cannot be expanded ({full_path}).", param="expand"
            )
        node[head] = copy.deepcopy(found)
