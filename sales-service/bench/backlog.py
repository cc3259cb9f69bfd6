"""What a webhook run leaves behind: events answered but not yet processed (the service applies
them after its answer), counted until none is pending."""

import asyncio
import time
from dataclasses import dataclass
from typing import Any

import pymongo
from pymongo.asynchronous.collection import AsyncCollection

from bench.stack import Stack

INBOX = "webhook_events"
POLL_SECONDS = 0.2
LONGEST_WAIT_SECONDS = 600.0


@dataclass(frozen=True)
class Backlog:
    pending_at_end: int  # events stored but not processed when the run's last answer came
    drained_seconds: float  # until none was pending
    drained: bool  # False when still pending after LONGEST_WAIT_SECONDS


async def drain_inbox(stack: Stack) -> Backlog:
    client: pymongo.AsyncMongoClient[dict[str, Any]] = pymongo.AsyncMongoClient(stack.mongodb_url)
    inbox = client[stack.database][INBOX]
    began = time.perf_counter()
    try:
        at_end = pending = await _pending(inbox)
        while pending and time.perf_counter() - began < LONGEST_WAIT_SECONDS:
            await asyncio.sleep(POLL_SECONDS)
            pending = await _pending(inbox)
    finally:
        await client.close()
    return Backlog(at_end, time.perf_counter() - began, pending == 0)


async def _pending(inbox: AsyncCollection[dict[str, Any]]) -> int:
    count: int = await inbox.count_documents({"state": "pending"})
    return count


def format_backlog(backlog: Backlog) -> str:
    if not backlog.pending_at_end:
        return "  behind the answers: nothing left to process"
    rate = backlog.pending_at_end / backlog.drained_seconds if backlog.drained_seconds else 0.0
    if not backlog.drained:
        return (
            f"  behind the answers: {backlog.pending_at_end} events pending at the end, "
            f"still pending after {backlog.drained_seconds:.0f} s"
        )
    return (
        f"  behind the answers: {backlog.pending_at_end} events pending at the end, "
        f"all processed {backlog.drained_seconds:.1f} s later ({rate:.0f} events/s)"
    )
