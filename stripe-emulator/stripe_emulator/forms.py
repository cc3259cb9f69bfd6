"""Stripe's form encoding: `card[number]=…&expand[0]=…&metadata[k]=v` into nested values.

Decoded values are strings, dicts and lists; `params.py` validates and converts them.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import parse_qsl

from stripe_emulator.errors import invalid_request

_KEY = re.compile(r"^([^\[\]]+)((?:\[[^\[\]]*\])*)$")
_SEGMENT = re.compile(r"\[([^\[\]]*)\]")

FormValue = str | dict[str, Any] | list[Any]


def decode_form(body: str) -> dict[str, Any]:
    """Decode a urlencoded body or query string into nested dicts and lists."""
    root: dict[str, Any] = {}
    for key, value in parse_qsl(body, keep_blank_values=True):
        _assign(root, _split_key(key), value, key)
    decoded: dict[str, Any] = _lists_from_indexed_dicts(root)
    return decoded


def _split_key(key: str) -> list[str]:
    match = _KEY.match(key)
    if match is None:
        raise invalid_request(f"Invalid parameter name: {key}", param=key)
    return [match.group(1), *_SEGMENT.findall(match.group(2))]


def _assign(node: dict[str, Any], path: list[str], value: str, full_key: str) -> None:
    head, rest = path[0], path[1:]
    if not rest:
        if isinstance(node.get(head), dict):
            raise invalid_request(f"Invalid hash: {full_key} was given both as a value and a hash")
        node[head] = value
        return
    child = node.get(head)
    if child is None:
        child = {}
        node[head] = child
    if not isinstance(child, dict):
        raise invalid_request(f"Invalid hash: {full_key} was given both as a value and a hash")
    if rest[0] == "":
        # `a[]=x` appends: give it the next free index so order is kept.
        rest = [str(len(child)), *rest[1:]]
    _assign(child, rest, value, full_key)


def _lists_from_indexed_dicts(value: Any) -> Any:
    if not isinstance(value, dict):
        return value
    converted = {key: _lists_from_indexed_dicts(item) for key, item in value.items()}
    if converted and all(key.isdigit() for key in converted):
        return [converted[key] for key in sorted(converted, key=int)]
    return converted
