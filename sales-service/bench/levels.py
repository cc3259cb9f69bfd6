"""The figures by database size: seed up to a level, let it settle, measure the idle stack, then
every endpoint at every concurrency, with the emulator adding nothing to Stripe calls."""

import asyncio
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from bench.backlog import drain_inbox, format_backlog
from bench.load import LoadResult
from bench.measure import WARM_UP_REQUESTS, idle, measure
from bench.queries import time_queries
from bench.report import HEADER, Row, format_idle, format_row, status_note
from bench.scenarios import (
    PaidIntent,
    RequestFactory,
    config_requests,
    confirm_requests,
    create_intent_requests,
    order_list_requests,
    payment_list_requests,
    webhook_requests,
)
from bench.seed import Seeder
from bench.stack import Stack

# What `--only` may name, with each endpoint's method (which bare row it is compared with).
ENDPOINT_METHODS = {
    "config": "GET",
    "webhook": "POST",
    "create-intent": "POST",
    "confirm": "POST",
    "orders": "GET",
    "payments": "GET",
}
ENDPOINTS = tuple(ENDPOINT_METHODS)
HOT_ENDPOINTS = frozenset({"config", "webhook"})
ORDER_LIST_STATUS = "paid"
PAYMENT_LIST_STATUS = "completed"
SETTLE_SECONDS = 2.0  # after seeding, before the idle figure: the server's writes settle


@dataclass(frozen=True)
class Level:
    events: int  # seeded webhook events
    orders: int  # seeded settled orders, each with its payment

    @property
    def label(self) -> str:
        if not self.events and not self.orders:
            return "empty database"
        return f"{self.events:,} stored webhook events, {self.orders:,} orders and payments"


# The bare endpoints by (method, concurrency): each endpoint is compared with the bare one of its
# method (a constant GET, or a POST sink reading the same body).
Baselines = Mapping[tuple[str, int], LoadResult]


@dataclass(frozen=True)
class Limits:
    concurrency: Sequence[int]
    seconds: float
    requests: int
    create_intent_requests: int
    idle_seconds: float
    only: frozenset[str] | None = None  # these endpoints (names in ENDPOINTS), else all

    def wants(self, name: str) -> bool:
        return self.only is None or endpoint_key(name) in self.only

    def methods(self) -> set[str]:
        """The methods of the endpoints measured: which bare rows they need."""
        return {ENDPOINT_METHODS[key] for key in (self.only or ENDPOINTS)}


def endpoint_key(name: str) -> str:
    """`POST create-intent` -> `create-intent`, `GET orders?paid` -> `orders`."""
    return name.split()[1].split("?")[0]


async def run_level(
    stack: Stack,
    seeder: Seeder,
    level: Level,
    paid: list[PaidIntent],
    auth: dict[str, str],
    limits: Limits,
    bare: Baselines,
) -> None:
    took = await seeder.events_up_to(level.events) + await seeder.settled_orders_up_to(level.orders)
    print(f"\n== {level.label} (seeded in {took:.0f} s) ==")
    print(
        f"stored: {await seeder.count('webhook_events'):,} webhook events, "
        f"{await seeder.count('orders'):,} orders "
        f"({await seeder.count('orders', {'payment_status': ORDER_LIST_STATUS}):,} "
        f"{ORDER_LIST_STATUS}), {await seeder.count('payments'):,} payments "
        f"({await seeder.count('payments', {'status': PAYMENT_LIST_STATUS}):,} "
        f"{PAYMENT_LIST_STATUS})"
    )
    if limits.idle_seconds:
        await asyncio.sleep(SETTLE_SECONDS)
        print(format_idle(level.label, limits.idle_seconds, await idle(stack, limits.idle_seconds)))
    print(await time_queries(seeder.database, ORDER_LIST_STATUS))

    port = stack.ports.sales
    per_run = limits.create_intent_requests + WARM_UP_REQUESTS
    orders = await seeder.unpaid_orders(len(limits.concurrency) * per_run)
    endpoints: list[tuple[str, RequestFactory, int]] = [
        ("GET config", config_requests(port), limits.requests),
        ("POST webhook", webhook_requests(port, paid), limits.requests),
        (
            "POST create-intent",
            create_intent_requests(port, auth, orders),
            limits.create_intent_requests,
        ),
        ("POST confirm", confirm_requests(port, auth, paid), limits.requests),
        (
            f"GET orders?{ORDER_LIST_STATUS}",
            order_list_requests(port, auth, ORDER_LIST_STATUS),
            limits.requests,
        ),
        (
            f"GET payments?{PAYMENT_LIST_STATUS}",
            payment_list_requests(port, auth, PAYMENT_LIST_STATUS),
            limits.requests,
        ),
    ]
    endpoints = [endpoint for endpoint in endpoints if limits.wants(endpoint[0])]
    print(HEADER)
    await measure_endpoints(stack, endpoints, limits, 0, bare)


async def measure_endpoints(
    stack: Stack,
    endpoints: Sequence[tuple[str, RequestFactory, int]],
    limits: Limits,
    stripe_ms: int,
    bare: Baselines,
) -> None:
    """Each endpoint (name, requests, most requests) at each concurrency, one line each."""
    for name, requests, cap in endpoints:
        if not limits.wants(name):
            continue
        for concurrency in limits.concurrency:
            result, cpu = await measure(
                stack, stack.ports.sales, requests, concurrency, cap, limits.seconds
            )
            row = Row(name, stripe_ms, result, cpu["sales"], cpu)
            print(format_row(row, bare.get((name.split()[0], concurrency))))
            note = status_note(row)
            if note:
                print(note)
            if endpoint_key(name) == "webhook":
                # Answered is not applied: wait for what the run left to process, so it neither
                # vanishes from the figures nor slows the next row.
                print(format_backlog(await drain_inbox(stack)))
