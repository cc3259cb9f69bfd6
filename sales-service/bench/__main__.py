"""`make bench`: requests per second, p50 and p99 of the payment endpoints at 1, 16 and 64
concurrent clients, with the emulator adding 0 ms and then 200 ms to every Stripe call, next to
a bare FastAPI endpoint served the same way. It prints figures; it never passes or fails."""

import argparse
import asyncio
import os
import sys
import time
from collections.abc import Sequence

from bench.burst import BurstTimes, format_burst, time_bursts
from bench.load import LoadResult, run_load
from bench.report import HEADER, Row, format_row, status_note
from bench.scenarios import (
    Preparation,
    RequestFactory,
    bare_requests,
    config_requests,
    confirm_requests,
    create_intent_requests,
    webhook_requests,
)
from bench.stack import SERVER_FLAGS, Stack

CONCURRENCY = (1, 16, 64)
STRIPE_LATENCIES_MS = (0, 200)
WARM_UP_REQUESTS = 8
PAID_INTENTS = 32


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--seconds", type=float, default=2.0, help="longest run per figure")
    parser.add_argument("--requests", type=int, default=3000, help="most requests per figure")
    parser.add_argument(
        "--create-intent-requests",
        type=int,
        default=100,
        help="most create-intents per figure (each needs an order made beforehand)",
    )
    parser.add_argument(
        "--mongodb-url",
        help="use this MongoDB (e.g. a MongoDB 7) instead of starting the local stand-in",
    )
    return parser.parse_args(argv)


async def measure(
    stack: Stack,
    port: int,
    requests: RequestFactory,
    concurrency: int,
    max_requests: int,
    seconds: float,
) -> tuple[LoadResult, dict[str, float]]:
    """A short warm-up, then the measured run with the CPU seconds each process spent on it."""
    await run_load(
        port,
        requests,
        concurrency=min(4, concurrency),
        max_requests=WARM_UP_REQUESTS,
        max_seconds=seconds,
    )
    before = stack.cpu_seconds()
    result = await run_load(
        port, requests, concurrency=concurrency, max_requests=max_requests, max_seconds=seconds
    )
    after = stack.cpu_seconds()
    return result, {name: after[name] - before.get(name, 0.0) for name in after}


async def bench(args: argparse.Namespace) -> None:
    stack = Stack(args.mongodb_url)
    began = time.perf_counter()
    print(f"bench: {os.cpu_count()} CPUs, load average {_load()} before starting")
    print(f"bench: uvicorn, one worker per app: {' '.join(SERVER_FLAGS)}")
    database = "the given MongoDB" if stack.external_mongodb else "local stand-in (FerretDB)"
    print(f"bench: database: {database}")
    try:
        await stack.start()
        print(f"bench: stack up in {time.perf_counter() - began:.1f} s; preparing data")
        preparation = Preparation(stack)
        try:
            await run(stack, preparation, args)
        finally:
            await preparation.close()
        stack.drop_external_database()
    finally:
        stack.stop()
    elapsed = time.perf_counter() - began
    print(f"\nbench: done in {elapsed:.0f} s, load average {_load()} (figures only; no verdict)")


async def run(stack: Stack, preparation: Preparation, args: argparse.Namespace) -> None:
    sales, bare_port = stack.ports.sales, stack.ports.bare
    per_create_run = args.create_intent_requests + WARM_UP_REQUESTS
    orders_needed = len(STRIPE_LATENCIES_MS) * (len(CONCURRENCY) * per_create_run + 2 * 64)
    orders = await preparation.orders(orders_needed)
    paid = await preparation.paid_intents(PAID_INTENTS)
    auth = preparation.auth_header

    creates = create_intent_requests(sales, auth, orders)
    # First, while the database is small: the local stand-in scans whole collections, so later
    # bursts would measure its growth more than the service.
    bursts: dict[int, BurstTimes] = {}
    for latency in STRIPE_LATENCIES_MS:
        await preparation.set_stripe_latency(latency)
        bursts[latency] = await time_bursts(sales, creates)
    print()
    print(format_burst(bursts))

    bare: dict[int, LoadResult] = {}
    print(f"\n{HEADER}")
    for concurrency in CONCURRENCY:
        result, cpu = await measure(
            stack, bare_port, bare_requests(bare_port), concurrency, args.requests, args.seconds
        )
        bare[concurrency] = result
        print(format_row(Row("bare FastAPI GET", None, result, cpu["bare"], cpu), None))

    endpoints: list[tuple[str, RequestFactory, int]] = [
        ("GET config", config_requests(sales), args.requests),
        ("POST create-intent", creates, args.create_intent_requests),
        ("POST confirm", confirm_requests(sales, auth, paid), args.requests),
        ("POST webhook", webhook_requests(sales, paid), args.requests),
    ]
    for latency in STRIPE_LATENCIES_MS:
        await preparation.set_stripe_latency(latency)
        print()
        for name, requests, cap in endpoints:
            for concurrency in CONCURRENCY:
                result, cpu = await measure(stack, sales, requests, concurrency, cap, args.seconds)
                row = Row(name, latency, result, cpu["sales"], cpu)
                print(format_row(row, bare[concurrency]))
                note = status_note(row)
                if note:
                    print(note)


def _load() -> str:
    return " ".join(f"{value:.1f}" for value in os.getloadavg())


def main(argv: Sequence[str] | None = None) -> int:
    asyncio.run(bench(parse_args(argv)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
