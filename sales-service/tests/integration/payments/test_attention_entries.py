"""The needs-attention list shows what a person must look at, each entry while it is so: an open
dispute, a refund Stripe has kept pending for over a day, money Stripe took on a payment canceled
here. (Rejected events and intents changed at Stripe: tests/integration/webhooks.)"""

import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from httpx import AsyncClient

from app.audit.schemas import STRIPE_ACTOR
from app.composition import services
from app.webhooks.schemas import StripeEvent
from tests.integration.conftest import Headers
from tests.integration.stripe_support import (
    Emulator,
    FaultyStripe,
    create_intent,
    create_order,
    paid_order,
    pay_as_browser,
    refund,
)
from tests.integration.webhooks.events import stripe_event

ATTENTION = "/api/v1/payments/stripe/attention"


async def entries_for(client: AsyncClient, headers: Headers, payment_id: str) -> list[Any]:
    response = await client.get(ATTENTION, params={"page_size": 100}, headers=headers)
    assert response.status_code == 200, response.text
    return [item for item in response.json()["items"] if item.get("payment_id") == payment_id]


async def as_stripe_sends(faulty: FaultyStripe, event_type: str, stripe_object: Any) -> None:
    """The event through the webhook's own path (stored, applied, recorded), as the events sync
    feeds one."""
    event = stripe_event(event_type, stripe_object)
    receipt = await services(faulty.app.state).webhooks.ingest(
        StripeEvent.model_validate(event), json.dumps(event).encode()
    )
    assert receipt.outcome == "applied", receipt


async def test_an_open_dispute_is_listed_until_it_closes(
    faulty: FaultyStripe, faults: Emulator, as_role: Callable[..., Headers], customer_id: str
) -> None:
    paid = await paid_order(faulty.api, faults, as_role("sales"), customer_id, "60.00")
    finance = as_role("finance")
    intent = await faults.secret_client().v1.payment_intents.retrieve_async(
        paid.intent["payment_intent_id"]
    )
    opened = faults.control(
        "POST", f"/charges/{intent.latest_charge}/dispute", json={"amount": 6000}
    )
    await as_stripe_sends(faulty, "charge.dispute.created", opened)

    listed = await entries_for(faulty.api, finance, paid.payment["id"])
    assert [(item["kind"], item.get("order_id")) for item in listed] == [
        ("dispute_open", paid.order["id"])
    ]

    closed = faults.control("POST", f"/disputes/{opened['id']}/close", json={"outcome": "won"})
    await as_stripe_sends(faulty, "charge.dispute.closed", closed)
    assert await entries_for(faulty.api, finance, paid.payment["id"]) == []


async def test_a_refund_pending_at_stripe_over_a_day_is_listed(
    faulty: FaultyStripe, faults: Emulator, as_role: Callable[..., Headers], customer_id: str
) -> None:
    paid = await paid_order(faulty.api, faults, as_role("sales"), customer_id, "50.00")
    finance = as_role("finance")
    faults.set_faults(drop_count=3, drop_phase="after")  # made at Stripe, every answer lost
    lost = await refund(faulty.api, finance, paid.payment["id"], amount="20")
    faults.clear_faults()
    assert lost.status_code == 503
    assert await entries_for(faulty.api, finance, paid.payment["id"]) == []  # not a day yet

    a_day_ago = datetime.now(UTC) - timedelta(days=1, minutes=1)
    await faulty.app.state.database.refunds.update_many(
        {"payment_id": paid.payment["id"]}, {"$set": {"created_at": a_day_ago}}
    )

    listed = await entries_for(faulty.api, finance, paid.payment["id"])
    assert [item["kind"] for item in listed] == ["refund_pending_at_stripe"]


async def test_money_taken_after_a_cancel_here_is_listed(
    faulty: FaultyStripe, as_role: Callable[..., Headers], customer_id: str
) -> None:
    sales, admin = as_role("sales"), as_role("admin")
    order = await create_order(faulty.api, sales, customer_id, total="30.00")
    made = (await create_intent(faulty.api, sales, order["id"])).json()
    await pay_as_browser(faulty.emulator, made["payment_intent_id"], made["client_secret"])
    # Our record says canceled (a cancel that raced the customer's payment).
    await faulty.app.state.database.payments.update_one(
        {"_id": made["payment_id"]},
        {"$set": {"status": "canceled", "open_order_key": made["payment_id"]}},
    )
    (intent,) = faulty.emulator.intents_for_payment(made["payment_id"])

    await services(faulty.app.state).payments.sync_intent(intent, STRIPE_ACTOR)

    listed = await entries_for(faulty.api, admin, made["payment_id"])
    assert [item["kind"] for item in listed] == ["succeeded_after_cancel"]
