"""Events sync: recovers events no webhook delivered (endpoint down or disabled past Stripe's
retry window, a wrongly rotated secret) by listing Stripe's own events.

One replica at a time holds the job's lease (see `sync_lease.py`). A round lists the types we
handle created since the stored cursor minus an overlap (events are listed by `created`, to
the second, and one may become visible after a later one was listed), and feeds every event not
yet in the inbox through the webhook's own path: stored in the inbox, then processed. A webhook
and the sync racing for one event both try to store it; the inbox's `_id` lets one win, so it
applies once. Stripe keeps events 30 days: a cursor older than that has lost events for good.
"""

import asyncio
import contextlib
import json
import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from app.core.metrics import EVENTS_SYNCED
from app.infra.stripe_gateway import StripeGateway
from app.webhooks.processor import HANDLED_EVENTS
from app.webhooks.schemas import ReceiptStatus, StripeEvent
from app.webhooks.service import WORKER_ID, WebhookService, utc_now
from app.webhooks.sync_lease import SyncLeaseRepository

logger = logging.getLogger(__name__)
STRIPE_EVENT_RETENTION = timedelta(days=30)


@dataclass(frozen=True)
class SyncPolicy:
    interval: timedelta = timedelta(seconds=60)
    overlap: timedelta = timedelta(seconds=300)
    lease: timedelta = timedelta(seconds=120)


@dataclass(frozen=True)
class SyncRound:
    ran: bool  # False when another replica held the lease
    listed: int = 0
    stored: int = 0


class EventsSync:
    def __init__(
        self,
        leases: SyncLeaseRepository,
        stripe: StripeGateway,
        build_service: Callable[[], WebhookService],
        policy: SyncPolicy,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        self._leases = leases
        self._stripe = stripe
        self._build_service = build_service
        self._policy = policy
        self._clock = clock
        self._task: asyncio.Task[None] | None = None

    async def sync_once(self) -> SyncRound:
        now = self._clock()
        owner = f"{WORKER_ID}:{uuid.uuid4().hex}"
        lease = await self._leases.take(owner=owner, now=now, until=now + self._policy.lease)
        if lease is None:
            return SyncRound(ran=False)
        try:
            return await self._round(owner, lease.get("cursor"), now)
        finally:
            await self._leases.release(owner=owner, now=self._clock())

    async def _round(self, owner: str, cursor: int | None, now: datetime) -> SyncRound:
        # The first round ever starts at now: a new installation has no older payments.
        start = int(now.timestamp()) if cursor is None else cursor
        oldest_kept = int((now - STRIPE_EVENT_RETENTION).timestamp())
        if start < oldest_kept:
            logger.error(
                "events sync cursor is older than Stripe keeps events; some may be lost",
                extra={"cursor": start},
            )
        since = max(start - int(self._policy.overlap.total_seconds()), oldest_kept, 0)
        events = await self._list_since(since, owner)
        service = self._build_service()
        known = await service.known([event["id"] for event in events])
        stored = 0
        newest = start
        # Stripe lists newest first; apply oldest first, as the webhooks would have come.
        for event in sorted(events, key=lambda e: (e["created"], e["id"])):
            newest = max(newest, int(event["created"]))
            if event["id"] in known:
                continue
            payload = json.dumps(event).encode()
            receipt = await service.ingest(StripeEvent.model_validate(event), payload)
            if receipt.status is not ReceiptStatus.DUPLICATE:
                stored += 1
                EVENTS_SYNCED.labels(event["type"]).inc()
            if not await self._leases.extend(owner=owner, until=self._clock() + self._policy.lease):
                break
        await self._leases.advance(owner=owner, cursor=newest, now=self._clock())
        if stored:
            logger.warning(
                "events sync applied events no webhook delivered", extra={"count": stored}
            )
        return SyncRound(ran=True, listed=len(events), stored=stored)

    async def _list_since(self, since: int, owner: str) -> list[dict[str, Any]]:
        events: list[dict[str, Any]] = []
        starting_after: str | None = None
        while True:
            page, has_more = await self._stripe.list_events_page(
                types=sorted(HANDLED_EVENTS), created_gte=since, starting_after=starting_after
            )
            events.extend(page)
            if not has_more or not page:
                return events
            starting_after = str(page[-1]["id"])
            await self._leases.extend(owner=owner, until=self._clock() + self._policy.lease)

    def start(self) -> None:
        """Catches up at once, then runs every interval, for the app's lifetime."""
        self._task = asyncio.get_running_loop().create_task(self._run(), name="events sync")

    async def stop(self) -> None:
        if self._task is None:
            return
        self._task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self._task
        self._task = None

    async def _run(self) -> None:
        while True:
            try:
                await self.sync_once()
            except Exception as exc:  # the next round tries again; the cursor has not moved
                logger.warning("events sync round failed", extra={"error": repr(exc)})
            await asyncio.sleep(self._policy.interval.total_seconds())
