"""Signed events that claim what Stripe does not hold, or name objects that are not ours: nothing
moves, and each is audited as `event_rejected`, counted, and listed for a person.

The signature is valid in every case (a compromised or misconfigured account, a replay): the
service trusts only what it fetches from Stripe."""

from collections.abc import Callable
from typing import Any

from httpx import AsyncClient
from prometheus_client import REGISTRY

from tests.integration.conftest import Headers
from tests.integration.stripe_support import (
    Emulator,
    create_intent,
    create_order,
    get_order,
    pay_as_browser,
)
from tests.integration.webhooks.events import deliver, refund, stripe_event
from tests.integration.webhooks.lookups import audit_actions, payment_of, stripe_get, stripe_post
from tests.integration.webhooks.processing import Inbox, deliver_and_process

ATTENTION = "/api/v1/payments/stripe/attention"


def rejected_count(event_type: str, reason: str) -> float:
    labels = {"type": event_type, "reason": reason}
    return REGISTRY.get_sample_value("erp_stripe_events_rejected_total", labels) or 0.0


async def pending_payment(
    client: AsyncClient, headers: Headers, customer_id: str, total: str = "10.00"
) -> tuple[dict[str, Any], dict[str, Any]]:
    order = await create_order(client, headers, customer_id, total)
    created = await create_intent(client, headers, order["id"])
    assert created.status_code == 200, created.text
    return order, created.json()


async def paid_at_stripe(
    client: AsyncClient, emulator: Emulator, sales: Headers, customer_id: str
) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
    """An order whose intent the browser paid, no news of it here yet; and the intent as
    Stripe holds it."""
    order, intent = await pending_payment(client, sales, customer_id)
    await pay_as_browser(emulator, intent["payment_intent_id"], intent["client_secret"])
    real = await stripe_get(emulator, f"/v1/payment_intents/{intent['payment_intent_id']}")
    return order, intent, real


async def paid_here(
    client: AsyncClient, emulator: Emulator, inbox: Inbox, sales: Headers, customer_id: str
) -> tuple[dict[str, Any], dict[str, Any]]:
    """An order paid at Stripe, the intent's `succeeded` event applied here."""
    order, intent, real = await paid_at_stripe(client, emulator, sales, customer_id)
    paid = stripe_event("payment_intent.succeeded", real)
    assert await deliver_and_process(client, inbox, paid) == "applied"
    return order, intent


async def attention_entry(client: AsyncClient, headers: Headers, event_id: str) -> dict[str, Any]:
    response = await client.get(ATTENTION, params={"page_size": 100}, headers=headers)
    assert response.status_code == 200, response.text
    found = [item for item in response.json()["items"] if item.get("event_id") == event_id]
    assert len(found) == 1, response.json()
    return found[0]


async def assert_rejected(
    client: AsyncClient,
    inbox: Inbox,
    event: dict[str, Any],
    reason: str,
    order_id: str | None,
    admin: Headers,
) -> None:
    before = rejected_count(event["type"], reason)
    assert await deliver_and_process(client, inbox, event) == "rejected"
    assert rejected_count(event["type"], reason) == before + 1
    entry = await attention_entry(client, admin, event["id"])
    assert (entry["kind"], entry["reason"]) == ("event_rejected", reason)
    audit = await client.get("/api/v1/audit", params={"entity_id": event["id"]}, headers=admin)
    assert [e["action"] for e in audit.json()] == ["event_rejected"]
    if order_id is not None:
        assert entry["order_id"] == order_id
        assert "event_rejected" in await audit_actions(client, admin, order_id)
    # Delivered again: still one entry, nothing more counted.
    again = await deliver(client, event)
    assert again.json()["status"] == "duplicate"
    await attention_entry(client, admin, event["id"])


async def test_forged_amounts_and_currency_on_a_pending_payment_move_nothing(
    stripe_webhook_client: AsyncClient,
    quiet_emulator: Emulator,
    as_role: Callable[..., Headers],
    customer_id: str,
    inbox: Inbox,
) -> None:
    client, sales, admin = stripe_webhook_client, as_role("sales"), as_role("admin")
    order, intent = await pending_payment(client, sales, customer_id)
    real = await stripe_get(quiet_emulator, f"/v1/payment_intents/{intent['payment_intent_id']}")

    for forged in ({"amount": 1}, {"amount": 10_000_000}, {"currency": "jpy"}):
        claimed = {**real, "status": "succeeded", "amount_received": real["amount"], **forged}
        event = stripe_event("payment_intent.succeeded", claimed)
        await assert_rejected(client, inbox, event, "event_differs_from_stripe", order["id"], admin)

    payment = await payment_of(client, sales, intent["payment_id"])
    assert payment["status"] == "pending"
    assert (await get_order(client, sales, order["id"]))["payment_status"] == "unpaid"


async def test_an_intent_we_never_created_cannot_bind_itself_to_a_payment(
    stripe_webhook_client: AsyncClient,
    as_role: Callable[..., Headers],
    customer_id: str,
    inbox: Inbox,
) -> None:
    client, sales, admin = stripe_webhook_client, as_role("sales"), as_role("admin")
    order, intent = await pending_payment(client, sales, customer_id)
    stranger = {
        "id": "pi_never_created_here_0001",
        "object": "payment_intent",
        "amount": 1000,
        "amount_received": 1000,
        "currency": "usd",
        "status": "succeeded",
        "livemode": False,
        "metadata": {"payment_id": intent["payment_id"], "order_id": order["id"]},
    }
    event = stripe_event("payment_intent.succeeded", stranger)
    await assert_rejected(client, inbox, event, "unknown_at_stripe", order["id"], admin)

    payment = await payment_of(client, sales, intent["payment_id"])
    assert (payment["status"], payment["payment_intent_id"]) == (
        "pending",
        intent["payment_intent_id"],
    )


async def test_an_intent_made_at_stripe_cannot_bind_itself_to_a_payment_stripe_refused(
    stripe_webhook_client: AsyncClient,
    quiet_emulator: Emulator,
    as_role: Callable[..., Headers],
    customer_id: str,
    inbox: Inbox,
) -> None:
    """Stripe refused the payment's own intent (below Stripe's minimum); an intent made at
    Stripe with the secret key and our payment's id in its metadata, then paid, stays not ours."""
    client, sales, admin = stripe_webhook_client, as_role("sales"), as_role("admin")
    order = await create_order(client, sales, customer_id, "0.10")
    refused = await create_intent(client, sales, order["id"])
    assert refused.status_code == 422, refused.text
    assert refused.json()["error"]["details"][0]["type"] == "amount_too_small"
    listed = await client.get(
        "/api/v1/payments/stripe/payments", params={"order_id": order["id"]}, headers=sales
    )
    (payment,) = listed.json()["items"]
    assert payment["payment_intent_id"] is None
    made = await stripe_post(
        quiet_emulator,
        "/v1/payment_intents",
        {
            "amount": "100",
            "currency": "usd",
            "payment_method": "pm_card_visa",
            "confirm": "true",
            "return_url": "https://example.com/back",
            "metadata[payment_id]": payment["id"],
            "metadata[order_id]": order["id"],
        },
    )
    assert made["status"] == "succeeded"

    event = stripe_event("payment_intent.succeeded", made)

    await assert_rejected(client, inbox, event, "intent_not_ours", order["id"], admin)
    after = await payment_of(client, sales, payment["id"])
    assert (after["payment_intent_id"], after["status"]) == (None, payment["status"])
    assert (await get_order(client, sales, order["id"]))["payment_status"] == "unpaid"


async def test_an_event_from_another_account_is_not_applied(
    stripe_webhook_client: AsyncClient,
    quiet_emulator: Emulator,
    as_role: Callable[..., Headers],
    customer_id: str,
    inbox: Inbox,
) -> None:
    client, sales, admin = stripe_webhook_client, as_role("sales"), as_role("admin")
    order, intent, real = await paid_at_stripe(client, quiet_emulator, sales, customer_id)
    event = stripe_event("payment_intent.succeeded", real, account="acct_someone_else")

    await assert_rejected(client, inbox, event, "foreign_account", None, admin)

    assert (await payment_of(client, sales, intent["payment_id"]))["status"] == "pending"
    assert (await get_order(client, sales, order["id"]))["payment_status"] == "unpaid"


async def test_a_live_mode_event_is_not_applied_by_a_test_mode_service(
    stripe_webhook_client: AsyncClient,
    quiet_emulator: Emulator,
    as_role: Callable[..., Headers],
    customer_id: str,
    inbox: Inbox,
) -> None:
    client, sales, admin = stripe_webhook_client, as_role("sales"), as_role("admin")
    _order, intent, real = await paid_at_stripe(client, quiet_emulator, sales, customer_id)
    event = stripe_event("payment_intent.succeeded", real, livemode=True)

    await assert_rejected(client, inbox, event, "livemode_mismatch", None, admin)

    assert (await payment_of(client, sales, intent["payment_id"]))["status"] == "pending"


async def test_a_forged_dispute_does_not_mark_the_order_disputed(
    stripe_webhook_client: AsyncClient,
    quiet_emulator: Emulator,
    as_role: Callable[..., Headers],
    customer_id: str,
    inbox: Inbox,
) -> None:
    client, sales, admin = stripe_webhook_client, as_role("sales"), as_role("admin")
    order, intent, real = await paid_at_stripe(client, quiet_emulator, sales, customer_id)
    paid = stripe_event("payment_intent.succeeded", real)
    assert await deliver_and_process(client, inbox, paid) == "applied"
    forged = {
        "id": "dp_forged_0001",
        "object": "dispute",
        "amount": 1000,
        "currency": "usd",
        "livemode": False,
        "payment_intent": intent["payment_intent_id"],
        "charge": real.get("latest_charge"),
        "status": "needs_response",
        "reason": "fraudulent",
    }

    event = stripe_event("charge.dispute.created", forged)
    await assert_rejected(client, inbox, event, "unknown_at_stripe", order["id"], admin)

    assert (await get_order(client, sales, order["id"]))["payment_status"] == "paid"


async def test_forged_refund_events_move_nothing_and_are_listed(
    stripe_webhook_client: AsyncClient,
    quiet_emulator: Emulator,
    as_role: Callable[..., Headers],
    customer_id: str,
    inbox: Inbox,
) -> None:
    client, sales, admin = stripe_webhook_client, as_role("sales"), as_role("admin")
    order, intent = await paid_here(client, quiet_emulator, inbox, sales, customer_id)

    for number, (amount, currency) in enumerate([(99_999_900, "eur"), (-500, "usd")]):
        forged = refund(
            f"re_forged_{number}_{intent['payment_id'][-8:]}",
            intent["payment_intent_id"],
            amount=amount,
            currency=currency,
        )
        event = stripe_event("refund.created", forged)
        await assert_rejected(client, inbox, event, "unknown_at_stripe", order["id"], admin)

    payment = await payment_of(client, sales, intent["payment_id"])
    assert payment["amount_refunded_minor"] == 0
    assert (await get_order(client, sales, order["id"]))["payment_status"] == "paid"


async def test_an_intent_changed_at_stripe_records_what_stripe_received(
    stripe_webhook_client: AsyncClient,
    quiet_emulator: Emulator,
    as_role: Callable[..., Headers],
    customer_id: str,
    inbox: Inbox,
) -> None:
    client, sales, admin = stripe_webhook_client, as_role("sales"), as_role("admin")
    order, intent = await pending_payment(client, sales, customer_id, total="500.00")
    intent_id = intent["payment_intent_id"]
    await stripe_post(quiet_emulator, f"/v1/payment_intents/{intent_id}", {"amount": "50"})
    await pay_as_browser(quiet_emulator, intent_id, intent["client_secret"])
    real = await stripe_get(quiet_emulator, f"/v1/payment_intents/{intent_id}")
    assert (real["status"], real["amount_received"]) == ("succeeded", 50)

    event = stripe_event("payment_intent.succeeded", real)

    assert await deliver_and_process(client, inbox, event) == "applied"
    payment = await payment_of(client, sales, intent["payment_id"])
    assert (payment["status"], payment["amount_minor"]) == ("completed", 50)
    after = await get_order(client, sales, order["id"])
    assert after["payment_status"] == "partially_paid"
    assert after["amount_paid_minor"] == 50
    listed = await client.get(ATTENTION, params={"page_size": 100}, headers=admin)
    flagged = [i for i in listed.json()["items"] if i.get("payment_id") == intent["payment_id"]]
    assert [i["kind"] for i in flagged] == ["amount_changed_at_stripe"]


async def test_the_attention_list_is_for_admin_and_finance_only(
    stripe_webhook_client: AsyncClient, as_role: Callable[..., Headers]
) -> None:
    client = stripe_webhook_client
    for role, status in (("admin", 200), ("finance", 200), ("sales", 403)):
        response = await client.get(ATTENTION, headers=as_role(role))
        assert response.status_code == status
    page = (await client.get(ATTENTION, params={"page_size": 1}, headers=as_role("finance"))).json()
    assert set(page) == {"items", "total", "page", "page_size"}
    assert len(page["items"]) <= 1
