"""A crash (or a cancelled task) right after each write of one operation, in a fresh world each
time, then the caller's retry and the repair job: what must hold is checked after each."""

from collections.abc import Awaitable, Callable
from typing import Any

from tests.integration.crash_points import Mode, count_writes, crashing, run_until_crash
from tests.integration.money.invariants import settle, violations
from tests.integration.stripe_support import FaultyStripe

MODES: tuple[Mode, ...] = ("crash", "cancel")


async def sweep(
    faulty: FaultyStripe,
    prepare: Callable[[], Awaitable[dict[str, Any]]],
    operation: Callable[[dict[str, Any]], Awaitable[Any]],
    check: Callable[[dict[str, Any]], Awaitable[None]],
) -> int:
    """For every write of `operation`, in both modes: a fresh world, a crash there, the retry,
    the repair job, then `check` and the invariants. Returns the number of writes swept."""
    writes = await count_writes(faulty.app, lambda: _run(operation, prepare))
    assert writes > 0
    for mode in MODES:
        for point in range(1, writes + 1):
            world = await prepare()
            with crashing(faulty.app, point, mode):
                await run_until_crash(operation(world))
            await operation(world)  # the caller's retry, on a live process
            await settle(faulty.app)
            await check(world)
            found = await violations(faulty.app, faulty.emulator, world["order"]["id"])
            assert found == [], f"after write {point} ({mode}): {found}"
    return writes


async def _run(
    operation: Callable[[dict[str, Any]], Awaitable[Any]],
    prepare: Callable[[], Awaitable[dict[str, Any]]],
) -> None:
    await operation(await prepare())
