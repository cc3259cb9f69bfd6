"""One measured run (after a short warm-up) or an idle stretch, with the CPU seconds each of the
stack's processes spent on it (utime + stime from /proc, children included)."""

import asyncio

from bench.load import LoadResult, run_load
from bench.scenarios import RequestFactory
from bench.stack import Stack

WARM_UP_REQUESTS = 8


async def measure(
    stack: Stack,
    port: int,
    requests: RequestFactory,
    concurrency: int,
    max_requests: int,
    seconds: float,
    own_addresses: bool = False,
) -> tuple[LoadResult, dict[str, float]]:
    await run_load(
        port,
        requests,
        concurrency=min(4, concurrency),
        max_requests=WARM_UP_REQUESTS,
        max_seconds=seconds,
        own_addresses=own_addresses,
    )
    before = stack.cpu_seconds()
    result = await run_load(
        port,
        requests,
        concurrency=concurrency,
        max_requests=max_requests,
        max_seconds=seconds,
        own_addresses=own_addresses,
    )
    return result, _spent(before, stack.cpu_seconds())


async def idle(stack: Stack, seconds: float) -> dict[str, float]:
    """CPU seconds used while nothing is sent: what the background jobs cost at rest."""
    before = stack.cpu_seconds()
    await asyncio.sleep(seconds)
    return _spent(before, stack.cpu_seconds())


def _spent(before: dict[str, float], after: dict[str, float]) -> dict[str, float]:
    return {name: after[name] - before.get(name, 0.0) for name in after}
