"""`make chaos`: a bounded randomized run of the payment workload through the gateway while
Stripe misbehaves and the service is SIGKILLed, then faults off, settle, and every order,
payment and refund compared with Stripe's objects. Exits non-zero on any violation."""

import argparse
import asyncio
import random
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from chaos.callers import Stats
from chaos.checker import check
from chaos.collect import collect, quiet_counts
from chaos.dice import dice
from chaos.faults import Faults, kill_at_random
from chaos.report import format_report, write_junit
from chaos.stack import STATE_DIR, ChaosStack
from chaos.workload import run_workers

FINISH_GRACE_SECONDS = 20.0
SETTLE_POLL_SECONDS = 1.0
# Quiet is not enough: events no webhook delivered arrive only with the events sync, which
# runs every 2 s on a lease of 5 s (see chaos/stack.py), so give it a few rounds.
SHORTEST_SETTLE_SECONDS = 15.0


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m chaos", description=__doc__)
    parser.add_argument("--seconds", type=float, default=60.0, help="how long the faults last")
    parser.add_argument("--seed", type=int, default=None, help="default: a new one, printed")
    parser.add_argument("--workers", type=int, default=6, help="concurrent callers")
    parser.add_argument("--kills", type=int, default=None, help="SIGKILLs (default 1 per 10 s)")
    parser.add_argument(
        "--settle-seconds", type=float, default=30.0, help="longest wait for things to settle"
    )
    parser.add_argument(
        "--calm", action="store_true", help="no Stripe faults (kills still as --kills says)"
    )
    parser.add_argument("--junit", type=Path, help="also write the verdict as a JUnit report")
    args = parser.parse_args(argv)
    if args.seed is None:
        args.seed = random.SystemRandom().randrange(1, 1_000_000)
    if args.kills is None:
        args.kills = max(1, int(args.seconds // 10))
    return args


async def chaos(args: argparse.Namespace) -> int:
    stack = ChaosStack()
    rng = dice(args.seed)
    began = time.monotonic()
    print(
        f"chaos: seed {args.seed}, {args.seconds:.0f} s, {args.workers} workers, "
        f"{args.kills} kills; logs in {STATE_DIR}/logs"
    )
    faults: Faults | None = None
    try:
        await stack.start()
        print(f"chaos: stack up in {time.monotonic() - began:.1f} s (gateway {stack.gateway_url})")
        faults = Faults(stack, dice(rng.random()))
        stats = Stats()
        deadline = time.monotonic() + args.seconds
        work = asyncio.create_task(run_workers(stack, args.seed, args.workers, deadline, stats))
        await asyncio.gather(
            faults.run(deadline) if not args.calm else asyncio.sleep(args.seconds),
            kill_at_random(stack, dice(rng.random()), args.seconds, args.kills),
        )
        await faults.clear()
        try:
            await asyncio.wait_for(work, FINISH_GRACE_SECONDS)
        except TimeoutError:
            print(f"chaos: callers still busy {FINISH_GRACE_SECONDS:.0f} s after the faults; cut")
        print(f"chaos: faults applied: {dict(sorted(faults.applied.items()))}")
        print(f"chaos: {stats.ops} ops in {stats.attempts} attempts; answers:")
        for name, count in sorted(stats.statuses.items()):
            sample = stats.samples.get(name)
            print(f"    {name}: {count}" + (f" (first: {sample})" if sample else ""))
        await settle(stack, args.settle_seconds)
        report = check(await collect(stack))
    finally:
        if faults is not None:
            await faults.close()
        stack.stop()
    if args.junit is not None:
        write_junit(report, args.junit, args.seed)
    print(format_report(report, stats.ops, stack.kills))
    return 1 if report.total else 0


async def settle(stack: ChaosStack, longest_seconds: float) -> None:
    """Waits until nothing moves (twice in a row) or for `longest_seconds`: the jobs do the work."""
    began = time.monotonic()
    quiet_in_a_row = 0
    counts: dict[str, int] = {}
    while time.monotonic() - began < longest_seconds and (
        quiet_in_a_row < 2 or time.monotonic() - began < SHORTEST_SETTLE_SECONDS
    ):
        await asyncio.sleep(SETTLE_POLL_SECONDS)
        counts = await quiet_counts(stack)
        quiet_in_a_row = quiet_in_a_row + 1 if not any(counts.values()) else 0
    state = "quiet" if quiet_in_a_row >= 2 else f"not quiet ({counts})"
    print(f"chaos: settled for {time.monotonic() - began:.0f} s: {state}")


def main(argv: Sequence[str] | None = None) -> int:
    return asyncio.run(chaos(parse_args(argv)))


if __name__ == "__main__":
    sys.exit(main())
