"""Crash points of issue 12: the process dies (or the task is cancelled) after each write of
refund create, of each settling webhook's apply and of the reconciler; then the caller's retry
with the same Idempotency-Key and the background jobs run, and the refunds match Stripe's."""

import asyncio
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any

import pytest

from app.audit.schemas import STRIPE_ACTOR
from app.composition import services
from tests.integration.conftest import Headers
from tests.integration.crash_points import Mode, count_writes, crashing, run_until_crash
from tests.integration.refunds.settled import assert_refunds_settled
from tests.integration.stripe_support import (
    Emulator,
    FaultyStripe,
    PaidOrder,
    card_payment_method,
    paid_order,
    refund,
)

MODES: list[Mode] = ["crash", "cancel"]
SETTLE_WAIT_SECONDS = 0.6  # the suite's emulator settles pending refunds after 0.3 s
Step = Callable[[], Awaitable[Any]]


async def _reconcile(faulty: FaultyStripe) -> None:
    await services(faulty.app.state).refund_reconciler.reconcile(stale_after=timedelta(0))


def _finance(as_role: Callable[..., Headers], key: str | None = None) -> Headers:
    headers = as_role("finance")
    return {**headers, "Idempotency-Key": key} if key else headers


@pytest.mark.parametrize("mode", MODES)
async def test_refund_create_recovers_from_a_crash_after_any_write(
    faulty: FaultyStripe,
    faults: Emulator,
    as_role: Callable[..., Headers],
    customer_id: str,
    mode: Mode,
) -> None:
    async def fresh(tag: str) -> tuple[PaidOrder, Step]:
        paid = await paid_order(
            faulty.api, faults, as_role("sales"), f"{customer_id}-{tag}", "50.00"
        )
        headers = _finance(as_role, f"crash-{customer_id}-{tag}")
        return paid, lambda: refund(faulty.api, headers, paid.payment["id"], amount="20")

    paid, step = await fresh("count")
    writes = await count_writes(faulty.app, step)
    assert writes >= 5
    for point in range(1, writes + 1):
        paid, step = await fresh(str(point))
        with crashing(faulty.app, point, mode):
            await run_until_crash(step())

        retried = await step()

        assert retried.status_code == 201, (point, retried.text)
        assert retried.json()["status"] == "succeeded", (point, retried.json())
        await _reconcile(faulty)
        (at_stripe,) = await assert_refunds_settled(
            faulty.app.state.database, faults, paid.payment["id"]
        )
        assert at_stripe["metadata"]["refund_id"] == retried.json()["id"]


async def _lost_answer(
    faulty: FaultyStripe, faults: Emulator, as_role: Callable[..., Headers], customer: str
) -> tuple[PaidOrder, dict[str, Any]]:
    """A refund Stripe made whose answer never came back: pending and reserved here."""
    paid = await paid_order(faulty.api, faults, as_role("sales"), customer, "50.00")
    faults.set_faults(drop_count=3, drop_phase="after")
    lost = await refund(faulty.api, _finance(as_role), paid.payment["id"], amount="20")
    assert lost.status_code == 503
    faults.clear_faults()
    (stripe_refund,) = faults.refunds_for_intent(paid.intent["payment_intent_id"])
    return paid, stripe_refund


async def _pending_at_stripe(
    faulty: FaultyStripe, faults: Emulator, as_role: Callable[..., Headers], customer: str
) -> tuple[PaidOrder, dict[str, Any]]:
    """A refund Stripe reported pending, that Stripe has settled since (refund.updated)."""
    card = await card_payment_method(faults, "4000000000007726")
    paid = await paid_order(faulty.api, faults, as_role("sales"), customer, "50.00", card)
    made = await refund(faulty.api, _finance(as_role), paid.payment["id"], amount="20")
    assert made.json()["status"] == "pending"
    await asyncio.sleep(SETTLE_WAIT_SECONDS)
    (stripe_refund,) = faults.refunds_for_intent(paid.intent["payment_intent_id"])
    assert stripe_refund["status"] == "succeeded"
    return paid, stripe_refund


SETTLERS = {
    "refund.created": _lost_answer,
    "refund.updated": _pending_at_stripe,
    "charge.refunded": _lost_answer,
}


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("event_type", sorted(SETTLERS))
async def test_a_settling_webhook_recovers_from_a_crash_after_any_write(
    faulty: FaultyStripe,
    faults: Emulator,
    as_role: Callable[..., Headers],
    customer_id: str,
    event_type: str,
    mode: Mode,
) -> None:
    async def fresh(tag: str) -> tuple[PaidOrder, Step]:
        paid, stripe_refund = await SETTLERS[event_type](
            faulty, faults, as_role, f"{customer_id}-{tag}"
        )

        async def apply() -> Any:
            service = services(faulty.app.state).refunds
            if event_type == "charge.refunded":
                return await service.sync_charge_refunds(
                    {"id": stripe_refund["charge"]}, STRIPE_ACTOR
                )
            return await service.sync_stripe_refund(stripe_refund, STRIPE_ACTOR)

        return paid, apply

    paid, step = await fresh("count")
    writes = await count_writes(faulty.app, step)
    assert writes >= 3
    for point in range(1, writes + 1):
        paid, step = await fresh(str(point))
        with crashing(faulty.app, point, mode):
            await run_until_crash(step())

        await step()  # the inbox sweep applies the stored event again
        await _reconcile(faulty)

        (at_stripe,) = await assert_refunds_settled(
            faulty.app.state.database, faults, paid.payment["id"]
        )
        assert at_stripe["status"] == "succeeded"


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("made_at_stripe", [True, False])
async def test_the_reconciler_recovers_from_a_crash_after_any_write(
    faulty: FaultyStripe,
    faults: Emulator,
    as_role: Callable[..., Headers],
    customer_id: str,
    made_at_stripe: bool,
    mode: Mode,
) -> None:
    async def fresh(tag: str) -> tuple[PaidOrder, Step]:
        paid = await paid_order(
            faulty.api, faults, as_role("sales"), f"{customer_id}-{tag}", "50.00"
        )
        faults.set_faults(drop_count=3, drop_phase="after" if made_at_stripe else "before")
        await refund(faulty.api, _finance(as_role), paid.payment["id"], amount="20")
        faults.clear_faults()
        return paid, lambda: _reconcile(faulty)

    paid, step = await fresh("count")
    writes = await count_writes(faulty.app, step)
    assert writes >= 2
    for point in range(1, writes + 1):
        paid, step = await fresh(str(point))
        with crashing(faulty.app, point, mode):
            await run_until_crash(step())

        await step()  # the next round

        at_stripe = await assert_refunds_settled(
            faulty.app.state.database, faults, paid.payment["id"]
        )
        assert len(at_stripe) == (1 if made_at_stripe else 0)
