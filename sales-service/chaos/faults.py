"""Faults while the workload runs: Stripe's (through the emulator's `/_emulator/faults`), lost
webhooks (the webhook endpoint removed for a while, so events meanwhile go nowhere), and
SIGKILLs of the service, restarted at once by the tooling."""

import asyncio
import random
import time
from collections import Counter
from typing import Any

import httpx

from chaos.stack import WEBHOOK_SECRET, ChaosStack

# Every request arriving while "slow" is on waits past the SDK's 20 s timeout, so it stays short.
SLOW_MS = 21_000
PROFILES: dict[str, dict[str, Any]] = {
    "5xx": {"error_rate": 0.2},
    "429": {"error_rate": 0.25, "error_status": 429, "retry_after_seconds": 1},
    "slow": {"latency_ms": SLOW_MS},
    "drop after": {"drop_rate": 0.2, "drop_phase": "after"},
    "drop before": {"drop_rate": 0.2, "drop_phase": "before"},
    # Answers lost after Stripe acted, on every intent call a cancel and the repair job make: the
    # create under a payment's key, the cancel, the read (and the browser's confirms).
    "intent answers lost": {
        "drop_rate": 0.5,
        "drop_phase": "after",
        "path_prefix": "/v1/payment_intents",
    },
    # The refund sequence: Stripe makes the refund, its answer is lost, retries get 429s.
    "lost answer, then 429s": {
        "error_rate": 0.6,
        "error_status": 429,
        "drop_rate": 0.5,
        "drop_phase": "after",
    },
    "webhook dupes": {"webhook_duplicate_rate": 0.4, "webhook_shuffle": True},
    "webhook delay": {"webhook_delay_ms": 150},
    "lost webhooks": {},
    "calm": {},
}
WEIGHTS = {"slow": 0.5, "calm": 2.0}
# Stripe retries a failed delivery on its own schedule without holding up the others; the
# emulator's one ordered worker per endpoint would wait out a long back-off, so keep it short.
WEBHOOK_RETRIES = {"max_attempts": 8, "backoff_base_seconds": 0.2}


class Faults:
    def __init__(self, stack: ChaosStack, rng: random.Random) -> None:
        self._stack = stack
        self._rng = rng
        self._control = httpx.AsyncClient(base_url=stack.emulator_url, timeout=10.0)
        self.applied: Counter[str] = Counter()
        self._endpoint_removed = False

    async def close(self) -> None:
        await self._control.aclose()

    async def run(self, deadline: float) -> None:
        await self._control.post("/_emulator/webhook_settings", json=WEBHOOK_RETRIES)
        names = list(PROFILES)
        weights = [WEIGHTS.get(name, 1.0) for name in names]
        while time.monotonic() < deadline:
            chosen = set(self._rng.choices(names, weights, k=self._rng.randint(1, 2)))
            settings: dict[str, Any] = {"seed": self._rng.randrange(2**31)}
            for name in chosen:
                settings.update(PROFILES[name])
                self.applied[name] += 1
            if "5xx" in chosen:
                settings["error_status"] = self._rng.choice((500, 502, 503))
            hold = self._rng.uniform(0.5, 1.5) if "slow" in chosen else self._rng.uniform(2, 5)
            await self._control.delete("/_emulator/faults")
            await self._control.post("/_emulator/faults", json=settings)
            if "lost webhooks" in chosen:
                await self._remove_endpoint()
            await asyncio.sleep(min(hold, max(deadline - time.monotonic(), 0)))
            await self.clear()

    async def clear(self) -> None:
        """Faults off and the webhook endpoint back; safe to call at any time."""
        await self._control.delete("/_emulator/faults")
        if self._endpoint_removed:
            body = {"url": self._stack.webhook_url, "secret": WEBHOOK_SECRET}
            await self._control.post("/_emulator/webhook_endpoints", json=body)
            self._endpoint_removed = False

    async def _remove_endpoint(self) -> None:
        listed = (await self._control.get("/_emulator/webhook_endpoints")).json()["data"]
        for endpoint in listed:
            if endpoint["url"] == self._stack.webhook_url:
                await self._control.delete(f"/_emulator/webhook_endpoints/{endpoint['id']}")
                self._endpoint_removed = True


async def kill_at_random(stack: ChaosStack, rng: random.Random, seconds: float, kills: int) -> None:
    """SIGKILLs the service `kills` times at random moments of the run, restarting it each time."""
    began = time.monotonic()
    moments = sorted(rng.uniform(0.1 * seconds, 0.9 * seconds) for _ in range(kills))
    for moment in moments:
        await asyncio.sleep(max(began + moment - time.monotonic(), 0))
        await stack.kill_service()
        await stack.start_service()
