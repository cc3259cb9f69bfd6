"""Declarative validation of decoded params, with Stripe's error codes and messages."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from stripe_emulator.errors import invalid_request

_INTEGER = re.compile(r"^-?\d+$")


class Spec(Protocol):
    def parse(self, value: Any, name: str) -> Any: ...


def _describe(value: Any) -> str:
    return value if isinstance(value, str) else repr(value)


@dataclass(frozen=True)
class Integer:
    minimum: int | None = None

    def parse(self, value: Any, name: str) -> int:
        if not isinstance(value, str) or not _INTEGER.match(value):
            raise invalid_request(
                f"Invalid integer: {_describe(value)}", code="parameter_invalid_integer", param=name
            )
        number = int(value)
        if self.minimum is not None and number < self.minimum:
            raise invalid_request(
                f"This value must be greater than or equal to {self.minimum}.",
                code="parameter_invalid_integer",
                param=name,
            )
        return number


@dataclass(frozen=True)
class String:
    max_length: int = 5000

    def parse(self, value: Any, name: str) -> str:
        if not isinstance(value, str):
            raise invalid_request(f"Invalid string: {_describe(value)}", param=name)
        if len(value) > self.max_length:
            raise invalid_request(
                f"Invalid string: {value[:20]}...; must be at most {self.max_length} characters",
                param=name,
            )
        return value


@dataclass(frozen=True)
class Boolean:
    def parse(self, value: Any, name: str) -> bool:
        if value not in ("true", "false"):
            raise invalid_request(f"Invalid boolean: {_describe(value)}", param=name)
        return bool(value == "true")


@dataclass(frozen=True)
class Enum:
    values: tuple[str, ...]

    def parse(self, value: Any, name: str) -> str:
        if not isinstance(value, str) or value not in self.values:
            options = ", ".join(self.values[:-1]) + f", or {self.values[-1]}"
            raise invalid_request(f"Invalid {name}: must be one of {options}", param=name)
        return value


@dataclass(frozen=True)
class Metadata:
    """`metadata[k]=v`; an empty string unsets a key, `metadata=` unsets them all."""

    def parse(self, value: Any, name: str) -> dict[str, str]:
        if value == "":
            return {}
        if not isinstance(value, dict):
            raise invalid_request("Invalid hash", param=name)
        if len(value) > 50:
            raise invalid_request("Metadata can have up to 50 keys.", param=name)
        for key, item in value.items():
            if not isinstance(item, str):
                raise invalid_request(f"Invalid string: {_describe(item)}", param=f"{name}[{key}]")
            if len(key) > 40:
                raise invalid_request(
                    f"Metadata keys can have up to 40 characters; got {key!r}", param=name
                )
            if len(item) > 500:
                raise invalid_request(
                    "Metadata values can have up to 500 characters", param=f"{name}[{key}]"
                )
        return dict(value)


@dataclass(frozen=True)
class Array:
    item: Spec

    def parse(self, value: Any, name: str) -> list[Any]:
        if not isinstance(value, list):
            raise invalid_request("Invalid array", param=name)
        return [self.item.parse(item, f"{name}[{index}]") for index, item in enumerate(value)]


@dataclass(frozen=True)
class Hash:
    fields: Mapping[str, Spec]
    required: frozenset[str] = frozenset()
    # Fields where an empty string means "unset" (returned as None) instead of an error.
    nullable: frozenset[str] = frozenset()

    def parse(self, value: Any, name: str) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise invalid_request("Invalid hash", param=name)
        return _parse_fields(self, value, prefix=name)


@dataclass(frozen=True)
class Params:
    """Top-level params of one endpoint; `expand` is accepted everywhere, like Stripe."""

    fields: Mapping[str, Spec] = field(default_factory=dict)
    required: frozenset[str] = frozenset()
    nullable: frozenset[str] = frozenset()

    def parse(self, raw: Mapping[str, Any]) -> dict[str, Any]:
        spec = Hash({**self.fields, "expand": Array(String())}, self.required, self.nullable)
        return _parse_fields(spec, raw, prefix=None)


def _parse_fields(spec: Hash, raw: Mapping[str, Any], prefix: str | None) -> dict[str, Any]:
    parsed: dict[str, Any] = {}
    for key, value in raw.items():
        name = key if prefix is None else f"{prefix}[{key}]"
        field_spec = spec.fields.get(key)
        if field_spec is None:
            raise invalid_request(
                f"Received unknown parameter: {name}", code="parameter_unknown", param=name
            )
        if value == "" and not isinstance(field_spec, Metadata):
            if key in spec.nullable:
                parsed[key] = None
                continue
            raise invalid_request(
                f"You passed an empty string for '{name}'. We assume empty values are an attempt "
                f"to unset a parameter; however '{name}' cannot be unset. You should remove "
                f"'{name}' from your request or supply a non-empty value.",
                code="parameter_invalid_empty",
                param=name,
            )
        parsed[key] = field_spec.parse(value, name)
    for key in sorted(spec.required):
        if key not in parsed:
            name = key if prefix is None else f"{prefix}[{key}]"
            raise invalid_request(
                f"Missing required param: {name}.", code="parameter_missing", param=name
            )
    return parsed
