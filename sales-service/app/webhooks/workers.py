"""The webhook workers: each process applies the events it stored after answering Stripe.

A fixed number of tasks, each with its own bounded queue. Every event of one Stripe object goes
to the same task, so one object's events are applied one after another, in the order they
arrived. Room is reserved before the event is stored, so a stored event never finds the queue
full: when there is no room, the event is stored for the sweep instead, and the answer does not
wait. Nothing here is the only copy of anything: a queued event is in the inbox under a short
hold (see `WebhookIntake`), and if this process dies the sweep takes it once the hold runs out.
"""

import asyncio
import contextlib
import logging
import zlib
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, Protocol

logger = logging.getLogger(__name__)
STOP_GRACE_SECONDS = 5.0


@dataclass(frozen=True)
class QueuedEvent:
    document: dict[str, Any]  # the inbox document as stored
    owner: str  # the lease token it was stored under: only this holder may process it


@dataclass(frozen=True)
class Slot:
    """Room for one event on one worker's queue, held between reserving and submitting."""

    worker: int


Process = Callable[[QueuedEvent], Awaitable[object]]


class EventQueue(Protocol):
    """Where a stored event waits for processing (`WebhookWorkers`)."""

    def reserve(self, key: str) -> Slot | None: ...

    def submit(self, slot: Slot, queued: QueuedEvent) -> None: ...

    def release(self, slot: Slot) -> None: ...


class WebhookWorkers:
    def __init__(
        self,
        process: Process,
        workers: int,
        capacity: int,
        stop_grace_seconds: float = STOP_GRACE_SECONDS,
    ) -> None:
        self._process = process
        self._per_worker = max(1, -(-capacity // workers))  # capacity, split evenly, rounded up
        self._queues: list[asyncio.Queue[QueuedEvent]] = [asyncio.Queue() for _ in range(workers)]
        self._reserved = [0] * workers
        self._tasks: list[asyncio.Task[None]] = []
        self._stop_grace = stop_grace_seconds
        self._closed = False

    def reserve(self, key: str) -> Slot | None:
        """Room for an event about `key` (its object), or None when that worker's queue is full
        or the workers are stopping."""
        if self._closed:
            return None
        worker = zlib.crc32(key.encode()) % len(self._queues)
        if self._queues[worker].qsize() + self._reserved[worker] >= self._per_worker:
            return None
        self._reserved[worker] += 1
        return Slot(worker)

    def submit(self, slot: Slot, queued: QueuedEvent) -> None:
        self._reserved[slot.worker] -= 1
        self._queues[slot.worker].put_nowait(queued)

    def release(self, slot: Slot) -> None:
        """The reserved room was not needed (a duplicate, or the event was not stored)."""
        self._reserved[slot.worker] -= 1

    def room(self) -> int:
        """How many more events the queues take, all workers together."""
        used = zip(self._queues, self._reserved, strict=True)
        return sum(max(0, self._per_worker - queue.qsize() - held) for queue, held in used)

    def depth(self) -> int:
        return sum(queue.qsize() for queue in self._queues)

    async def drain(self) -> None:
        """Returns once every submitted event has been processed (or given up on)."""
        for queue in self._queues:
            await queue.join()

    def start(self) -> None:
        loop = asyncio.get_running_loop()
        self._tasks = [
            loop.create_task(self._work(queue), name=f"webhook worker {index}")
            for index, queue in enumerate(self._queues)
        ]

    async def stop(self) -> None:
        """Takes nothing new, finishes what is queued for a few seconds, then stops. What is
        left stays in the inbox for the sweep."""
        self._closed = True
        if not self._tasks:
            return
        try:
            await asyncio.wait_for(self.drain(), self._stop_grace)
        except TimeoutError:
            logger.warning(
                "webhook workers stopped with events queued; the sweep will take them",
                extra={"queued": self.depth()},
            )
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        self._tasks = []

    async def _work(self, queue: asyncio.Queue[QueuedEvent]) -> None:
        while True:
            queued = await queue.get()
            try:
                await self._process(queued)
            except Exception as exc:  # the event stays stored; the sweep takes it after its hold
                logger.warning(
                    "webhook event left for the sweep",
                    extra={"event_id": queued.document.get("_id"), "error": repr(exc)},
                )
            finally:
                queue.task_done()
