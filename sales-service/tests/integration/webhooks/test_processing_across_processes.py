"""The service as it runs: a crash right after storing an event, and two processes (as with
several uvicorn workers or replicas) storing, queueing and sweeping the same inbox at once. Each
event is applied exactly once, and each payment counted once.

Holds are tiny and the sweeps frequent, so the sweeps keep racing the workers for queued events.
"""

import asyncio
from collections.abc import AsyncIterator, Callable
from contextlib import AsyncExitStack
from typing import Any

import pytest
from fastapi import FastAPI
from httpx import ASGITransport, AsyncClient
from pymongo.asynchronous.database import AsyncDatabase

from app.core.settings import Settings
from app.main import create_app
from tests.integration.conftest import Headers
from tests.integration.crash_points import crashing, run_until_crash
from tests.integration.stripe_support import (
    Emulator,
    create_intent,
    create_order,
    get_order,
    pay_as_browser,
    stripe_settings,
)
from tests.integration.webhooks.events import CURRENT_SECRET, deliver, stripe_event
from tests.integration.webhooks.lookups import stripe_get
from tests.integration.webhooks.processing import Inbox, processed

Database = AsyncDatabase[dict[str, Any]]
PROCESSES = 2


@pytest.fixture
async def processes(
    settings_for: Callable[..., Settings], quiet_emulator: Emulator
) -> AsyncIterator[list[tuple[FastAPI, AsyncClient]]]:
    settings = settings_for(
        **stripe_settings(quiet_emulator),
        stripe_webhook_secret=CURRENT_SECRET,
        webhook_workers=2,
        webhook_queue_hold_seconds=0.05,
        webhook_sweep_interval_seconds=0.05,
        events_sync_interval_seconds=0,
    )
    async with AsyncExitStack() as stack:
        started = []
        for _ in range(PROCESSES):
            app = create_app(settings)
            await stack.enter_async_context(app.router.lifespan_context(app))
            client = AsyncClient(transport=ASGITransport(app), base_url="http://test")
            started.append((app, await stack.enter_async_context(client)))
        yield started


async def paid_at_stripe(
    client: AsyncClient, emulator: Emulator, sales: Headers, customer_id: str
) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
    """An order, its intent, and the intent as Stripe holds it once the browser paid it."""
    order = await create_order(client, sales, customer_id, "20.00")
    made = await create_intent(client, sales, order["id"])
    assert made.status_code == 200, made.text
    intent = made.json()
    await pay_as_browser(emulator, intent["payment_intent_id"], intent["client_secret"])
    stripe_intent = await stripe_get(emulator, f"/v1/payment_intents/{intent['payment_intent_id']}")
    return order, intent, stripe_intent


async def test_a_crash_right_after_storing_is_recovered_by_the_sweep(
    processes: list[tuple[FastAPI, AsyncClient]],
    quiet_emulator: Emulator,
    as_role: Callable[..., Headers],
    customer_id: str,
    inbox: Inbox,
    mongo: Database,
) -> None:
    (app, client), _ = processes
    sales = as_role("sales")
    order, _, stripe_intent = await paid_at_stripe(client, quiet_emulator, sales, customer_id)
    event = stripe_event("payment_intent.succeeded", stripe_intent)

    with crashing(app, 1):  # the inbox insert is written, then the process dies: no answer
        assert await run_until_crash(deliver(client, event)) is None

    entry = await processed(inbox, event["id"])  # a sweep took it once the hold ran out
    assert (entry["outcome"], entry["attempts"]) == ("applied", 1)
    paid = await get_order(client, sales, order["id"])
    assert (paid["payment_status"], paid["amount_paid"]) == ("paid", 20)
    applied = await mongo["audit"].count_documents(
        {"entity_id": event["id"], "action": "webhook.applied"}
    )
    assert applied == 1


async def test_two_processes_apply_each_event_once(
    processes: list[tuple[FastAPI, AsyncClient]],
    quiet_emulator: Emulator,
    as_role: Callable[..., Headers],
    customer_id: str,
    inbox: Inbox,
    mongo: Database,
) -> None:
    clients = [client for _, client in processes]
    sales = as_role("sales")
    paid = [await paid_at_stripe(clients[0], quiet_emulator, sales, customer_id) for _ in range(4)]
    # Three deliveries of different events per intent, each sent to both processes at once.
    events = [
        stripe_event("payment_intent.succeeded", stripe_intent)
        for _, _, stripe_intent in paid
        for _ in range(3)
    ]
    # Slow Stripe reads keep the workers busy, so queued events outlive their holds.
    quiet_emulator.set_faults(latency_ms=150)
    try:
        answers = await asyncio.gather(
            *(deliver(client, event) for event in events for client in clients)
        )
        entries = [await processed(inbox, event["id"], within=30) for event in events]
    finally:
        quiet_emulator.clear_faults()

    statuses = [answer.json()["status"] for answer in answers]
    for index in range(len(events)):
        pair = statuses[PROCESSES * index : PROCESSES * (index + 1)]
        assert sorted(pair) == ["duplicate", "queued"]
    outcomes = {(entry["outcome"], entry["attempts"]) for entry in entries}
    rejections = await mongo["audit"].find({"action": "event_rejected"}).to_list()
    assert outcomes == {("applied", 1)}, [rejection["after"] for rejection in rejections]
    for event in events:
        applied = await mongo["audit"].count_documents(
            {"entity_id": event["id"], "action": "webhook.applied"}
        )
        assert applied == 1, event["id"]
    for order, intent, _ in paid:
        current = await get_order(clients[1], sales, order["id"])
        assert (current["payment_status"], current["amount_paid"]) == ("paid", 20)
        changed = await mongo["audit"].count_documents(
            {"entity_id": intent["payment_id"], "action": "payment.status_changed"}
        )
        assert changed == 1
