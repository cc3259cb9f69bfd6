"""Canceling a payment, whatever Stripe knows of it (issue 22): one never sent to Stripe, one
whose create's answer was lost (an intent may exist), and one whose intent is on record. A crash
after each write, and answers lost after Stripe acted on every call the cancel and the repair
job make: a payment never sent is never sent by any path, a payment that may have an intent is
closed only on Stripe's answer for its key, and every intent at Stripe naming a payment ends on
its record or canceled (`violations`)."""

from collections.abc import AsyncIterator, Callable
from datetime import timedelta
from typing import Any

import httpx
import pytest
from pymongo.asynchronous.database import AsyncDatabase

from app.core.settings import Settings
from tests.integration.conftest import Headers
from tests.integration.crash_points import Crash, crashing, run_until_crash
from tests.integration.money.invariants import payment_of, settle, violations
from tests.integration.money.sweeps import sweep
from tests.integration.money.worlds import (
    cancel,
    lost_answers_left,
    only_payment,
    refused_before_stripe,
)
from tests.integration.stripe_support import (
    FaultyStripe,
    create_intent,
    create_order,
    faulty_stripe,
)

LOST_AFTER = {"drop_phase": "after"}
INTENTS = "/v1/payment_intents"


@pytest.fixture(scope="module")
async def faulty(
    mongo: AsyncDatabase[dict[str, Any]],
    settings_for: Callable[..., Settings],
    database_name: str,
) -> AsyncIterator[FaultyStripe]:
    """No repair job in the background: only the tests' own rounds call Stripe, so a fault's
    count of lost answers is spent where the test means."""
    async for stack in faulty_stripe(
        mongo, settings_for, database_name, payment_repair_interval_seconds=0
    ):
        yield stack


@pytest.fixture
def sales(as_role: Callable[..., Headers]) -> Headers:
    return as_role("sales")


# -- never sent to Stripe -----------------------------------------------------------------------


async def died_before_sending(
    faulty: FaultyStripe, sales: Headers, customer_id: str, key: str
) -> dict[str, Any]:
    """A create-intent killed after taking its commitment, just before the mark that comes
    before any create: the payment is pending, holds the order, and was never sent."""
    order = await create_order(faulty.api, sales, customer_id, total="62.00")
    headers = {**sales, "Idempotency-Key": key}

    async def die_at_the_mark(collection: str, method: str) -> None:
        if (collection, method) == ("payments", "update_one"):
            raise Crash("killed before the mark")

    with crashing(faulty.app, None, before_write=die_at_the_mark):
        assert await run_until_crash(create_intent(faulty.api, headers, order["id"])) is None
    payment = await only_payment(faulty, sales, order["id"])
    assert (payment["status"], payment["payment_intent_id"]) == ("pending", None)
    return {"order": order, "payment_id": payment["id"], "headers": headers}


async def assert_never_sent(faulty: FaultyStripe, world: dict[str, Any], status: str) -> None:
    payment = await payment_of(faulty.app, world["payment_id"])
    assert (payment["status"], payment["intent_closed"], payment["sent_to_stripe"]) == (
        status,
        True,
        False,
    )
    assert payment.get("check_after") is None  # nothing left for the repair job
    assert faulty.emulator.intents_for_payment(world["payment_id"]) == []
    order = await faulty.app.state.database.orders.find_one({"_id": world["order"]["id"]})
    assert world["payment_id"] not in order["commitments"]


async def test_a_crash_canceling_a_payment_refused_before_stripe(
    faulty: FaultyStripe, sales: Headers, customer_id: str
) -> None:
    async def operation(world: dict[str, Any]) -> httpx.Response:
        return await cancel(faulty, sales, world["payment_id"])

    async def check(world: dict[str, Any]) -> None:
        await assert_never_sent(faulty, world, "canceled")

    await sweep(faulty, lambda: refused_before_stripe(faulty, sales, customer_id), operation, check)


async def test_a_payment_refused_before_stripe_is_sent_by_no_path_while_answers_are_lost(
    faulty: FaultyStripe, sales: Headers, customer_id: str
) -> None:
    """Every answer lost after Stripe acted: had any path sent a create, Stripe would hold an
    intent for the payment now."""
    world = await refused_before_stripe(faulty, sales, customer_id, key=f"refused-{customer_id}")
    faulty.emulator.set_faults(drop_rate=1.0, **LOST_AFTER)

    retried = await create_intent(
        faulty.api, world["headers"], world["order"]["id"], amount="61.00"
    )
    assert retried.status_code == 422, retried.text  # the caller's retry: the same refusal
    await settle(faulty.app)  # the repair job
    canceled = await cancel(faulty, sales, world["payment_id"])
    assert (canceled.status_code, canceled.json()["status"]) == (200, "canceled")
    await settle(faulty.app)

    faulty.emulator.clear_faults()  # to read what Stripe holds
    await assert_never_sent(faulty, world, "canceled")
    assert await violations(faulty.app, faulty.emulator, world["order"]["id"]) == []


async def test_a_crash_canceling_a_payment_whose_request_died_before_sending(
    faulty: FaultyStripe, sales: Headers, customer_id: str
) -> None:
    counter = iter(range(1000))

    async def prepare() -> dict[str, Any]:
        key = f"died-{customer_id}-{next(counter)}"
        return await died_before_sending(faulty, sales, customer_id, key)

    async def operation(world: dict[str, Any]) -> httpx.Response:
        return await cancel(faulty, sales, world["payment_id"])

    async def check(world: dict[str, Any]) -> None:
        await assert_never_sent(faulty, world, "canceled")
        retried = await create_intent(faulty.api, world["headers"], world["order"]["id"])
        assert retried.status_code == 409, retried.text  # canceled: never sent now
        assert faulty.emulator.intents_for_payment(world["payment_id"]) == []

    await sweep(faulty, prepare, operation, check)


async def test_the_repair_job_closes_a_payment_never_sent_without_asking_stripe(
    faulty: FaultyStripe, sales: Headers, customer_id: str
) -> None:
    world = await died_before_sending(faulty, sales, customer_id, f"abandoned-{customer_id}")
    faulty.emulator.set_faults(drop_rate=1.0, **LOST_AFTER)

    await settle(faulty.app)
    retried = await create_intent(faulty.api, world["headers"], world["order"]["id"])
    assert retried.status_code == 409, retried.text  # the caller's retry comes too late

    faulty.emulator.clear_faults()  # to read what Stripe holds
    await assert_never_sent(faulty, world, "canceled")
    payment = await payment_of(faulty.app, world["payment_id"])
    assert payment["cancellation_reason"] == "abandoned"
    assert await violations(faulty.app, faulty.emulator, world["order"]["id"]) == []


# -- unknown outcome: the create's answer was lost after Stripe made the intent -----------------


async def create_answer_lost(
    faulty: FaultyStripe, sales: Headers, customer_id: str
) -> dict[str, Any]:
    order = await create_order(faulty.api, sales, customer_id, total="63.00")
    faulty.emulator.set_faults(drop_count=3, **LOST_AFTER)  # the call and the SDK's two retries
    lost = await create_intent(faulty.api, sales, order["id"])
    faulty.emulator.clear_faults()
    assert lost.status_code == 503, lost.text
    payment = await only_payment(faulty, sales, order["id"])
    assert (payment["status"], payment["payment_intent_id"]) == ("pending", None)
    (made,) = faulty.emulator.intents_for_payment(payment["id"])
    return {"order": order, "payment_id": payment["id"], "intent_id": made["id"]}


async def assert_closed_by_stripe(faulty: FaultyStripe, world: dict[str, Any]) -> None:
    (intent,) = faulty.emulator.intents_for_payment(world["payment_id"])
    assert (intent["id"], intent["status"]) == (world["intent_id"], "canceled")
    payment = await payment_of(faulty.app, world["payment_id"])
    assert (payment["status"], payment["intent_closed"], payment["payment_intent_id"]) == (
        "canceled",
        True,
        world["intent_id"],
    )
    order = await faulty.app.state.database.orders.find_one({"_id": world["order"]["id"]})
    assert (order["committed_minor"], order["commitments"]) == (0, {})


async def assert_open_to_the_repair_job(faulty: FaultyStripe, world: dict[str, Any]) -> None:
    """Canceled here, but not closed: Stripe has not answered for the payment's key."""
    payment = await payment_of(faulty.app, world["payment_id"])
    assert (payment["status"], payment["intent_closed"]) == ("canceled", False)
    assert payment["check_after"] is not None
    order = await faulty.app.state.database.orders.find_one({"_id": world["order"]["id"]})
    assert world["payment_id"] in order["commitments"]


async def test_a_crash_canceling_a_payment_whose_create_answer_was_lost(
    faulty: FaultyStripe, sales: Headers, customer_id: str
) -> None:
    async def operation(world: dict[str, Any]) -> httpx.Response:
        return await cancel(faulty, sales, world["payment_id"])

    async def check(world: dict[str, Any]) -> None:
        await assert_closed_by_stripe(faulty, world)

    await sweep(faulty, lambda: create_answer_lost(faulty, sales, customer_id), operation, check)


@pytest.mark.parametrize("lost", ["the create under the payment's key", "the cancel"])
async def test_a_lost_answer_while_canceling_a_payment_whose_create_answer_was_lost(
    faulty: FaultyStripe, sales: Headers, customer_id: str, lost: str
) -> None:
    world = await create_answer_lost(faulty, sales, customer_id)
    prefix = INTENTS if lost.startswith("the create") else f"{INTENTS}/{world['intent_id']}/cancel"
    faulty.emulator.set_faults(drop_count=3, path_prefix=prefix, **LOST_AFTER)

    canceled = await cancel(faulty, sales, world["payment_id"])

    assert lost_answers_left(faulty) == 0  # every attempt of that call lost its answer
    assert (canceled.status_code, canceled.json()["status"]) == (200, "canceled")
    await assert_open_to_the_repair_job(faulty, world)
    faulty.emulator.clear_faults()
    await settle(faulty.app)
    await assert_closed_by_stripe(faulty, world)
    assert await violations(faulty.app, faulty.emulator, world["order"]["id"]) == []


async def test_a_payment_stays_open_while_every_repair_answer_is_lost(
    faulty: FaultyStripe, sales: Headers, customer_id: str
) -> None:
    world = await create_answer_lost(faulty, sales, customer_id)
    faulty.emulator.set_faults(drop_count=3, path_prefix=INTENTS, **LOST_AFTER)
    assert (await cancel(faulty, sales, world["payment_id"])).status_code == 200
    faulty.emulator.set_faults(drop_rate=1.0, drop_count=0, path_prefix="/v1/", **LOST_AFTER)

    await settle(faulty.app)  # every call of the repair job ran at Stripe; no answer came back

    await assert_open_to_the_repair_job(faulty, world)
    faulty.emulator.clear_faults()
    await settle(faulty.app, later=timedelta(hours=10))  # its next check, after those failures
    await assert_closed_by_stripe(faulty, world)
    assert await violations(faulty.app, faulty.emulator, world["order"]["id"]) == []


async def test_the_repair_job_closes_a_payment_whose_request_died_after_stripe_made_its_intent(
    faulty: FaultyStripe, sales: Headers, customer_id: str
) -> None:
    world = await create_answer_lost(faulty, sales, customer_id)

    await settle(faulty.app)

    (intent,) = faulty.emulator.intents_for_payment(world["payment_id"])
    assert intent["status"] == "canceled"
    payment = await payment_of(faulty.app, world["payment_id"])
    assert (payment["status"], payment["intent_closed"], payment["payment_intent_id"]) == (
        "canceled",
        True,
        intent["id"],
    )
    assert await violations(faulty.app, faulty.emulator, world["order"]["id"]) == []


# -- open: the intent is on record ---------------------------------------------------------------


async def open_payment(faulty: FaultyStripe, sales: Headers, customer_id: str) -> dict[str, Any]:
    order = await create_order(faulty.api, sales, customer_id, total="64.00")
    made = (await create_intent(faulty.api, sales, order["id"])).json()
    return {
        "order": order,
        "payment_id": made["payment_id"],
        "intent_id": made["payment_intent_id"],
        "made": made,
    }


async def test_a_lost_cancel_answer_on_an_open_payment(
    faulty: FaultyStripe, sales: Headers, customer_id: str
) -> None:
    world = await open_payment(faulty, sales, customer_id)
    prefix = f"{INTENTS}/{world['intent_id']}/cancel"
    faulty.emulator.set_faults(drop_count=3, path_prefix=prefix, **LOST_AFTER)

    lost = await cancel(faulty, sales, world["payment_id"])

    assert lost.status_code == 503, lost.text
    payment = await payment_of(faulty.app, world["payment_id"])
    assert (payment["status"], payment["intent_closed"]) == ("pending", False)
    faulty.emulator.clear_faults()
    retried = await cancel(faulty, sales, world["payment_id"])
    assert (retried.status_code, retried.json()["status"]) == (200, "canceled")
    await assert_closed_by_stripe(faulty, world)
    assert await violations(faulty.app, faulty.emulator, world["order"]["id"]) == []


async def test_a_lost_cancel_answer_on_an_open_payment_settled_by_the_repair_job(
    faulty: FaultyStripe, sales: Headers, customer_id: str
) -> None:
    world = await open_payment(faulty, sales, customer_id)
    prefix = f"{INTENTS}/{world['intent_id']}/cancel"
    faulty.emulator.set_faults(drop_count=3, path_prefix=prefix, **LOST_AFTER)
    assert (await cancel(faulty, sales, world["payment_id"])).status_code == 503
    faulty.emulator.clear_faults()

    await settle(faulty.app)

    await assert_closed_by_stripe(faulty, world)
    assert await violations(faulty.app, faulty.emulator, world["order"]["id"]) == []
