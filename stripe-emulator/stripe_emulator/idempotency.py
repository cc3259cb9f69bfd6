"""Saved results of POSTs by `Idempotency-Key`, replayed for 24 hours like Stripe."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from typing import Any

from stripe_emulator.errors import idempotency_error

TTL_SECONDS = 24 * 3600


@dataclass(frozen=True)
class SavedResult:
    endpoint: str
    params_fingerprint: str
    status: int
    body: bytes
    saved_at: float
    request_id: str


def fingerprint(params: dict[str, Any]) -> str:
    return json.dumps(params, sort_keys=True, separators=(",", ":"))


def is_saved_status(status: int) -> bool:
    """Stripe saves a result once the endpoint started executing: successes and card errors.

    Validation errors, missing objects and injected faults are not saved, so a retry runs anew.
    """
    return 200 <= status < 300 or status == 402


class IdempotencyStore:
    def __init__(self) -> None:
        self._results: dict[tuple[str, str], SavedResult] = {}

    def clear(self) -> None:
        self._results.clear()

    def find(
        self, api_key: str, key: str, endpoint: str, params_fingerprint: str
    ) -> SavedResult | None:
        """The saved result to replay, None to execute, or an `idempotency_error`."""
        saved = self._results.get((api_key, key))
        if saved is None:
            return None
        if time.time() - saved.saved_at > TTL_SECONDS:
            del self._results[(api_key, key)]
            return None
        if saved.endpoint != endpoint:
            raise idempotency_error(
                "Keys for idempotent requests can only be used for the same endpoint they were "
                f"first used for ('{saved.endpoint}' vs '{endpoint}'). Try using a key other than "
                f"'{key}' if you meant to execute a different request."
            )
        if saved.params_fingerprint != params_fingerprint:
            raise idempotency_error(
                "Keys for idempotent requests can only be used with the same parameters they "
                f"were first used with. Try using a key other than '{key}' if you meant to "
                "execute a different request."
            )
        return saved

    def save(self, api_key: str, key: str, result: SavedResult) -> None:
        self._results[(api_key, key)] = result

    def items(self) -> list[tuple[str, str, SavedResult]]:
        """Every saved result as (api key, idempotency key, result), oldest first."""
        return [(api_key, key, result) for (api_key, key), result in self._results.items()]
