"""Refund events are checked against the refund Stripe holds and the payment it is of.

A refund we hold no record of (made in the Stripe Dashboard) is recorded only when Stripe has it,
on our payment's intent, in its currency, of money the payment took; one that arrives before its
payment's own news is checked against the payment as Stripe has it."""

from collections.abc import Callable

from httpx import AsyncClient

from tests.integration.conftest import Headers
from tests.integration.stripe_support import Emulator, get_order, pay_as_browser
from tests.integration.webhooks.events import refund, stripe_event
from tests.integration.webhooks.lookups import payment_of, stripe_post
from tests.integration.webhooks.processing import Inbox, deliver_and_process
from tests.integration.webhooks.test_forged_events import (
    assert_rejected,
    paid_here,
    pending_payment,
)


async def test_a_dashboard_refund_before_its_payments_news_records_both(
    stripe_webhook_client: AsyncClient,
    quiet_emulator: Emulator,
    as_role: Callable[..., Headers],
    customer_id: str,
    inbox: Inbox,
) -> None:
    """The intent's webhook was lost: the refund's event alone brings the payment up to date
    from Stripe, then records the refund of it."""
    client, sales = stripe_webhook_client, as_role("sales")
    order, intent = await pending_payment(client, sales, customer_id)
    await pay_as_browser(quiet_emulator, intent["payment_intent_id"], intent["client_secret"])
    dashboard_refund = await stripe_post(
        quiet_emulator,
        "/v1/refunds",
        {"payment_intent": intent["payment_intent_id"], "amount": "300"},
    )

    event = stripe_event("refund.created", dashboard_refund)

    assert await deliver_and_process(client, inbox, event) == "applied"
    payment = await payment_of(client, sales, intent["payment_id"])
    assert (payment["status"], payment["amount_refunded_minor"]) == ("completed", 300)
    assert [r["requested_by"] for r in payment["refunds"]] == ["stripe-dashboard"]
    after = await get_order(client, sales, order["id"])
    assert (after["payment_status"], after["amount_paid_minor"]) == ("partially_refunded", 1000)
    assert after["amount_refunded_minor"] == 300


async def test_a_refund_event_on_a_never_paid_payment_moves_nothing(
    stripe_webhook_client: AsyncClient,
    as_role: Callable[..., Headers],
    customer_id: str,
    inbox: Inbox,
) -> None:
    client, sales, admin = stripe_webhook_client, as_role("sales"), as_role("admin")
    order, intent = await pending_payment(client, sales, customer_id)
    forged = refund(f"re_unpaid_{intent['payment_id'][-12:]}", intent["payment_intent_id"])

    event = stripe_event("refund.created", forged)

    await assert_rejected(client, inbox, event, "unknown_at_stripe", order["id"], admin)
    payment = await payment_of(client, sales, intent["payment_id"])
    assert (payment["status"], payment["amount_refunded_minor"], payment["refunds"]) == (
        "pending",
        0,
        [],
    )
    assert (await get_order(client, sales, order["id"]))["payment_status"] == "unpaid"


async def test_a_refund_event_claiming_more_than_stripes_refund_moves_nothing(
    stripe_webhook_client: AsyncClient,
    quiet_emulator: Emulator,
    as_role: Callable[..., Headers],
    customer_id: str,
    inbox: Inbox,
) -> None:
    """A real refund's id, with the amount and currency changed in the event."""
    client, sales, admin = stripe_webhook_client, as_role("sales"), as_role("admin")
    order, intent = await paid_here(client, quiet_emulator, inbox, sales, customer_id)
    dashboard_refund = await stripe_post(
        quiet_emulator,
        "/v1/refunds",
        {"payment_intent": intent["payment_intent_id"], "amount": "100"},
    )
    forged = {**dashboard_refund, "amount": 99_999_900, "currency": "eur"}

    event = stripe_event("refund.created", forged)

    await assert_rejected(client, inbox, event, "event_differs_from_stripe", order["id"], admin)
    payment = await payment_of(client, sales, intent["payment_id"])
    assert (payment["amount_refunded_minor"], payment["refunds"]) == (0, [])
    assert (await get_order(client, sales, order["id"]))["payment_status"] == "paid"
