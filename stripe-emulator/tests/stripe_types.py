"""Stripe's object shapes, read from the type annotations of the pinned `stripe` SDK.

The SDK's classes are generated from Stripe's OpenAPI document at the emulator's API version
(`stripe.Charge`, its nested `Charge.PaymentMethodDetails.Card`, …), so they are the reference
for what a body may hold, with no spec to vendor. Reading them:

- a field annotated without `Optional` is always present and never null (the SDK reads it so);
- an `Optional` field may be null or absent (the annotations cannot tell those apart);
- a field the class does not annotate is unknown to Stripe;
- `Literal[...]`, alone or in `Union[Literal[...], str]`, is the enum of the OpenAPI document:
  the `str` is only the SDK's allowance for values added later, so a value outside the
  literals is reported;
- `ExpandableField[X]` is an id or the expanded object; `ListObject[X]` a list envelope;
  `UntypedStripeObject[X]` a free map of X (`metadata`), or, for an event's `data.object`, the
  object it names, checked against its own class.

`problems(body)` returns one line per mismatch, naming the JSON path.
"""

from __future__ import annotations

import ast
import functools
import importlib
import inspect
import sys
import types
import typing
from collections.abc import Collection
from typing import Any, ClassVar, Literal, Union

import stripe
from stripe._list_object import ListObject
from stripe._object_classes import OBJECT_CLASSES
from stripe._search_result_object import SearchResultObject
from stripe._stripe_object import StripeObject, UntypedStripeObject

# Envelopes the SDK types only in part: their fields as the OpenAPI document lists them.
_LIST_FIELDS = {"object": True, "data": True, "has_more": True, "url": True}
_SEARCH_FIELDS = {**_LIST_FIELDS, "next_page": True, "total_count": False}


def sdk_class(object_name: str) -> type[StripeObject] | None:
    entry = OBJECT_CLASSES.get(object_name)
    if entry is None:
        return None
    module_name, class_name = entry
    found: type[StripeObject] = getattr(importlib.import_module(module_name), class_name)
    return found


def problems(
    body: Any, *, lenient: Collection[tuple[str, str]] = (), where: str = "$"
) -> list[str]:
    """Mismatches between a JSON body and Stripe's types. `lenient` names (object, field) pairs
    that may be absent although the SDK reads them as always set (a publishable key's view)."""
    checker = _Checker(frozenset(lenient))
    if isinstance(body, dict) and set(body) == {"error"}:
        checker.object(body["error"], stripe.ErrorObject, f"{where}.error")
    else:
        checker.top(body, where)
    return checker.found


class _Checker:
    def __init__(self, lenient: frozenset[tuple[str, str]]) -> None:
        self.lenient = lenient
        self.found: list[str] = []

    def top(self, value: Any, path: str) -> None:
        """A body that names its own type in `object`."""
        if not isinstance(value, dict) or not isinstance(value.get("object"), str):
            self.found.append(f"{path}: not a Stripe object (no `object` field)")
            return
        name = value["object"]
        if name in ("list", "search_result"):
            self.envelope(value, _SEARCH_FIELDS if name == "search_result" else _LIST_FIELDS,
                          Any, path)  # fmt: skip
            return
        cls = sdk_class(name)
        if cls is None:
            self.found.append(f"{path}: `object` {name!r} is no type Stripe's SDK knows")
            return
        self.object(value, cls, path)

    def envelope(self, value: Any, fields: dict[str, bool], item: Any, path: str) -> None:
        if not isinstance(value, dict):
            self.found.append(f"{path}: expected a list object, got {_kind(value)}")
            return
        for key in value:
            if key not in fields:
                self.found.append(f"{path}.{key}: unknown field")
        for key, required in fields.items():
            if required and key not in value:
                self.found.append(f"{path}.{key}: missing")
        expected = "search_result" if "next_page" in fields else "list"
        if value.get("object") != expected:
            self.found.append(f"{path}.object: expected {expected!r}, got {value.get('object')!r}")
        self.value(value.get("has_more"), bool, f"{path}.has_more")
        self.value(value.get("url"), str, f"{path}.url")
        if "next_page" in value:
            self.value(value["next_page"], str | None, f"{path}.next_page")
        if "total_count" in value:
            self.value(value["total_count"], int, f"{path}.total_count")
        data = value.get("data")
        if not isinstance(data, list):
            self.found.append(f"{path}.data: expected a list, got {_kind(data)}")
            return
        for index, element in enumerate(data):
            if item is Any:
                self.top(element, f"{path}.data[{index}]")
            else:
                self.value(element, item, f"{path}.data[{index}]")

    def object(self, value: Any, cls: type[StripeObject], path: str) -> None:
        if not isinstance(value, dict):
            self.found.append(f"{path}: expected a {cls.__qualname__} object, got {_kind(value)}")
            return
        fields = _fields(cls)
        for key in value:
            if key not in fields:
                self.found.append(f"{path}.{key}: unknown field (not in {cls.__qualname__})")
        object_name = getattr(cls, "OBJECT_NAME", None) or cls.__qualname__
        for key, hint in fields.items():
            if key in value:
                self.value(value[key], hint, f"{path}.{key}")
            elif not _nullable(hint) and (object_name, key) not in self.lenient:
                self.found.append(
                    f"{path}.{key}: missing (the SDK reads {cls.__qualname__}.{key} as always set)"
                )

    def value(self, value: Any, hint: Any, path: str) -> None:
        origin, args = typing.get_origin(hint), typing.get_args(hint)
        if hint is Any:
            return
        if origin in (Union, types.UnionType):
            self.union(value, args, path)
        elif origin is Literal:
            if value not in args:
                self.found.append(f"{path}: {value!r} is not one of {list(args)}")
        elif hint is type(None):
            if value is not None:
                self.found.append(f"{path}: expected null, got {_kind(value)}")
        elif hint in (str, bool):
            if not isinstance(value, hint):
                self.found.append(f"{path}: expected {hint.__name__}, got {_kind(value)}")
        elif hint is int:
            if not isinstance(value, int) or isinstance(value, bool):
                self.found.append(f"{path}: expected int, got {_kind(value)}")
        elif hint is float:
            if not isinstance(value, int | float) or isinstance(value, bool):
                self.found.append(f"{path}: expected a number, got {_kind(value)}")
        elif origin in (list, typing.List):  # noqa: UP006 (the SDK's own spelling)
            if not isinstance(value, list):
                self.found.append(f"{path}: expected a list, got {_kind(value)}")
                return
            for index, element in enumerate(value):
                self.value(element, args[0], f"{path}[{index}]")
        elif origin in (dict, typing.Dict):  # noqa: UP006
            self.free_map(value, args[1], path)
        elif origin is UntypedStripeObject or hint is UntypedStripeObject:
            self.free_map(value, args[0] if args else Any, path)
        elif origin is ListObject or hint is ListObject:
            self.envelope(value, _LIST_FIELDS, args[0] if args else Any, path)
        elif origin is SearchResultObject or hint is SearchResultObject:
            self.envelope(value, _SEARCH_FIELDS, args[0] if args else Any, path)
        elif inspect.isclass(hint) and issubclass(hint, StripeObject):
            self.object(value, hint, path)
        else:
            self.found.append(f"{path}: the checker cannot read the SDK's type {hint!r}")

    def union(self, value: Any, args: tuple[Any, ...], path: str) -> None:
        if value is None:
            if type(None) not in args:
                self.found.append(f"{path}: null, but the SDK reads it as always set")
            return
        literals = [v for arg in args if typing.get_origin(arg) is Literal
                    for v in typing.get_args(arg)]  # fmt: skip
        if isinstance(value, str) and literals:
            if value not in literals:
                self.found.append(f"{path}: {value!r} is not one of {literals}")
            return
        if isinstance(value, str) and str in args:
            return
        if isinstance(value, dict):
            classes = [arg for arg in args if _is_object_type(arg)]
            if classes:
                self.value(value, _pick(classes, value), path)
                return
        simple = [arg for arg in args if arg is not type(None) and typing.get_origin(arg)
                  is not Literal]  # fmt: skip
        if len(simple) == 1:
            self.value(value, simple[0], path)
            return
        for arg in simple:
            trial = _Checker(self.lenient)
            trial.value(value, arg, path)
            if not trial.found:
                return
        self.found.append(f"{path}: {_kind(value)} matches none of {list(args)}")

    def free_map(self, value: Any, item: Any, path: str) -> None:
        if not isinstance(value, dict):
            self.found.append(f"{path}: expected an object, got {_kind(value)}")
            return
        if item is Any and isinstance(value.get("object"), str) and sdk_class(value["object"]):
            self.top(value, path)  # an event's `data.object`
            return
        for key, element in value.items():
            self.value(element, item, f"{path}.{key}")


def _is_object_type(hint: Any) -> bool:
    origin = typing.get_origin(hint) or hint
    return inspect.isclass(origin) and issubclass(origin, StripeObject)


def _pick(classes: list[Any], value: dict[str, Any]) -> Any:
    """Of several object types (`Union[Account, BankAccount, …]`), the one the body names."""
    for cls in classes:
        if getattr(typing.get_origin(cls) or cls, "OBJECT_NAME", None) == value.get("object"):
            return cls
    return classes[0]


def _nullable(hint: Any) -> bool:
    return typing.get_origin(hint) in (Union, types.UnionType) and type(None) in typing.get_args(
        hint
    )


def _kind(value: Any) -> str:
    return "null" if value is None else f"{type(value).__name__} {value!r:.60}"


@functools.cache
def _fields(cls: type[StripeObject]) -> dict[str, Any]:
    """The JSON fields of an SDK class and their types: the public, non-ClassVar annotations of
    it and its bases, each read in the namespace of the module that declares it."""
    fields: dict[str, Any] = {}
    for klass in reversed(cls.__mro__):
        declared = {name: annotation
                    for name, annotation in vars(klass).get("__annotations__", {}).items()
                    if not name.startswith("_")}  # fmt: skip
        if not declared:
            continue
        holder = type(klass.__name__, (), {"__annotations__": declared})
        hints = typing.get_type_hints(
            holder, globalns=_namespace(sys.modules[klass.__module__]), localns=dict(vars(klass))
        )
        fields.update(
            (name, hint) for name, hint in hints.items() if typing.get_origin(hint) is not ClassVar
        )
    renamed = cls._field_remappings  # attribute name -> JSON key (`from_` -> `from`)
    return {renamed.get(name, name): hint for name, hint in fields.items()}


@functools.cache
def _namespace(module: types.ModuleType) -> dict[str, Any]:
    """A module's globals plus what it imports only for type checkers (`if TYPE_CHECKING:`),
    which its string annotations (`ExpandableField["Charge"]`) name."""
    names = dict(vars(module))
    for node in ast.parse(inspect.getsource(module)).body:
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            for statement in node.body:
                if (
                    isinstance(statement, ast.ImportFrom)
                    and statement.module
                    and not statement.level
                ):
                    imported = importlib.import_module(statement.module)
                    for alias in statement.names:
                        names[alias.asname or alias.name] = getattr(imported, alias.name)
    return names
