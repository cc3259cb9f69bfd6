"""Fault knobs, changed at run time through `/_emulator/faults`, and the dice behind them."""

from __future__ import annotations

import random
from dataclasses import asdict, dataclass, fields
from typing import Any

from stripe_emulator.errors import invalid_request

ERROR_STATUSES = (500, 502, 503, 504, 429)
DROP_PHASES = ("before", "after")


@dataclass
class FaultSettings:
    # API faults, on paths under `path_prefix`.
    error_rate: float = 0.0
    error_status: int = 500
    # The next N API requests fail whatever the rate says.
    error_count: int = 0
    retry_after_seconds: int = 1
    latency_ms: int = 0
    drop_rate: float = 0.0
    drop_count: int = 0
    # "before": the request is never processed; "after": processed, the response is lost.
    drop_phase: str = "before"
    path_prefix: str = "/v1/"
    # Webhook faults.
    webhook_duplicate_rate: float = 0.0
    webhook_shuffle: bool = False
    webhook_shuffle_window_ms: int = 300
    webhook_delay_ms: int = 0
    # Card payments pass through `processing` for this long before settling (0: at once,
    # as real card payments do).
    processing_ms: int = 0
    # Search leaves out objects created within this time, as Stripe's index may lag.
    search_lag_ms: int = 0
    seed: int | None = None

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


_RATES = ("error_rate", "drop_rate", "webhook_duplicate_rate")
_COUNTS = (
    "error_count",
    "retry_after_seconds",
    "latency_ms",
    "drop_count",
    "webhook_shuffle_window_ms",
    "webhook_delay_ms",
    "processing_ms",
    "search_lag_ms",
)


def parse_settings(raw: dict[str, Any], base: FaultSettings) -> FaultSettings:
    """Merge JSON or form values into a copy of `base`, refusing unknown or bad knobs."""
    known = {f.name for f in fields(FaultSettings)}
    merged = base.as_json()
    for name, value in raw.items():
        if name not in known:
            raise invalid_request(f"Unknown fault setting: {name}", param=name)
        merged[name] = _coerce(name, value)
    if merged["error_status"] not in ERROR_STATUSES:
        raise invalid_request(
            f"error_status must be one of {', '.join(map(str, ERROR_STATUSES))}",
            param="error_status",
        )
    if merged["drop_phase"] not in DROP_PHASES:
        raise invalid_request("drop_phase must be 'before' or 'after'", param="drop_phase")
    return FaultSettings(**merged)


def _coerce(name: str, value: Any) -> Any:
    try:
        if name in _RATES:
            rate = float(value)
            if not 0.0 <= rate <= 1.0:
                raise ValueError
            return rate
        if name in _COUNTS or name == "error_status":
            number = int(value)
            if number < 0:
                raise ValueError
            return number
        if name == "webhook_shuffle":
            return value in (True, "true", "1", 1)
        if name == "seed":
            return None if value in (None, "") else int(value)
        return str(value)
    except (TypeError, ValueError):
        raise invalid_request(f"Invalid value for {name}: {value!r}", param=name) from None


class FaultInjector:
    def __init__(self) -> None:
        self.settings = FaultSettings()
        self._random = random.Random()

    def configure(self, settings: FaultSettings) -> None:
        self.settings = settings
        self._random = random.Random(settings.seed)

    def clear(self) -> None:
        self.configure(FaultSettings())

    def applies_to(self, path: str) -> bool:
        return path.startswith(self.settings.path_prefix)

    def take_error(self) -> bool:
        if self.settings.error_count > 0:
            self.settings.error_count -= 1
            return True
        return self._roll(self.settings.error_rate)

    def take_drop(self) -> bool:
        if self.settings.drop_count > 0:
            self.settings.drop_count -= 1
            return True
        return self._roll(self.settings.drop_rate)

    def take_webhook_duplicate(self) -> bool:
        return self._roll(self.settings.webhook_duplicate_rate)

    def shuffle(self, items: list[str]) -> None:
        self._random.shuffle(items)

    def _roll(self, rate: float) -> bool:
        return rate > 0 and self._random.random() < rate
