"""Stand-ins for the payments and refunds services, for tests of the inbox machinery itself.

They sit at the seam the webhook processing calls; storage failures are raised as PyMongo
raises them, so the inbox code under test sees what it sees when the database is down.
"""

import asyncio
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from pymongo.errors import AutoReconnect

from app.audit.schemas import Actor
from app.webhooks.processor import EventProcessor


@dataclass(frozen=True)
class Record:
    id: str
    order_id: str


@dataclass
class RecordingSync:
    """Applies every intent event; fails the first `failures` calls; tracks overlapping calls.
    With a `gate`, each call waits for it to open (`entered` tells when one is waiting)."""

    failures: int = 0
    delay_seconds: float = 0.0
    applied: Counter[str] = field(default_factory=Counter)
    in_flight: Counter[str] = field(default_factory=Counter)
    max_overlap: int = 0
    gate: asyncio.Event | None = None
    entered: asyncio.Event = field(default_factory=asyncio.Event)

    async def sync_intent(self, intent: Mapping[str, Any], actor: Actor) -> Record | None:
        if self.failures > 0:
            self.failures -= 1
            raise AutoReconnect("connection refused (database down)")
        intent_id = str(intent["id"])
        self.in_flight[intent_id] += 1
        self.max_overlap = max(self.max_overlap, self.in_flight[intent_id])
        try:
            self.entered.set()
            if self.gate is not None:
                await self.gate.wait()
            await asyncio.sleep(self.delay_seconds)
            self.applied[intent_id] += 1
        finally:
            self.in_flight[intent_id] -= 1
        return Record(id=f"pay_for_{intent_id}", order_id=f"ord_for_{intent_id}")

    async def sync_dispute(self, dispute: Mapping[str, Any], actor: Actor) -> Record | None:
        return None

    async def claimed_by(self, intent_id: str) -> Record | None:
        return None

    async def sync_stripe_refund(self, refund: Mapping[str, Any], actor: Actor) -> Record | None:
        return None

    async def sync_charge_refunds(self, charge: Mapping[str, Any], actor: Actor) -> None:
        return None

    def processor(self) -> EventProcessor:
        return EventProcessor(self, self)
