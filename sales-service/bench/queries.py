"""The database alone: single commands the endpoints run, timed straight through PyMongo at each
level, so a slow endpoint's figure can be traced to the command that costs it."""

import time
from collections.abc import Awaitable, Callable
from typing import Any

from pymongo import ASCENDING, DESCENDING
from pymongo.asynchronous.database import AsyncDatabase

from bench.documents import Document

REPEATS = 3
NEWEST_ORDERS = [("created_at", DESCENDING), ("number", DESCENDING)]
NEWEST_PAYMENTS = [("created_at", DESCENDING), ("_id", DESCENDING)]


async def time_queries(database: AsyncDatabase[Document], order_status: str) -> str:
    payments, events = database["payments"], database["webhook_events"]
    payment = await payments.find_one({}, sort=[("_id", ASCENDING)])
    event = await events.find_one({}, sort=[("_id", ASCENDING)])
    if payment is None:
        return "queries: no payments stored yet"
    pid, version = payment["_id"], payment["version"]
    # Updates are no-ops ($inc by 0), so every repeat matches and takes the write path.
    probes: list[tuple[str, Callable[[], Awaitable[Any]]]] = [
        ("payments find_one by _id", lambda: payments.find_one({"_id": pid})),
        (
            "payments update_one by _id+version",
            lambda: payments.update_one({"_id": pid, "version": version}, {"$inc": {"version": 0}}),
        ),
        (
            "payments find_one_and_update by _id+version",
            lambda: payments.find_one_and_update(
                {"_id": pid, "version": version}, {"$inc": {"version": 0}}
            ),
        ),
        (
            f"orders count payment_status={order_status}",
            lambda: database["orders"].count_documents({"payment_status": order_status}),
        ),
        (
            f"orders first page payment_status={order_status}",
            lambda: (
                database["orders"]
                .find({"payment_status": order_status})
                .sort(NEWEST_ORDERS)
                .limit(20)
                .to_list()
            ),
        ),
    ]
    if event is not None:
        eid = event["_id"]
        probes.append(
            (
                "webhook_events find_one_and_update by _id",
                lambda: events.find_one_and_update({"_id": eid}, {"$inc": {"attempts": 0}}),
            )
        )
    lines = [f"queries (median of {REPEATS}, straight to the database):"]
    for name, probe in probes:
        lines.append(f"  {name:<48}{await _median_ms(probe):>9.1f} ms")
    return "\n".join(lines)


async def _median_ms(probe: Callable[[], Awaitable[Any]]) -> float:
    times: list[float] = []
    for _ in range(REPEATS):
        began = time.perf_counter()
        await probe()
        times.append(time.perf_counter() - began)
    return sorted(times)[len(times) // 2] * 1000
