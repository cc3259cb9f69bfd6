"""End to end: an emulator of the test's own delivers real signed webhooks to the service on a
port, and the order moves without anyone calling /confirm."""

from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass
from functools import partial
from typing import Any

import pytest
from httpx import AsyncClient
from pymongo.asynchronous.database import AsyncDatabase

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


@dataclass
class LiveStack:
    emulator: Emulator
    client: AsyncClient


@pytest.fixture(scope="module")
def live_port() -> int:
    """Chosen first: the emulator must know where to deliver before the app starts."""
    return closed_port()


@pytest.fixture(scope="module")
def delivering_emulator(live_port: int) -> Iterator[Emulator]:
    webhook = f"http://127.0.0.1:{live_port}{WEBHOOK_PATH}={CURRENT_SECRET}"
    server = Emulator(webhooks=[webhook]).start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
async def live(
    mongo: AsyncDatabase[dict[str, Any]],
    settings_for: Callable[..., Settings],
    delivering_emulator: Emulator,
    live_port: int,
) -> AsyncIterator[LiveStack]:
    settings = settings_for(
        **stripe_settings(delivering_emulator),
        stripe_webhook_secret=CURRENT_SECRET,
        webhook_sweep_interval_seconds=1,
    )
    served = ServedApp(create_app(settings), live_port)
    served.start()
    try:
        async with AsyncClient(base_url=served.url, timeout=30) as client:
            yield LiveStack(delivering_emulator, client)
    finally:
        served.stop()


async def paid_by_browser(
    live: LiveStack, sales: Headers, customer_id: str, card: str = "pm_card_visa"
) -> tuple[dict[str, Any], dict[str, Any]]:
    order = await create_order(live.client, sales, customer_id)
    created = await create_intent(live.client, sales, order["id"])
    assert created.status_code == 200, created.text
    intent = created.json()
    await pay_as_browser(live.emulator, intent["payment_intent_id"], intent["client_secret"], card)

    async def order_paid() -> dict[str, Any] | None:
        current = await get_order(live.client, sales, order["id"])
        return current if current["payment_status"] == "paid" else None

    return await eventually(order_paid), intent


async def test_a_browser_payment_reaches_the_order_by_webhook(
    live: LiveStack,
    as_role: Callable[..., Headers],
    customer_id: str,
    mongo: AsyncDatabase[dict[str, Any]],
) -> None:
    sales = as_role("sales")
    order, intent = await paid_by_browser(live, sales, customer_id)
    assert (order["amount_paid"], order["outstanding"]) == (100, 0)

    payment = await payment_of(live.client, sales, intent["payment_id"])
    assert (payment["status"], payment["card"]) == ("completed", {"brand": "visa", "last4": "4242"})
    events = await eventually(partial(all_processed, mongo, intent["payment_intent_id"], 2))
    assert {(e["type"], e["state"], e["outcome"]) for e in events} == {
        ("payment_intent.created", "processed", "applied"),
        ("payment_intent.succeeded", "processed", "applied"),
    }
    deliveries = live.emulator.control("GET", "/deliveries")["data"]
    ours = {event["_id"] for event in events}
    assert {d["status"] for d in deliveries if d["event_id"] in ours} == {"succeeded"}


async def test_a_dashboard_refund_shows_up_on_the_order(
    live: LiveStack, as_role: Callable[..., Headers], customer_id: str
) -> None:
    sales = as_role("sales")
    order, intent = await paid_by_browser(live, sales, customer_id)
    # Made in the Stripe Dashboard: straight at Stripe, not through our refund endpoint.
    made = await stripe_post(
        live.emulator,
        "/v1/refunds",
        {"payment_intent": intent["payment_intent_id"], "amount": 3000},
    )

    async def settled() -> dict[str, Any] | None:
        # Events are applied after their answers, each object's in turn: wait for the last.
        payment = await payment_of(live.client, sales, intent["payment_id"])
        statuses = [refund["status"] for refund in payment["refunds"]]
        return payment if statuses == ["succeeded"] else None

    payment = await eventually(settled)
    current = await get_order(live.client, sales, order["id"])
    assert (current["payment_status"], current["amount_refunded"]) == ("partially_refunded", 30)
    assert payment["amount_refunded"] == 30
    assert [(r["stripe_refund_id"], r["amount"], r["status"]) for r in payment["refunds"]] == [
        (made["id"], 30, "succeeded")
    ]


async def test_a_dispute_marks_the_order_disputed(
    live: LiveStack, as_role: Callable[..., Headers], customer_id: str
) -> None:
    sales = as_role("sales")
    order, intent = await paid_by_browser(live, sales, customer_id)
    stripe_intent = await stripe_get(
        live.emulator, f"/v1/payment_intents/{intent['payment_intent_id']}"
    )
    live.emulator.control(
        "POST", f"/charges/{stripe_intent['latest_charge']}/dispute", json={"reason": "fraudulent"}
    )

    async def disputed() -> dict[str, Any] | None:
        current = await get_order(live.client, sales, order["id"])
        return current if current["payment_status"] == "disputed" else None

    assert (await eventually(disputed))["amount_paid"] == 100


async def test_duplicated_and_shuffled_deliveries_count_the_payment_once(
    live: LiveStack,
    as_role: Callable[..., Headers],
    customer_id: str,
    mongo: AsyncDatabase[dict[str, Any]],
) -> None:
    """Stripe delivers at least once and in no set order: a declined card, then a good one."""
    live.emulator.set_faults(webhook_duplicate_rate=1, webhook_shuffle=True, seed=7)
    try:
        sales = as_role("sales")
        order = await create_order(live.client, sales, customer_id)
        intent = (await create_intent(live.client, sales, order["id"])).json()
        intent_id, secret = intent["payment_intent_id"], intent["client_secret"]
        await pay_as_browser(live.emulator, intent_id, secret, "pm_card_chargeDeclined")
        await pay_as_browser(live.emulator, intent_id, secret, "pm_card_visa")

        async def all_delivered() -> list[dict[str, Any]] | None:
            deliveries = live.emulator.control("GET", "/deliveries")["data"]
            mine = [d for d in deliveries if d["event_type"].startswith("payment_intent.")]
            events = await all_processed(mongo, intent_id, 3)
            ids = {event["_id"] for event in events or []}
            done = [d for d in mine if d["event_id"] in ids and d["status"] == "succeeded"]
            return events if len(done) == 6 else None

        events = await eventually(all_delivered)
    finally:
        live.emulator.clear_faults()
    assert sorted(e["type"] for e in events) == [
        "payment_intent.created",
        "payment_intent.payment_failed",
        "payment_intent.succeeded",
    ]
    assert {e["attempts"] for e in events} == {1}
    current = await get_order(live.client, sales, order["id"])
    assert (current["payment_status"], current["amount_paid"]) == ("paid", 100)
    payment = await payment_of(live.client, sales, intent["payment_id"])
    assert payment["status"] == "completed"


async def all_processed(
    mongo: AsyncDatabase[dict[str, Any]], object_id: str, count: int
) -> list[dict[str, Any]] | None:
    """The object's events once `count` are stored and all processed (after their answers)."""
    events = await mongo[INBOX].find({"object_id": object_id}).to_list()
    done = len(events) == count and all(event["state"] == "processed" for event in events)
    return events if done else None
