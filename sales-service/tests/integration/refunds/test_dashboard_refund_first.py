"""A refund made in the Stripe Dashboard whose event arrives before its payment's own news (the
intent's webhook lost): the refund's apply first brings the payment up to date from Stripe.
Crash points after each of its writes, and a twin event applied at the same moment, end with the
payment completed, the refund recorded once and the order's figures Stripe's."""

import asyncio
from collections.abc import Callable
from typing import Any

import pytest

from app.audit.schemas import STRIPE_ACTOR
from app.composition import services
from tests.integration.conftest import Headers
from tests.integration.crash_points import Mode, count_writes, crashing, run_until_crash
from tests.integration.money.invariants import settle, violations
from tests.integration.refunds.settled import assert_refunds_settled
from tests.integration.stripe_support import (
    Emulator,
    FaultyStripe,
    create_intent,
    create_order,
    pay_as_browser,
)

MODES: list[Mode] = ["crash", "cancel"]


async def refunded_at_stripe_only(
    faulty: FaultyStripe, emulator: Emulator, sales: Headers, customer_id: str
) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
    """An order paid and partly refunded at Stripe, of which this service has heard nothing."""
    order = await create_order(faulty.api, sales, customer_id, total="30.00")
    made = (await create_intent(faulty.api, sales, order["id"])).json()
    await pay_as_browser(emulator, made["payment_intent_id"], made["client_secret"])
    stripe_refund = await emulator.secret_client().v1.refunds.create_async(
        {"payment_intent": made["payment_intent_id"], "amount": 1000}
    )
    return order, made, stripe_refund.to_dict()


async def assert_settled(faulty: FaultyStripe, order: dict[str, Any], made: dict[str, Any]) -> None:
    database = faulty.app.state.database
    (at_stripe,) = await assert_refunds_settled(database, faulty.emulator, made["payment_id"])
    assert at_stripe["amount"] == 1000
    payment = await database.payments.find_one({"_id": made["payment_id"]})
    assert payment["status"] == "completed"
    order_now = await database.orders.find_one({"_id": order["id"]})
    assert (order_now["amount_paid_minor"], order_now["payment_status"]) == (
        3000,
        "partially_refunded",
    )
    assert await violations(faulty.app, faulty.emulator, order["id"]) == []


@pytest.mark.parametrize("mode", MODES)
async def test_a_crash_after_any_write_heals_on_the_events_retry(
    faulty: FaultyStripe,
    faults: Emulator,
    as_role: Callable[..., Headers],
    customer_id: str,
    mode: Mode,
) -> None:
    sales = as_role("sales")

    def apply(stripe_refund: dict[str, Any]) -> Any:
        return services(faulty.app.state).refunds.sync_stripe_refund(stripe_refund, STRIPE_ACTOR)

    _, _, first = await refunded_at_stripe_only(faulty, faults, sales, f"{customer_id}-count")
    writes = await count_writes(faulty.app, lambda: apply(first))
    assert writes >= 4  # the payment, its order, the refund record, the ledger, the audits
    for point in range(1, writes + 1):
        order, made, stripe_refund = await refunded_at_stripe_only(
            faulty, faults, sales, f"{customer_id}-{point}"
        )
        with crashing(faulty.app, point, mode):
            await run_until_crash(apply(stripe_refund))

        await apply(stripe_refund)  # the inbox applies the stored event again
        await settle(faulty.app)

        await assert_settled(faulty, order, made)


async def test_twin_events_at_once_record_the_refund_once(
    faulty: FaultyStripe, faults: Emulator, as_role: Callable[..., Headers], customer_id: str
) -> None:
    order, made, stripe_refund = await refunded_at_stripe_only(
        faulty, faults, as_role("sales"), customer_id
    )
    refunds = services(faulty.app.state).refunds

    await asyncio.gather(
        *(refunds.sync_stripe_refund(stripe_refund, STRIPE_ACTOR) for _ in range(3))
    )

    await assert_settled(faulty, order, made)
