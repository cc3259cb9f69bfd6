"""The state file: what a restart must keep, as JSON, written so a crash never leaves half a file.

A write goes to a temporary file beside the target, is fsynced, renamed over the target and the
directory fsynced: a reader sees the old state or the new one, never a mix.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from stripe_emulator.cards import ChargeOutcome, Decline, RefundOutcome, TestCard
from stripe_emulator.idempotency import SavedResult
from stripe_emulator.objects.upgrade import upgrade
from stripe_emulator.scheduler import PendingAction
from stripe_emulator.store import JsonObject, Store

FORMAT = "stripe-emulator-state"
VERSION = 1
COLLECTIONS = ("payment_intents", "payment_methods", "charges", "refunds", "events", "disputes",
               "balance_transactions", "payouts")  # fmt: skip
# Collections a file saved before the balance existed does not have: they start empty (its
# charges get no balance transactions after the fact).
_ADDED_LATER = frozenset({"balance_transactions", "payouts"})


class StateFileError(Exception):
    """The file exists but cannot be trusted; the emulator refuses to start over it."""


@dataclass
class SavedState:
    store: Store = field(default_factory=Store)
    idempotency: list[tuple[str, str, SavedResult]] = field(default_factory=list)
    scheduled: list[PendingAction] = field(default_factory=list)


def encode(state: SavedState, saved_at: float) -> bytes:
    document = {
        "format": FORMAT,
        "version": VERSION,
        "saved_at": saved_at,
        "objects": {name: getattr(state.store, name) for name in COLLECTIONS},
        "cards": {pm_id: _card_json(card) for pm_id, card in state.store.cards.items()},
        "transaction_payouts": state.store.transaction_payouts,
        "idempotency": [
            {"api_key": api_key, "key": key, **_result_json(result)}
            for api_key, key, result in state.idempotency
        ],
        "scheduled": [asdict(action) for action in state.scheduled],
    }
    return json.dumps(document, separators=(",", ":")).encode()


def decode(raw: bytes) -> SavedState:
    try:
        document = json.loads(raw)
        if not isinstance(document, dict) or document.get("format") != FORMAT:
            raise StateFileError("not an emulator state file")
        if document.get("version") != VERSION:
            raise StateFileError(f"format version {document.get('version')!r}, expected {VERSION}")
        store = Store()
        for name in COLLECTIONS:
            saved = document["objects"].get(name, {}) if name in _ADDED_LATER else None
            objects: dict[str, JsonObject] = getattr(store, name)
            objects.update(_objects(document["objects"][name] if saved is None else saved, name))
            for obj in objects.values():
                upgrade(obj)
        store.cards.update({pm_id: _card(value) for pm_id, value in document["cards"].items()})
        store.transaction_payouts.update(_strings(document.get("transaction_payouts", {})))
        idempotency = [
            (item["api_key"], item["key"], _result(item)) for item in document["idempotency"]
        ]
        scheduled = [PendingAction(**item) for item in document["scheduled"]]
    except StateFileError:
        raise
    except (ValueError, KeyError, TypeError, AttributeError) as error:
        raise StateFileError(f"{type(error).__name__}: {error}") from None
    return SavedState(store, idempotency, scheduled)


def temporary_path(path: Path, pid: int | str) -> Path:
    return path.with_name(f".{path.name}.{pid}.tmp")


def write_atomically(path: Path, content: bytes) -> None:
    temporary = temporary_path(path, os.getpid())
    try:
        with open(temporary, "wb") as file:
            file.write(content)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    directory = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(directory)
    finally:
        os.close(directory)


def read(path: Path) -> SavedState | None:
    """The saved state, None when there is no file yet, StateFileError when it is unusable."""
    # A write a crash cut short: the rename never happened, so the state file is whole.
    for leftover in path.parent.glob(temporary_path(path, "*").name):
        leftover.unlink(missing_ok=True)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as error:
        raise StateFileError(str(error)) from None
    return decode(raw)


def _objects(value: Any, name: str) -> dict[str, JsonObject]:
    if not isinstance(value, dict) or not all(isinstance(obj, dict) for obj in value.values()):
        raise StateFileError(f"{name} is not an object of objects")
    return value


def _strings(value: Any) -> dict[str, str]:
    if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
        raise StateFileError("transaction_payouts is not an object of ids")
    return value


def _card_json(card: TestCard) -> JsonObject:
    return {**asdict(card), "outcome": card.outcome.value, "refund": card.refund.value}


def _card(value: JsonObject) -> TestCard:
    return TestCard(
        number=value["number"],
        brand=value["brand"],
        funding=value["funding"],
        country=value["country"],
        outcome=ChargeOutcome(value["outcome"]),
        decline=Decline(**value["decline"]) if value["decline"] else None,
        refund=RefundOutcome(value["refund"]),
        disputed=value["disputed"],
        bypass_pending=value.get("bypass_pending", False),
    )


def _result_json(result: SavedResult) -> JsonObject:
    return {**asdict(result), "body": result.body.decode()}


def _result(item: JsonObject) -> SavedResult:
    return SavedResult(
        endpoint=item["endpoint"],
        params_fingerprint=item["params_fingerprint"],
        status=item["status"],
        body=item["body"].encode(),
        saved_at=item["saved_at"],
        request_id=item["request_id"],
    )
