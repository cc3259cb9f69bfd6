"""sync_intent and sync_dispute, as the webhooks call them: idempotent, forward-only, racing
/confirm safely. Intents are the emulator's own JSON, as a webhook's `data.object` carries it."""

import asyncio
from collections.abc import Callable
from typing import Any

from fastapi import FastAPI
from httpx import AsyncClient
from pymongo.asynchronous.database import AsyncDatabase

from app.audit.schemas import STRIPE_ACTOR
from app.composition import services
from tests.integration.conftest import Headers
from tests.integration.stripe_support import (
    Emulator,
    confirm,
    create_intent,
    create_order,
    get_order,
    pay_as_browser,
)


async def _intent(emulator: Emulator, intent_id: str) -> dict[str, Any]:
    intent = await emulator.secret_client().v1.payment_intents.retrieve_async(intent_id)
    return intent.to_dict()


async def _audit_actions(mongo: AsyncDatabase[dict[str, Any]], entity_id: str) -> list[str]:
    cursor = mongo["audit"].find({"entity_id": entity_id}).sort("at", 1)
    return [entry["action"] async for entry in cursor]


async def test_the_same_succeeded_intent_five_times_is_applied_once(
    api: AsyncClient,
    stripe_app: FastAPI,
    emulator: Emulator,
    as_role: Callable[..., Headers],
    customer_id: str,
    mongo: AsyncDatabase[dict[str, Any]],
) -> None:
    sales = as_role("sales")
    order = await create_order(api, sales, customer_id, total="25.00")
    created = (await create_intent(api, sales, order["id"])).json()
    await pay_as_browser(emulator, created["payment_intent_id"], created["client_secret"])
    intent = await _intent(emulator, created["payment_intent_id"])
    service = services(stripe_app.state).payments

    results = await asyncio.gather(*(service.sync_intent(intent, STRIPE_ACTOR) for _ in range(5)))

    assert {result.status.value for result in results if result} == {"completed"}
    payment = await service.get(created["payment_id"])
    assert [step.to_status.value for step in payment.history] == ["completed"]
    assert payment.card is not None
    assert payment.card.last4 == "4242"
    actions = await _audit_actions(mongo, created["payment_id"])
    assert actions == ["payment.intent_created", "payment.status_changed"]
    paid = await get_order(api, sales, order["id"])
    assert (paid["amount_paid_minor"], paid["payment_status"]) == (2500, "paid")


async def test_a_late_failure_does_not_undo_a_completed_payment(
    api: AsyncClient,
    stripe_app: FastAPI,
    emulator: Emulator,
    as_role: Callable[..., Headers],
    customer_id: str,
) -> None:
    sales = as_role("sales")
    order = await create_order(api, sales, customer_id, total="26.00")
    created = (await create_intent(api, sales, order["id"])).json()
    await pay_as_browser(
        emulator, created["payment_intent_id"], created["client_secret"], "pm_card_chargeDeclined"
    )
    failed_snapshot = await _intent(emulator, created["payment_intent_id"])
    await pay_as_browser(emulator, created["payment_intent_id"], created["client_secret"])
    succeeded_snapshot = await _intent(emulator, created["payment_intent_id"])
    service = services(stripe_app.state).payments

    await service.sync_intent(succeeded_snapshot, STRIPE_ACTOR)
    late = await service.sync_intent(failed_snapshot, STRIPE_ACTOR)

    assert late is not None
    assert (late.status.value, late.failure) == ("completed", None)
    assert (await get_order(api, sales, order["id"]))["payment_status"] == "paid"


async def test_confirm_and_webhook_racing_count_the_payment_once(
    api: AsyncClient,
    stripe_app: FastAPI,
    emulator: Emulator,
    as_role: Callable[..., Headers],
    customer_id: str,
) -> None:
    sales = as_role("sales")
    order = await create_order(api, sales, customer_id, total="200.00")
    created = (await create_intent(api, sales, order["id"], amount="120.00")).json()
    await pay_as_browser(emulator, created["payment_intent_id"], created["client_secret"])
    intent = await _intent(emulator, created["payment_intent_id"])
    service = services(stripe_app.state).payments

    await asyncio.gather(
        *(confirm(api, sales, created, order["id"]) for _ in range(3)),
        *(service.sync_intent(intent, STRIPE_ACTOR) for _ in range(3)),
    )

    payment = await service.get(created["payment_id"])
    assert [step.to_status.value for step in payment.history] == ["completed"]
    racing = await get_order(api, sales, order["id"])
    assert (racing["amount_paid_minor"], racing["outstanding_minor"]) == (12000, 8000)
    assert racing["payment_status"] == "partially_paid"


async def test_an_event_before_create_intent_stored_the_intent_finds_it_by_metadata(
    api: AsyncClient,
    stripe_app: FastAPI,
    emulator: Emulator,
    as_role: Callable[..., Headers],
    customer_id: str,
    mongo: AsyncDatabase[dict[str, Any]],
) -> None:
    sales = as_role("sales")
    order = await create_order(api, sales, customer_id, total="33.00")
    created = (await create_intent(api, sales, order["id"])).json()
    await pay_as_browser(emulator, created["payment_intent_id"], created["client_secret"])
    # As if create-intent had not yet written the intent id when the event came.
    await mongo["payments"].update_one(
        {"_id": created["payment_id"]},
        {"$set": {"payment_intent_id": None, "client_secret": None}},
    )
    service = services(stripe_app.state).payments

    synced = await service.sync_intent(
        await _intent(emulator, created["payment_intent_id"]), STRIPE_ACTOR
    )

    assert synced is not None
    assert (synced.id, synced.status.value) == (created["payment_id"], "completed")
    assert synced.payment_intent_id == created["payment_intent_id"]
    assert synced.client_secret == created["client_secret"]


async def test_intents_that_are_not_ours_are_none(stripe_app: FastAPI, emulator: Emulator) -> None:
    stranger = await emulator.secret_client().v1.payment_intents.create_async(
        {"amount": 999, "currency": "usd", "metadata": {"payment_id": "pay_" + "1" * 32}}
    )
    service = services(stripe_app.state).payments

    assert await service.sync_intent(stranger.to_dict(), STRIPE_ACTOR) is None
    assert await service.sync_intent({"object": "payment_intent"}, STRIPE_ACTOR) is None


async def test_a_dispute_marks_the_order_disputed_until_it_is_won(
    api: AsyncClient,
    stripe_app: FastAPI,
    emulator: Emulator,
    as_role: Callable[..., Headers],
    customer_id: str,
) -> None:
    sales = as_role("sales")
    order = await create_order(api, sales, customer_id, total="75.00")
    created = (await create_intent(api, sales, order["id"])).json()
    await pay_as_browser(emulator, created["payment_intent_id"], created["client_secret"])
    await confirm(api, sales, created, order["id"])
    intent = await _intent(emulator, created["payment_intent_id"])
    opened = emulator.control(
        "POST", f"/charges/{intent['latest_charge']}/dispute", json={"reason": "fraudulent"}
    )
    service = services(stripe_app.state).payments

    disputed = await service.sync_dispute(opened, STRIPE_ACTOR)

    assert disputed is not None
    assert (await get_order(api, sales, order["id"]))["payment_status"] == "disputed"
    closed = emulator.control("POST", f"/disputes/{opened['id']}/close", json={"outcome": "won"})
    await service.sync_dispute(closed, STRIPE_ACTOR)
    await service.sync_dispute(opened, STRIPE_ACTOR)  # a late `created` cannot reopen it
    assert (await get_order(api, sales, order["id"]))["payment_status"] == "paid"
    detail = (
        await api.get(f"/api/v1/payments/stripe/payments/{created['payment_id']}", headers=sales)
    ).json()
    assert detail["disputes"] == [
        {
            "id": opened["id"],
            "status": "won",
            "reason": "fraudulent",
            "amount": 75,
            "amount_minor": 7500,
        }
    ]
