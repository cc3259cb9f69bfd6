"""Events about our own payments, delivered signed to the service: applied once, forward only.

Intents are made and paid at the emulator as the browser would; the test then delivers the
events Stripe would send, built from the emulator's real snapshots of those intents.
"""

import asyncio
from collections.abc import Callable
from typing import Any

from httpx import AsyncClient
from pymongo.asynchronous.database import AsyncDatabase

from tests.integration.conftest import Headers
from tests.integration.stripe_support import (
    Emulator,
    confirm,
    create_intent,
    create_order,
    get_order,
    pay_as_browser,
)
from tests.integration.webhooks.events import deliver, payment_intent, stripe_event
from tests.integration.webhooks.lookups import audit_actions, payment_of, stripe_get, stripe_post
from tests.integration.webhooks.processing import Inbox, deliver_and_process, processed


async def snapshot(emulator: Emulator, intent_id: str) -> dict[str, Any]:
    return await stripe_get(emulator, f"/v1/payment_intents/{intent_id}")


async def new_intent(
    client: AsyncClient, headers: Headers, customer_id: str, total: str = "100.00"
) -> tuple[dict[str, Any], dict[str, Any]]:
    order = await create_order(client, headers, customer_id, total)
    created = await create_intent(client, headers, order["id"])
    assert created.status_code == 200, created.text
    return order, created.json()


async def test_the_same_succeeded_event_five_times_pays_once(
    stripe_webhook_client: AsyncClient,
    quiet_emulator: Emulator,
    as_role: Callable[..., Headers],
    customer_id: str,
    inbox: Inbox,
) -> None:
    client, sales = stripe_webhook_client, as_role("sales")
    order, intent = await new_intent(client, sales, customer_id)
    await pay_as_browser(quiet_emulator, intent["payment_intent_id"], intent["client_secret"])
    event = stripe_event(
        "payment_intent.succeeded", await snapshot(quiet_emulator, intent["payment_intent_id"])
    )

    answers = [(await deliver(client, event)).json() for _ in range(5)]

    assert [answer["status"] for answer in answers] == ["queued", *["duplicate"] * 4]
    assert (await processed(inbox, event["id"]))["outcome"] == "applied"
    paid = await get_order(client, sales, order["id"])
    assert (paid["payment_status"], paid["amount_paid"], paid["outstanding"]) == ("paid", 100, 0)
    payment = await payment_of(client, sales, intent["payment_id"])
    assert payment["status"] == "completed"
    assert payment["card"] == {"brand": "visa", "last4": "4242"}
    actions = await audit_actions(client, as_role("finance"), order["id"])
    assert actions.count("webhook.applied") == 1
    assert actions.count("payment.status_changed") == 1


async def test_a_late_payment_failed_leaves_the_payment_completed(
    stripe_webhook_client: AsyncClient,
    quiet_emulator: Emulator,
    as_role: Callable[..., Headers],
    customer_id: str,
    inbox: Inbox,
) -> None:
    """A first card is declined, a second succeeds; Stripe delivers the failure last."""
    client, sales = stripe_webhook_client, as_role("sales")
    order, intent = await new_intent(client, sales, customer_id)
    intent_id, secret = intent["payment_intent_id"], intent["client_secret"]
    await pay_as_browser(quiet_emulator, intent_id, secret, "pm_card_chargeDeclined")
    failed = stripe_event(
        "payment_intent.payment_failed", await snapshot(quiet_emulator, intent_id)
    )
    await pay_as_browser(quiet_emulator, intent_id, secret, "pm_card_visa")
    succeeded = stripe_event("payment_intent.succeeded", await snapshot(quiet_emulator, intent_id))

    assert await deliver_and_process(client, inbox, succeeded) == "applied"
    await deliver_and_process(client, inbox, failed)

    payment = await payment_of(client, sales, intent["payment_id"])
    assert (payment["status"], payment["failure"]) == ("completed", None)
    paid = await get_order(client, sales, order["id"])
    assert (paid["payment_status"], paid["amount_paid"]) == ("paid", 100)


async def test_confirm_and_webhook_racing_count_each_payment_once(
    stripe_webhook_client: AsyncClient,
    quiet_emulator: Emulator,
    as_role: Callable[..., Headers],
    customer_id: str,
    inbox: Inbox,
) -> None:
    client, sales = stripe_webhook_client, as_role("sales")
    paid_intents = []
    for _ in range(5):
        order, intent = await new_intent(client, sales, customer_id, total="40.00")
        await pay_as_browser(quiet_emulator, intent["payment_intent_id"], intent["client_secret"])
        event = stripe_event(
            "payment_intent.succeeded", await snapshot(quiet_emulator, intent["payment_intent_id"])
        )
        paid_intents.append((order, intent, event))

    races = await asyncio.gather(
        *(
            asyncio.gather(confirm(client, sales, intent, order["id"]), deliver(client, event))
            for order, intent, event in paid_intents
        )
    )

    for (order, _, event), (confirmed, delivered) in zip(paid_intents, races, strict=True):
        assert (confirmed.status_code, delivered.status_code) == (200, 200)
        assert confirmed.json()["status"] == "completed"
        await processed(inbox, event["id"])
        totals = await get_order(client, sales, order["id"])
        assert (totals["payment_status"], totals["amount_paid"]) == ("paid", 40)
        actions = await audit_actions(client, as_role("finance"), order["id"])
        assert actions.count("payment.status_changed") == 1


async def test_an_event_before_create_intent_stored_the_intent_id_is_matched_by_metadata(
    stripe_webhook_client: AsyncClient,
    quiet_emulator: Emulator,
    as_role: Callable[..., Headers],
    customer_id: str,
    mongo: AsyncDatabase[dict[str, Any]],
    inbox: Inbox,
) -> None:
    client, sales = stripe_webhook_client, as_role("sales")
    order, intent = await new_intent(client, sales, customer_id)
    await pay_as_browser(quiet_emulator, intent["payment_intent_id"], intent["client_secret"])
    # The window between creating the intent at Stripe and storing its id on our payment.
    await mongo["payments"].update_one(
        {"_id": intent["payment_id"]}, {"$set": {"payment_intent_id": None}}
    )
    stripe_intent = await snapshot(quiet_emulator, intent["payment_intent_id"])
    assert stripe_intent["metadata"]["payment_id"] == intent["payment_id"]

    event = stripe_event("payment_intent.succeeded", stripe_intent)

    assert await deliver_and_process(client, inbox, event) == "applied"
    payment = await payment_of(client, sales, intent["payment_id"])
    assert (payment["status"], payment["payment_intent_id"]) == (
        "completed",
        intent["payment_intent_id"],
    )
    assert (await get_order(client, sales, order["id"]))["payment_status"] == "paid"


async def test_events_about_objects_that_are_not_ours_are_acknowledged(
    stripe_webhook_client: AsyncClient, quiet_emulator: Emulator, inbox: Inbox
) -> None:
    """An intent, refund and dispute made at Stripe by someone else on the same account."""
    card_payment = {
        "amount": 2500,
        "currency": "usd",
        "payment_method": "pm_card_visa",
        "payment_method_types[]": "card",
        "confirm": "true",
    }
    foreign = await stripe_post(quiet_emulator, "/v1/payment_intents", card_payment)
    refund = await stripe_post(quiet_emulator, "/v1/refunds", {"payment_intent": foreign["id"]})
    events = [
        stripe_event("payment_intent.succeeded", foreign),
        stripe_event("refund.created", refund),
        stripe_event(
            "charge.dispute.created",
            {
                "id": "dp_foreign",
                "object": "dispute",
                "payment_intent": foreign["id"],
                "charge": foreign["latest_charge"],
                "amount": 2500,
                "status": "needs_response",
            },
        ),
        stripe_event("payment_intent.canceled", payment_intent(status="canceled")),
    ]
    outcomes = [await deliver_and_process(stripe_webhook_client, inbox, e) for e in events]
    assert outcomes == ["unmatched"] * 4
