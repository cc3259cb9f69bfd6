"""Events sync: what no webhook delivered (endpoint disabled for a while, or deleted) is
recovered from Stripe's event list in one round; racing the webhooks, or another replica, each
event still applies once.

The emulator delivers to a served app (webhooks, sweep); the sync rounds run in two in-process
replicas on the same database, driven by the test."""

import asyncio
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from fastapi import FastAPI
from httpx import AsyncClient
from pymongo.asynchronous.database import AsyncDatabase

from app.composition import wire
from app.core.settings import Settings
from app.main import create_app
from app.webhooks.repository import INBOX
from tests.integration.conftest import Headers, closed_port
from tests.integration.stripe_support import (
    Emulator,
    create_intent,
    create_order,
    get_order,
    pay_as_browser,
    stripe_settings,
)
from tests.integration.webhooks.events import CURRENT_SECRET, WEBHOOK_PATH
from tests.integration.webhooks.live import ServedApp
from tests.integration.webhooks.lookups import payment_of, stripe_get, stripe_post
from tests.integration.webhooks.waiting import eventually

Database = AsyncDatabase[dict[str, Any]]


@dataclass
class Stack:
    emulator: Emulator
    client: AsyncClient  # the served app, which Stripe delivers to
    replicas: list[FastAPI]  # two more on the same database, to run sync rounds


@pytest.fixture(scope="module")
def live_port() -> int:
    return closed_port()


@pytest.fixture(scope="module")
def emulator(live_port: int) -> Iterator[Emulator]:
    server = Emulator(webhooks=[f"http://127.0.0.1:{live_port}{WEBHOOK_PATH}={CURRENT_SECRET}"])
    yield server.start()
    server.stop()


@pytest.fixture(scope="module")
async def stack(
    mongo: Database, settings_for: Callable[..., Settings], emulator: Emulator, live_port: int
) -> AsyncIterator[Stack]:
    settings = settings_for(
        **stripe_settings(emulator),
        stripe_webhook_secret=CURRENT_SECRET,
        webhook_sweep_interval_seconds=1,
        events_sync_interval_seconds=0,
    )
    served = ServedApp(create_app(settings), live_port)
    served.start()
    first, second = create_app(settings), create_app(settings)
    try:
        async with (
            AsyncClient(base_url=served.url, timeout=30) as client,
            first.router.lifespan_context(first),
            second.router.lifespan_context(second),
        ):
            yield Stack(emulator, client, [first, second])
    finally:
        served.stop()


def endpoint_id(emulator: Emulator) -> str:
    endpoints = emulator.control("GET", "/webhook_endpoints")["data"]
    assert len(endpoints) == 1
    found: str = endpoints[0]["id"]
    return found


async def set_disabled(emulator: Emulator, disabled: bool) -> None:
    flag = "true" if disabled else "false"
    await stripe_post(
        emulator, f"/v1/webhook_endpoints/{endpoint_id(emulator)}", {"disabled": flag}
    )


async def browser_payment(
    stack: Stack, sales: Headers, customer_id: str, total: str = "100.00"
) -> tuple[dict[str, Any], dict[str, Any]]:
    order = await create_order(stack.client, sales, customer_id, total)
    created = await create_intent(stack.client, sales, order["id"])
    assert created.status_code == 200, created.text
    intent = created.json()
    await pay_as_browser(stack.emulator, intent["payment_intent_id"], intent["client_secret"])
    return order, intent


async def order_status(stack: Stack, sales: Headers, order_id: str) -> str:
    status: str = (await get_order(stack.client, sales, order_id))["payment_status"]
    return status


async def test_events_missed_while_the_endpoint_was_disabled_are_applied_in_one_round(
    stack: Stack, as_role: Callable[..., Headers], customer_id: str, mongo: Database
) -> None:
    sales = as_role("sales")
    before, before_intent = await browser_payment(stack, sales, customer_id)
    await eventually(lambda: _is(stack, sales, before["id"], "paid"))
    await set_disabled(stack.emulator, True)
    try:
        missed = [await browser_payment(stack, sales, customer_id) for _ in range(2)]
        made = await stripe_post(
            stack.emulator,
            "/v1/refunds",
            {"payment_intent": before_intent["payment_intent_id"], "amount": 2500},
        )
        await settled_at_stripe(stack.emulator, made["id"])
        await asyncio.sleep(1.5)  # Stripe sends nothing; the sweep has nothing to retry
        assert [await order_status(stack, sales, o["id"]) for o, _ in missed] == ["unpaid"] * 2
        assert (await get_order(stack.client, sales, before["id"]))["amount_refunded"] == 0

        sync_round = await wire(stack.replicas[0].state).events_sync.sync_once()

        # Still disabled: what follows is the sync's doing, not a late webhook's.
        assert sync_round.ran
        assert sync_round.stored >= 3
        for order, intent in missed:
            assert await order_status(stack, sales, order["id"]) == "paid"
            payment = await payment_of(stack.client, sales, intent["payment_id"])
            assert payment["status"] == "completed"
        refunded = await get_order(stack.client, sales, before["id"])
        assert (refunded["amount_refunded"], refunded["payment_status"]) == (
            25,
            "partially_refunded",
        )
    finally:
        await set_disabled(stack.emulator, False)

    again = await wire(stack.replicas[1].state).events_sync.sync_once()
    assert again.ran
    assert again.stored == 0  # nothing twice


async def test_sync_and_webhooks_racing_apply_each_event_once(
    stack: Stack, as_role: Callable[..., Headers], customer_id: str, mongo: Database
) -> None:
    sales = as_role("sales")
    order, intent = await browser_payment(stack, sales, customer_id)
    syncs = [wire(app.state).events_sync for app in stack.replicas]
    # Webhooks are arriving now; two replicas list the same events at the same time.
    await asyncio.gather(*(sync.sync_once() for sync in syncs for _ in range(3)))
    await eventually(lambda: _is(stack, sales, order["id"], "paid"))

    events = await mongo[INBOX].find({"object_id": intent["payment_intent_id"]}).to_list()
    succeeded = [e for e in events if e["type"] == "payment_intent.succeeded"]
    assert len(succeeded) == 1
    assert (await payment_of(stack.client, sales, intent["payment_id"]))["status"] == "completed"
    assert await completed_transitions(stack, as_role("admin"), intent["payment_id"]) == 1


async def test_two_replicas_syncing_at_once_take_turns(
    stack: Stack, as_role: Callable[..., Headers], customer_id: str, mongo: Database
) -> None:
    syncs = [wire(app.state).events_sync for app in stack.replicas]
    await set_disabled(stack.emulator, True)
    try:
        order, intent = await browser_payment(stack, as_role("sales"), customer_id)
        rounds = await asyncio.gather(*(sync.sync_once() for sync in syncs))
    finally:
        await set_disabled(stack.emulator, False)

    assert sum(1 for r in rounds if r.ran) >= 1
    assert await order_status(stack, as_role("sales"), order["id"]) == "paid"
    # Each event stored and applied once, whichever replica found it.
    events = await mongo[INBOX].find({"object_id": intent["payment_intent_id"]}).to_list()
    assert [e["type"] for e in events].count("payment_intent.succeeded") == 1
    assert await completed_transitions(stack, as_role("admin"), intent["payment_id"]) == 1


async def test_the_endpoint_check_sees_stripe_stop_sending(stack: Stack) -> None:
    """What start-up, readiness and the dashboard report, asked of Stripe (the emulator)."""
    check = stack.replicas[0].state.webhook_endpoint_check
    assert (await check.check(fresh=True)).status == "ok"
    await set_disabled(stack.emulator, True)
    try:
        disabled = await check.check(fresh=True)
    finally:
        await set_disabled(stack.emulator, False)
    assert (disabled.status, disabled.endpoint_id) == ("disabled", endpoint_id(stack.emulator))
    assert (await check.check(fresh=True)).status == "ok"


async def test_events_sent_nowhere_at_all_are_recovered_too(
    stack: Stack, as_role: Callable[..., Headers], customer_id: str
) -> None:
    """Last in the module: the endpoint is deleted for good."""
    sales = as_role("sales")
    stack.emulator.control("DELETE", f"/webhook_endpoints/{endpoint_id(stack.emulator)}")
    order, intent = await browser_payment(stack, sales, customer_id)
    made = await stripe_post(
        stack.emulator,
        "/v1/refunds",
        {"payment_intent": intent["payment_intent_id"], "amount": 1000},
    )
    await settled_at_stripe(stack.emulator, made["id"])
    ready = (await stack.client.get("/health/ready")).json()
    assert ready["status"] == "ready"
    missing = await stack.replicas[0].state.webhook_endpoint_check.check(fresh=True)
    assert missing.status == "missing"

    await wire(stack.replicas[0].state).events_sync.sync_once()

    after = await get_order(stack.client, sales, order["id"])
    assert (after["amount_paid"], after["amount_refunded"]) == (100, 10)
    assert after["payment_status"] == "partially_refunded"
    fresh = await stripe_get(stack.emulator, f"/v1/payment_intents/{intent['payment_intent_id']}")
    assert fresh["status"] == "succeeded"


async def settled_at_stripe(emulator: Emulator, refund_id: str) -> None:
    async def succeeded() -> bool:
        return (await stripe_get(emulator, f"/v1/refunds/{refund_id}"))["status"] == "succeeded"

    await eventually(succeeded)


async def completed_transitions(stack: Stack, admin: Headers, payment_id: str) -> int:
    audit = await stack.client.get("/api/v1/audit", params={"entity_id": payment_id}, headers=admin)
    return sum(
        1
        for e in audit.json()
        if e["action"] == "payment.status_changed" and e["after"]["status"] == "completed"
    )


async def _is(stack: Stack, sales: Headers, order_id: str, status: str) -> bool:
    return await order_status(stack, sales, order_id) == status
