"""`make bench`: requests per second, p50, p99, errors and the database's CPU for the payment
endpoints at 1, 16 and 64 concurrent clients, on an empty database and then with 10,000 and
100,000 stored webhook events beside 10,000 orders and payments (seeded directly), plus the idle
stack's database CPU. The full run adds a bare FastAPI endpoint to compare with and the same
endpoints with the emulator adding 200 ms to every Stripe call. It prints figures; it never
passes or fails."""

import argparse
import asyncio
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from bench.burst import BurstTimes, format_burst, time_bursts
from bench.levels import (
    ENDPOINTS,
    HOT_ENDPOINTS,
    Baselines,
    Level,
    Limits,
    measure_endpoints,
    run_level,
)
from bench.load import LoadResult
from bench.measure import WARM_UP_REQUESTS, idle, measure
from bench.report import HEADER, Row, format_idle, format_row
from bench.scenarios import (
    STACKED_BARE_PATH,
    PaidIntent,
    Preparation,
    RequestFactory,
    bare_requests,
    bare_sink_requests,
    config_requests,
    confirm_requests,
    create_intent_requests,
    webhook_requests,
)
from bench.seed import Seeder
from bench.stack import SERVER_FLAGS, Stack

CONCURRENCY = (1, 16, 64)
EVENT_LEVELS = (0, 10_000, 100_000)
SEEDED_ORDERS = 10_000
SLOW_STRIPE_MS = 200
PAID_INTENTS = 32


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--seconds", type=float, help="longest run per figure (2; 1 with --quick)")
    parser.add_argument("--requests", type=int, default=3000, help="most requests per figure")
    parser.add_argument(
        "--create-intent-requests",
        type=int,
        default=100,
        help="most create-intents per figure (each needs an order made beforehand)",
    )
    parser.add_argument(
        "--events",
        type=_levels,
        default=EVENT_LEVELS,
        help="stored webhook events per level, comma-separated (default 0,10000,100000)",
    )
    parser.add_argument(
        "--orders",
        type=int,
        default=SEEDED_ORDERS,
        help="settled orders (each with its payment) seeded beside a non-zero event level",
    )
    parser.add_argument(
        "--idle-seconds", type=float, help="idle stretch per level (10; 3 with --quick)"
    )
    parser.add_argument(
        "--quick",
        action="store_true",
        help="only the levels, shorter: no bare endpoint, no bursts, no slow-Stripe pass",
    )
    parser.add_argument(
        "--hot",
        action="store_true",
        help="the hot paths only: the bare endpoints, the middleware stack alone, GET config "
        "and POST webhook at each level (no bursts, no slow-Stripe pass)",
    )
    parser.add_argument(
        "--bursts",
        action="store_true",
        help="only the bursts: create-intent and confirm, one at a time and 64 at once",
    )
    parser.add_argument(
        "--gateway",
        action="store_true",
        help="only GET config, straight to the service and through the gateway's nginx, each "
        "client from a loopback address of its own (the gateway limits each address)",
    )
    parser.add_argument(
        "--only",
        type=_names,
        help="measure only these endpoints at each level, comma-separated: "
        f"{', '.join(ENDPOINTS)} (the bare rows then only for their methods)",
    )
    parser.add_argument(
        "--clients",
        type=_levels,
        default=CONCURRENCY,
        help="concurrent clients per figure, comma-separated (default 1,16,64)",
    )
    parser.add_argument(
        "--workers",
        type=int,
        default=1,
        help="uvicorn worker processes for the service and the bare app alike (default 1)",
    )
    parser.add_argument(
        "--profile",
        type=Path,
        help="run the service under cProfile and write its stats to this file at the end "
        "(slows the service: for where the time goes, not for figures)",
    )
    parser.add_argument(
        "--mongodb-url",
        help="use this MongoDB (e.g. a MongoDB 7) instead of starting the local SecantusDB",
    )
    args = parser.parse_args(argv)
    if args.seconds is None:
        args.seconds = 1.0 if args.quick else 2.0
    if args.idle_seconds is None:
        args.idle_seconds = 3.0 if args.quick else 10.0
    return args


def _levels(text: str) -> tuple[int, ...]:
    return tuple(int(part.replace("_", "")) for part in text.split(",") if part)


def _names(text: str) -> frozenset[str]:
    names = frozenset(part.strip() for part in text.split(",") if part.strip())
    unknown = names - set(ENDPOINTS)
    if unknown:
        raise argparse.ArgumentTypeError(f"unknown endpoints: {', '.join(sorted(unknown))}")
    return names


async def bench(args: argparse.Namespace) -> None:
    stack = Stack(
        args.mongodb_url, workers=args.workers, profile=args.profile, gateway=args.gateway
    )
    began = time.perf_counter()
    print(f"bench: {os.cpu_count()} CPUs, load average {_load()} before starting")
    workers = "one worker" if args.workers == 1 else f"{args.workers} workers"
    print(f"bench: uvicorn, {workers} per app: {' '.join(SERVER_FLAGS)}")
    database = "the given MongoDB" if stack.external_mongodb else "local SecantusDB"
    print(f"bench: database: {database}")
    try:
        await stack.start()
        print(f"bench: stack up in {time.perf_counter() - began:.1f} s; preparing data")
        preparation = Preparation(stack)
        seeder = Seeder(stack.mongodb_url, stack.database)
        try:
            await run(stack, preparation, seeder, args)
        finally:
            await preparation.close()
            await seeder.close()
        stack.drop_external_database()
    finally:
        stack.stop()
    elapsed = time.perf_counter() - began
    print(f"\nbench: done in {elapsed:.0f} s, load average {_load()} (figures only; no verdict)")


async def run(
    stack: Stack, preparation: Preparation, seeder: Seeder, args: argparse.Namespace
) -> None:
    paid = await preparation.paid_intents(PAID_INTENTS)
    auth = preparation.auth_header
    only = args.only if args.only is not None else HOT_ENDPOINTS if args.hot else None
    limits = Limits(
        args.clients,
        args.seconds,
        args.requests,
        args.create_intent_requests,
        args.idle_seconds,
        only=only,
    )
    if args.gateway:
        await gateway_rows(stack, limits)
        return
    full = not (args.quick or args.hot or args.bursts or args.only)
    if full or args.bursts:
        await bursts(stack, preparation, seeder, paid)
        if args.bursts:
            return
    bare: Baselines = {}
    if not args.quick:
        bare = await bare_rows(stack, limits, paid)
    for events in args.events:
        level = Level(events, args.orders if events else 0)
        await run_level(stack, seeder, level, paid, auth, limits, bare)
    if full:
        await slow_stripe(stack, preparation, seeder, paid, limits, bare)


async def bursts(
    stack: Stack, preparation: Preparation, seeder: Seeder, paid: list[PaidIntent]
) -> None:
    """Does a slow Stripe block the event loop, or a pool queue the calls? On the empty
    database, before anything else: create-intent, then confirm."""
    orders = await seeder.unpaid_orders(2 * (4 + 64))
    sales, auth = stack.ports.sales, preparation.auth_header
    kinds = [
        ("create-intents", create_intent_requests(sales, auth, orders)),
        ("confirms", confirm_requests(sales, auth, paid)),
    ]
    for label, requests in kinds:
        times: dict[int, BurstTimes] = {}
        for latency in (0, SLOW_STRIPE_MS):
            await preparation.set_stripe_latency(latency)
            times[latency] = await time_bursts(stack, requests)
        await preparation.set_stripe_latency(0)
        print()
        print(format_burst(times, label))


async def bare_rows(stack: Stack, limits: Limits, paid: list[PaidIntent]) -> Baselines:
    """The bare GET and POST sink, and the bare GET behind the service's middleware stack
    (its ratio is what the stack alone costs)."""
    bare: dict[tuple[str, int], LoadResult] = {}
    port = stack.ports.bare
    print(f"\n{HEADER}")
    rows: list[tuple[str, str | None, RequestFactory]] = [
        ("bare FastAPI GET", "GET", bare_requests(port)),
        ("bare GET + middleware", None, bare_requests(port, STACKED_BARE_PATH)),
        ("bare FastAPI POST sink", "POST", bare_sink_requests(port, paid)),
    ]
    methods = limits.methods()
    for name, method, requests in rows:
        if (method or "GET") not in methods:
            continue
        for concurrency in limits.concurrency:
            result, cpu = await measure(
                stack, port, requests, concurrency, limits.requests, limits.seconds
            )
            if method is not None:
                bare[(method, concurrency)] = result
            row = Row(name, None, result, cpu["bare"], cpu)
            print(format_row(row, None if method else bare[("GET", concurrency)]))
    return bare


async def gateway_rows(stack: Stack, limits: Limits) -> None:
    """GET config as a browser reaches it (through nginx) against the service itself."""
    print(f"\n== GET config through the gateway; its ratio is against direct ==\n{HEADER}")
    for concurrency in limits.concurrency:
        direct = await _config_row(stack, "config direct", stack.ports.sales, concurrency, limits)
        via = await _config_row(
            stack, "config via gateway", stack.ports.gateway, concurrency, limits, direct
        )
        print(_answered(via, direct))


async def _config_row(
    stack: Stack,
    name: str,
    port: int,
    concurrency: int,
    limits: Limits,
    direct: LoadResult | None = None,
) -> LoadResult:
    result, cpu = await measure(
        stack,
        port,
        config_requests(port),
        concurrency,
        limits.requests,
        limits.seconds,
        own_addresses=True,
    )
    app_cpu = cpu["sales"] + cpu.get("gateway", 0.0)
    print(format_row(Row(name, None, result, app_cpu, cpu), direct))
    return result


async def slow_stripe(
    stack: Stack,
    preparation: Preparation,
    seeder: Seeder,
    paid: list[PaidIntent],
    limits: Limits,
    bare: Baselines,
) -> None:
    """The endpoints that call Stripe, with the emulator adding SLOW_STRIPE_MS to every call,
    on the database as the last level left it."""
    sales, auth = stack.ports.sales, preparation.auth_header
    per_run = limits.create_intent_requests + WARM_UP_REQUESTS
    orders = await seeder.unpaid_orders(len(limits.concurrency) * per_run)
    endpoints: list[tuple[str, RequestFactory, int]] = [
        ("GET config", config_requests(sales), limits.requests),
        (
            "POST create-intent",
            create_intent_requests(sales, auth, orders),
            limits.create_intent_requests,
        ),
        ("POST confirm", confirm_requests(sales, auth, paid), limits.requests),
        ("POST webhook", webhook_requests(sales, paid), limits.requests),
    ]
    await preparation.set_stripe_latency(SLOW_STRIPE_MS)
    print(f"\n== Stripe +{SLOW_STRIPE_MS} ms per call, same database ==\n{HEADER}")
    try:
        await measure_endpoints(stack, endpoints, limits, SLOW_STRIPE_MS, bare)
    finally:
        await preparation.set_stripe_latency(0)
    print(format_idle("after the run", limits.idle_seconds, await idle(stack, limits.idle_seconds)))


def _answered(result: LoadResult, direct: LoadResult) -> str:
    """The limit answers a client past its rate at once with 429: compare what was served."""
    served = result.succeeded / result.elapsed if result.elapsed else 0.0
    direct_served = direct.succeeded / direct.elapsed if direct.elapsed else 0.0
    ratio = f"{served / direct_served:.3f}x direct" if direct_served else "-"
    limited = result.statuses[429]
    per_client = served / result.concurrency
    return (
        f"  served {served:.0f} req/s ({ratio}), {per_client:.0f} per client; "
        f"{limited} answered 429 by the per-client limit"
    )


def _load() -> str:
    return " ".join(f"{value:.1f}" for value in os.getloadavg())


def main(argv: Sequence[str] | None = None) -> int:
    asyncio.run(bench(parse_args(argv)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
