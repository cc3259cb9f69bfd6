"""I1: an order is never charged above its total, whatever a create-intent read before it
took its amount; I3: figures heal on the next look; I5: money Stripe took is recorded."""

import asyncio
from collections.abc import Callable
from datetime import timedelta

from app.audit.schemas import STRIPE_ACTOR
from app.composition import services
from tests.integration.conftest import Headers
from tests.integration.crash_points import Pause, pausing
from tests.integration.money.invariants import payment_of, settle, violations
from tests.integration.stripe_support import (
    FaultyStripe,
    confirm,
    create_intent,
    create_order,
    get_order,
    pay_as_browser,
)


async def test_a_create_intent_that_read_a_stale_outstanding_cannot_charge_twice(
    faulty: FaultyStripe, as_role: Callable[..., Headers], customer_id: str
) -> None:
    sales = as_role("sales")
    order = await create_order(faulty.api, sales, customer_id, total="676.29")
    first = (await create_intent(faulty.api, sales, order["id"])).json()
    await pay_as_browser(faulty.emulator, first["payment_intent_id"], first["client_secret"])

    # The second request reads the order (676.29 outstanding) and is held before its insert;
    # meanwhile the first payment completes and frees the order's open-payment slot.
    pause = Pause("payments", "insert_one")
    with pausing(faulty.app, pause):
        second = asyncio.create_task(create_intent(faulty.api, sales, order["id"], amount="676.29"))
        await asyncio.wait_for(pause.reached.wait(), 20)
        confirmed = await asyncio.wait_for(confirm(faulty.api, sales, first, order["id"]), 20)
        assert confirmed.status_code == 200
        pause.release()
        answer = await asyncio.wait_for(second, 20)

    assert answer.status_code == 422, answer.text
    assert answer.json()["error"]["details"][0]["type"] == "amount_exceeds_outstanding"
    paid = await get_order(faulty.api, sales, order["id"])
    assert (paid["amount_paid_minor"], paid["payment_status"]) == (67629, "paid")
    await settle(faulty.app)
    assert await violations(faulty.app, faulty.emulator, order["id"]) == []


async def test_deposits_fill_the_total_and_no_more(
    faulty: FaultyStripe, as_role: Callable[..., Headers], customer_id: str
) -> None:
    sales = as_role("sales")
    order = await create_order(faulty.api, sales, customer_id, total="607.19")
    deposit = (await create_intent(faulty.api, sales, order["id"], amount="300.00")).json()
    await pay_as_browser(faulty.emulator, deposit["payment_intent_id"], deposit["client_secret"])
    assert (await confirm(faulty.api, sales, deposit, order["id"])).status_code == 200

    rest = await create_intent(faulty.api, sales, order["id"])
    assert rest.status_code == 200
    assert rest.json()["amount_minor"] == 30719
    document = await faulty.app.state.database.orders.find_one({"_id": order["id"]})
    assert document["committed_minor"] == 60719


async def test_a_payment_canceled_while_its_intent_was_being_made_is_never_payable(
    faulty: FaultyStripe, as_role: Callable[..., Headers], customer_id: str
) -> None:
    sales = as_role("sales")
    order = await create_order(faulty.api, sales, customer_id, total="55.00")
    key = {"Idempotency-Key": f"cancel-race-{customer_id}"}

    # Stripe has answered; the intent is held before it is stored on the payment (the first
    # update is the mark that the payment is sent to Stripe).
    pause = Pause("payments", "update_one", skip=1)
    with pausing(faulty.app, pause):
        creating = asyncio.create_task(create_intent(faulty.api, {**sales, **key}, order["id"]))
        await asyncio.wait_for(pause.reached.wait(), 20)
        listed = await faulty.api.get(
            "/api/v1/payments/stripe/payments", params={"order_id": order["id"]}, headers=sales
        )
        payment_id = listed.json()["items"][0]["id"]
        canceled = await faulty.api.post(
            f"/api/v1/payments/stripe/cancel/{payment_id}", headers=sales
        )
        pause.release()
        created = await asyncio.wait_for(creating, 20)

    assert canceled.status_code == 200, canceled.text
    assert created.status_code == 409, created.text
    replay = await create_intent(faulty.api, {**sales, **key}, order["id"])
    assert replay.status_code == 409
    assert "client_secret" not in replay.text
    (intent,) = faulty.emulator.intents_for_payment(payment_id)
    assert intent["status"] == "canceled"
    await settle(faulty.app)
    document = await faulty.app.state.database.orders.find_one({"_id": order["id"]})
    assert (document["committed_minor"], document["commitments"]) == (0, {})
    assert await violations(faulty.app, faulty.emulator, order["id"]) == []


async def test_a_payment_canceled_before_it_was_sent_to_stripe_is_never_sent(
    faulty: FaultyStripe, as_role: Callable[..., Headers], customer_id: str
) -> None:
    sales = as_role("sales")
    order = await create_order(faulty.api, sales, customer_id, total="56.00")
    key = {"Idempotency-Key": f"cancel-unsent-{customer_id}"}

    # The commitment is taken; the mark that comes before the create is held.
    pause = Pause("payments", "update_one")
    with pausing(faulty.app, pause):
        creating = asyncio.create_task(create_intent(faulty.api, {**sales, **key}, order["id"]))
        await asyncio.wait_for(pause.reached.wait(), 20)
        listed = await faulty.api.get(
            "/api/v1/payments/stripe/payments", params={"order_id": order["id"]}, headers=sales
        )
        payment_id = listed.json()["items"][0]["id"]
        canceled = await faulty.api.post(
            f"/api/v1/payments/stripe/cancel/{payment_id}", headers=sales
        )
        pause.release()
        created = await asyncio.wait_for(creating, 20)

    assert canceled.status_code == 200, canceled.text
    assert created.status_code == 409, created.text
    replay = await create_intent(faulty.api, {**sales, **key}, order["id"])
    assert replay.status_code == 409
    payment = await payment_of(faulty.app, payment_id)
    assert (payment["status"], payment["intent_closed"], payment["sent_to_stripe"]) == (
        "canceled",
        True,
        False,
    )
    await settle(faulty.app)
    assert faulty.emulator.intents_for_payment(payment_id) == []
    document = await faulty.app.state.database.orders.find_one({"_id": order["id"]})
    assert (document["committed_minor"], document["commitments"]) == (0, {})
    assert await violations(faulty.app, faulty.emulator, order["id"]) == []


async def test_money_taken_on_a_payment_canceled_here_is_recorded_and_flagged(
    faulty: FaultyStripe, as_role: Callable[..., Headers], customer_id: str
) -> None:
    sales = as_role("sales")
    order = await create_order(faulty.api, sales, customer_id, total="40.00")
    made = (await create_intent(faulty.api, sales, order["id"])).json()
    await pay_as_browser(faulty.emulator, made["payment_intent_id"], made["client_secret"])
    # Our record says canceled (e.g. a cancel that raced the customer's payment).
    await faulty.app.state.database.payments.update_one(
        {"_id": made["payment_id"]},
        {"$set": {"status": "canceled", "open_order_key": made["payment_id"]}},
    )
    await faulty.app.state.database.orders.update_one(
        {"_id": order["id"]}, {"$set": {"commitments": {}, "committed_minor": 0}}
    )

    (intent,) = faulty.emulator.intents_for_payment(made["payment_id"])
    service = services(faulty.app.state).payments
    await service.sync_intent(intent, STRIPE_ACTOR)  # the `succeeded` webhook, as Stripe has it

    payment = await payment_of(faulty.app, made["payment_id"])
    assert payment["status"] == "completed"
    paid = await get_order(faulty.api, sales, order["id"])
    assert (paid["amount_paid_minor"], paid["payment_status"]) == (4000, "paid")
    audit = await faulty.app.state.database.audit.find_one(
        {"entity_id": made["payment_id"], "action": "payment.succeeded_after_cancel"}
    )
    assert audit is not None
    assert await violations(faulty.app, faulty.emulator, order["id"]) == []


async def test_the_repair_job_heals_an_order_left_stale_with_no_trigger(
    faulty: FaultyStripe, as_role: Callable[..., Headers], customer_id: str
) -> None:
    sales = as_role("sales")
    order = await create_order(faulty.api, sales, customer_id, total="12.00")
    made = (await create_intent(faulty.api, sales, order["id"])).json()
    await pay_as_browser(faulty.emulator, made["payment_intent_id"], made["client_secret"])
    assert (await confirm(faulty.api, sales, made, order["id"])).status_code == 200
    # As if the process died after the payment's write and before the order's.
    await faulty.app.state.database.orders.update_one(
        {"_id": order["id"]}, {"$set": {"amount_paid_minor": 0, "payment_status": "unpaid"}}
    )

    await settle(faulty.app)

    healed = await get_order(faulty.api, sales, order["id"])
    assert (healed["amount_paid_minor"], healed["payment_status"]) == (1200, "paid")


async def test_a_lost_webhook_is_recovered_by_asking_stripe(
    faulty: FaultyStripe, as_role: Callable[..., Headers], customer_id: str
) -> None:
    sales = as_role("sales")
    order = await create_order(faulty.api, sales, customer_id, total="13.00")
    made = (await create_intent(faulty.api, sales, order["id"])).json()
    await pay_as_browser(faulty.emulator, made["payment_intent_id"], made["client_secret"])
    # No /confirm and no webhook reach us: only the repair job can learn it.

    await settle(faulty.app)

    paid = await get_order(faulty.api, sales, order["id"])
    assert (paid["amount_paid_minor"], paid["payment_status"]) == (1300, "paid")


async def test_an_abandoned_3d_secure_is_canceled_and_the_order_no_longer_processing(
    faulty: FaultyStripe, as_role: Callable[..., Headers], customer_id: str
) -> None:
    """The customer left the bank's challenge open: the order said `processing` for ever."""
    sales = as_role("sales")
    order = await create_order(faulty.api, sales, customer_id, total="15.00")
    made = (await create_intent(faulty.api, sales, order["id"])).json()
    challenged = await pay_as_browser(
        faulty.emulator,
        made["payment_intent_id"],
        made["client_secret"],
        "pm_card_threeDSecure2Required",
    )
    assert challenged["status"] == "requires_action"
    await confirm(faulty.api, sales, made, order["id"])
    assert (await get_order(faulty.api, sales, order["id"]))["payment_status"] == "processing"

    await settle(faulty.app, later=timedelta(hours=25))  # no activity for a day

    payment = await payment_of(faulty.app, made["payment_id"])
    assert payment["status"] == "canceled"
    (intent,) = faulty.emulator.intents_for_payment(made["payment_id"])
    assert (intent["status"], intent["cancellation_reason"]) == ("canceled", "abandoned")
    after = await get_order(faulty.api, sales, order["id"])
    assert (after["payment_status"], after["amount_paid_minor"]) == ("unpaid", 0)
    assert await violations(faulty.app, faulty.emulator, order["id"]) == []


async def test_an_abandoned_intent_is_canceled_and_frees_its_order(
    faulty: FaultyStripe, as_role: Callable[..., Headers], customer_id: str
) -> None:
    sales = as_role("sales")
    order = await create_order(faulty.api, sales, customer_id, total="14.00")
    made = (await create_intent(faulty.api, sales, order["id"])).json()

    await settle(faulty.app, later=timedelta(hours=25))  # nobody paid it for a day

    payment = await payment_of(faulty.app, made["payment_id"])
    assert (payment["status"], payment["intent_closed"]) == ("canceled", True)
    (intent,) = faulty.emulator.intents_for_payment(made["payment_id"])
    assert (intent["status"], intent["cancellation_reason"]) == ("canceled", "abandoned")
    document = await faulty.app.state.database.orders.find_one({"_id": order["id"]})
    assert (document["committed_minor"], document["payment_status"]) == (0, "unpaid")
    audit = await faulty.app.state.database.audit.find_one(
        {
            "entity_id": made["payment_id"],
            "action": "payment.status_changed",
            "actor.type": "system",
        }
    )
    assert audit is not None
