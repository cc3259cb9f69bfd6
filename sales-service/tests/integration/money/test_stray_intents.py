"""Intents at Stripe naming one of our payments that cannot hold them (I2, I4, I5): what the old
cancel of a payment refused before Stripe left behind (issue 22), found by its
`payment_intent.created` event (a webhook, or the events sync) and canceled at Stripe, even when
that cancel's answer is lost; one that took money is recorded."""

import json
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime
from typing import Any

import pytest
from pymongo.asynchronous.database import AsyncDatabase

from app.audit.schemas import STRIPE_ACTOR
from app.composition import services, wire
from app.core.settings import Settings
from app.infra.stripe_errors import StripeFailure
from app.payments.models import Payment
from app.payments.stripe_params import intent_create_params
from app.webhooks.schemas import StripeEvent
from app.webhooks.service import inbox_document
from app.webhooks.sweep import InboxSweep
from tests.integration.conftest import Headers
from tests.integration.money.invariants import payment_of, settle, violations
from tests.integration.money.worlds import refused_before_stripe
from tests.integration.stripe_support import (
    FaultyStripe,
    faulty_stripe,
    get_order,
    pay_as_browser,
)


@pytest.fixture(scope="module")
async def faulty(
    mongo: AsyncDatabase[dict[str, Any]],
    settings_for: Callable[..., Settings],
    database_name: str,
) -> AsyncIterator[FaultyStripe]:
    """No repair job in the background: a fault's lost answers are spent where the test means."""
    async for stack in faulty_stripe(
        mongo, settings_for, database_name, payment_repair_interval_seconds=0
    ):
        yield stack


@pytest.fixture
def sales(as_role: Callable[..., Headers]) -> Headers:
    return as_role("sales")


async def left_by_the_old_cancel(faulty: FaultyStripe, world: dict[str, Any]) -> dict[str, Any]:
    """What the old cancel did to a payment refused before Stripe: the create, sent under the
    payment's key and parameters, made an intent at Stripe that no record holds."""
    payment = Payment.from_document(await payment_of(faulty.app, world["payment_id"]))
    made = await services(faulty.app.state).stripe.create_payment_intent(
        intent_create_params(payment), idempotency_key=payment.id
    )
    assert made["status"] == "requires_payment_method"
    return made


async def apply_event_of(faulty: FaultyStripe, intent: dict[str, Any]) -> None:
    """Its `payment_intent.created` event, as a webhook or the events sync hands it on."""
    await services(faulty.app.state).payments.sync_intent(intent, STRIPE_ACTOR)


async def test_a_stray_intent_is_canceled_when_its_event_comes(
    faulty: FaultyStripe, sales: Headers, customer_id: str
) -> None:
    world = await refused_before_stripe(faulty, sales, customer_id)
    before = await payment_of(faulty.app, world["payment_id"])
    stray = await left_by_the_old_cancel(faulty, world)

    await apply_event_of(faulty, stray)

    (intent,) = faulty.emulator.intents_for_payment(world["payment_id"])
    assert (intent["id"], intent["status"]) == (stray["id"], "canceled")
    after = await payment_of(faulty.app, world["payment_id"])
    assert (after["version"], after["payment_intent_id"]) == (before["version"], None)
    audit = await faulty.app.state.database.audit.find_one(
        {"entity_id": world["payment_id"], "action": "payment.stray_intent_canceled"}
    )
    assert audit is not None
    assert audit["after"]["payment_intent_id"] == stray["id"]
    await settle(faulty.app)
    assert await violations(faulty.app, faulty.emulator, world["order"]["id"]) == []


async def test_a_lost_answer_canceling_a_stray_leaves_its_event_to_be_tried_again(
    faulty: FaultyStripe, sales: Headers, customer_id: str
) -> None:
    world = await refused_before_stripe(faulty, sales, customer_id)
    stray = await left_by_the_old_cancel(faulty, world)
    path = f"/v1/payment_intents/{stray['id']}/cancel"
    faulty.emulator.set_faults(drop_count=3, path_prefix=path, drop_phase="after")

    with pytest.raises(StripeFailure):  # the event stays in the inbox, to be applied again
        await apply_event_of(faulty, stray)

    faulty.emulator.clear_faults()
    await apply_event_of(faulty, stray)  # the retry: Stripe canceled it, nothing more to do
    (intent,) = faulty.emulator.intents_for_payment(world["payment_id"])
    assert intent["status"] == "canceled"
    assert await violations(faulty.app, faulty.emulator, world["order"]["id"]) == []


async def test_the_events_sync_finds_a_stray_no_webhook_delivered(
    faulty: FaultyStripe, sales: Headers, customer_id: str
) -> None:
    world = await refused_before_stripe(faulty, sales, customer_id)
    stray = await left_by_the_old_cancel(faulty, world)

    round_ = await wire(faulty.app.state).events_sync.sync_once()

    assert round_.ran
    (intent,) = faulty.emulator.intents_for_payment(world["payment_id"])
    assert (intent["id"], intent["status"]) == (stray["id"], "canceled")
    stored = await faulty.app.state.database.webhook_events.find_one(
        {"object_id": stray["id"], "type": "payment_intent.created"}
    )
    assert (stored["state"], stored["outcome"]) == ("processed", "applied")


async def test_a_stray_an_older_version_ignored_is_canceled_once_its_event_is_queued_again(
    faulty: FaultyStripe, sales: Headers, customer_id: str
) -> None:
    """The upgrade step in docs/payments.md: the `payment_intent.created` event an older version
    stored as ignored is set pending again, and the sweep applies it."""
    world = await refused_before_stripe(faulty, sales, customer_id)
    stray = await left_by_the_old_cancel(faulty, world)
    listed = await faulty.emulator.secret_client().v1.events.list_async(
        {"type": "payment_intent.created", "limit": 100}
    )
    (event,) = [e for e in listed.data if e.data.object["id"] == stray["id"]]
    payload = json.dumps(event.to_dict()).encode()
    now = datetime.now(UTC)
    ignored = inbox_document(
        StripeEvent.model_validate_json(payload), payload, now, owner=None, lease_until=now,
        attempts=1,
    )  # fmt: skip
    ignored.update(state="processed", outcome="ignored", processed_at=now)
    inbox = faulty.app.state.database.webhook_events
    await inbox.insert_one(ignored)

    await inbox.update_many(  # the upgrade step, as written in docs/payments.md
        {"state": "processed", "type": "payment_intent.created", "outcome": "ignored"},
        {
            "$set": {
                "state": "pending",
                "next_attempt_at": datetime.now(UTC),
                "lease_owner": None,
                "lease_until": datetime(1970, 1, 1, tzinfo=UTC),
            }
        },
    )
    services_now = wire(faulty.app.state)
    assert await InboxSweep(lambda: services_now.webhooks, 1).sweep_once() >= 1

    (intent,) = faulty.emulator.intents_for_payment(world["payment_id"])
    assert intent["status"] == "canceled"
    applied = await inbox.find_one({"_id": event.id})
    assert (applied["state"], applied["outcome"]) == ("processed", "applied")


async def test_money_a_stray_took_is_recorded_on_its_payment(
    faulty: FaultyStripe, sales: Headers, customer_id: str
) -> None:
    """I5: the customer somehow paid the intent the old cancel made before it was canceled."""
    world = await refused_before_stripe(faulty, sales, customer_id)
    stray = await left_by_the_old_cancel(faulty, world)
    await pay_as_browser(faulty.emulator, stray["id"], stray["client_secret"])
    paid = faulty.emulator.intents_for_payment(world["payment_id"])[0]
    assert paid["status"] == "succeeded"

    await apply_event_of(faulty, paid)

    payment = await payment_of(faulty.app, world["payment_id"])
    assert (payment["status"], payment["payment_intent_id"]) == ("completed", stray["id"])
    order = await get_order(faulty.api, sales, world["order"]["id"])
    assert order["amount_paid_minor"] == 2 * 6100  # both payments took the total: it shows
    await settle(faulty.app)
    assert await violations(faulty.app, faulty.emulator, world["order"]["id"]) == [
        f"I1: 12200 paid or payable on a total of {6100}"
    ]
