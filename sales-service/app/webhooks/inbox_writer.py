"""Group commit for the inbox: webhook requests arriving together store their events in one
`insert_many`, each answered only once that write is acknowledged.

Each durable write costs the database a log flush; on the local server that is an fsync per
command, so one event per write caps ingest at a few hundred events a second. Here one write is
in flight at a time: a request that finds none starts one with every event waiting (its own
included), and events arriving meanwhile go together in the next. An idle server adds no delay:
a lone event is written at once. (Measured on the local server, letting a second write start
beside the first did not raise throughput: its commits are taken one at a time anyway.)

A write runs in a task started by the request that started it, so it carries that request's
context, outlives that request's cancellation, and settles every request of its batch whatever
happens to it.
"""

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from pymongo.errors import PyMongoError

from app.webhooks.repository import WebhookInboxRepository

MAX_BATCH = 256


@dataclass
class _Pending:
    document: dict[str, Any]
    stored: "asyncio.Future[bool]" = field(
        default_factory=lambda: asyncio.get_running_loop().create_future()
    )
    taken: bool = False  # part of a write already started


class InboxWriter:
    def __init__(self, max_batch: int = MAX_BATCH) -> None:
        self._max_batch = max_batch
        self._writing = False
        self._waiting: list[_Pending] = []
        self._changed = asyncio.Condition()
        self._writes: set[asyncio.Task[None]] = set()

    async def insert(self, inbox: WebhookInboxRepository, document: dict[str, Any]) -> bool:
        """Stores a new event; False when its id is already there; raises what kept it out."""
        pending = _Pending(document)
        self._waiting.append(pending)
        async with self._changed:
            while not pending.taken:
                if not self._writing:
                    self._start_write(inbox)
                else:
                    await self._changed.wait()
        return await pending.stored

    def _start_write(self, inbox: WebhookInboxRepository) -> None:
        batch = self._waiting[: self._max_batch]
        del self._waiting[: self._max_batch]
        for pending in batch:
            pending.taken = True
        self._writing = True
        self._changed.notify_all()  # the requests just taken stop waiting for their turn
        write = asyncio.get_running_loop().create_task(self._write(inbox, batch))
        self._writes.add(write)
        write.add_done_callback(_forget(self._writes))

    async def _write(self, inbox: WebhookInboxRepository, batch: list[_Pending]) -> None:
        try:
            await _settle(inbox, batch)
        finally:
            async with self._changed:
                self._writing = False
                self._changed.notify_all()


def _forget(writes: set[asyncio.Task[None]]) -> Callable[[asyncio.Task[None]], None]:
    def done(task: asyncio.Task[None]) -> None:
        writes.discard(task)
        if not task.cancelled():
            task.exception()  # retrieved: every request of the batch has been told already

    return done


async def _settle(inbox: WebhookInboxRepository, batch: list[_Pending]) -> None:
    """Writes the batch and tells each of its requests what became of its event."""
    try:
        outcome = await inbox.insert_new([pending.document for pending in batch])
    except PyMongoError as exc:
        for pending in batch:
            if not pending.stored.done():  # a request cancelled meanwhile is done already
                pending.stored.set_exception(exc)
        return
    except BaseException:
        # Cancelled, or (in a test) the process "died" mid-write: no request is left waiting.
        for pending in batch:
            if not pending.stored.done():
                pending.stored.cancel()
        raise
    for pending, result in zip(batch, outcome, strict=True):
        if pending.stored.done():
            continue
        if isinstance(result, PyMongoError):
            pending.stored.set_exception(result)
        else:
            pending.stored.set_result(result)
