"""Card payments end to end: create-intent, the browser confirming at the emulator, /confirm."""

from collections.abc import Callable

from httpx import AsyncClient

from tests.integration.conftest import Headers
from tests.integration.stripe_support import (
    Emulator,
    confirm,
    create_intent,
    create_order,
    get_order,
    pay_as_browser,
)


async def test_card_4242_completes_the_payment_and_pays_the_order(
    api: AsyncClient, emulator: Emulator, as_role: Callable[..., Headers], customer_id: str
) -> None:
    sales = as_role("sales")
    order = await create_order(api, sales, customer_id, total="149.99")

    created = await create_intent(api, sales, order["id"])
    assert created.status_code == 200
    intent = created.json()
    assert intent["amount"] == 149.99
    assert intent["amount_minor"] == 14999
    assert intent["currency"] == "usd"
    assert intent["status"] == "pending"
    assert intent["publishable_key"] == "pk_test_sales_service_suite_publishable"
    assert intent["client_secret"].startswith(f"{intent['payment_intent_id']}_secret_")

    await pay_as_browser(emulator, intent["payment_intent_id"], intent["client_secret"])
    confirmed = await confirm(api, sales, intent, order["id"])

    assert confirmed.status_code == 200
    payment = confirmed.json()
    assert payment["id"] == intent["payment_id"]
    assert payment["status"] == "completed"
    assert payment["card"] == {"brand": "visa", "last4": "4242"}
    assert payment["failure"] is None
    assert (payment["amount_refunded"], payment["refunds"]) == (0, [])
    assert (payment["refundable"], payment["refundable_minor"]) == (149.99, 14999)
    paid = await get_order(api, sales, order["id"])
    assert paid["payment_status"] == "paid"
    assert (paid["amount_paid_minor"], paid["outstanding_minor"]) == (14999, 0)
    assert paid["version"] == 2  # the payment's commitment, then the totals


async def test_deposit_then_balance(
    api: AsyncClient, emulator: Emulator, as_role: Callable[..., Headers], customer_id: str
) -> None:
    sales = as_role("sales")
    order = await create_order(api, sales, customer_id, total="500.00")

    deposit = (await create_intent(api, sales, order["id"], amount="150.00")).json()
    await pay_as_browser(emulator, deposit["payment_intent_id"], deposit["client_secret"])
    assert (await confirm(api, sales, deposit, order["id"])).json()["status"] == "completed"
    after_deposit = await get_order(api, sales, order["id"])
    assert after_deposit["payment_status"] == "partially_paid"
    assert (after_deposit["amount_paid"], after_deposit["outstanding"]) == (150, 350)

    balance = (await create_intent(api, sales, order["id"])).json()
    assert balance["amount_minor"] == 35000
    assert balance["payment_id"] != deposit["payment_id"]
    await pay_as_browser(emulator, balance["payment_intent_id"], balance["client_secret"])
    assert (await confirm(api, sales, balance, order["id"])).json()["status"] == "completed"
    paid = await get_order(api, sales, order["id"])
    assert paid["payment_status"] == "paid"
    assert (paid["amount_paid"], paid["outstanding"]) == (500, 0)

    nothing_left = await create_intent(api, sales, order["id"])
    assert nothing_left.status_code == 409
    assert nothing_left.json()["error"]["code"] == "order_already_paid"


async def test_declines_are_answers_with_the_reason_and_another_card_may_follow(
    api: AsyncClient, emulator: Emulator, as_role: Callable[..., Headers], customer_id: str
) -> None:
    sales = as_role("sales")
    order = await create_order(api, sales, customer_id, total="80.00")
    intent = (await create_intent(api, sales, order["id"])).json()

    await pay_as_browser(
        emulator, intent["payment_intent_id"], intent["client_secret"], "pm_card_chargeDeclined"
    )
    declined = await confirm(api, sales, intent, order["id"])
    assert declined.status_code == 200
    assert declined.json()["status"] == "failed"
    assert declined.json()["failure"] == {
        "code": "card_declined",
        "decline_code": "generic_decline",
        "message": "Your card was declined.",
    }

    await pay_as_browser(
        emulator,
        intent["payment_intent_id"],
        intent["client_secret"],
        "pm_card_chargeDeclinedInsufficientFunds",
    )
    short = (await confirm(api, sales, intent, order["id"])).json()
    assert short["status"] == "failed"
    assert short["failure"]["decline_code"] == "insufficient_funds"
    assert short["failure"]["message"] == "Your card has insufficient funds."
    assert (await get_order(api, sales, order["id"]))["payment_status"] == "unpaid"

    # The same intent is still open: asking again gives it back, and another card pays it.
    again = (await create_intent(api, sales, order["id"])).json()
    assert (again["payment_id"], again["status"]) == (intent["payment_id"], "failed")
    await pay_as_browser(emulator, intent["payment_intent_id"], intent["client_secret"])
    paid = (await confirm(api, sales, intent, order["id"])).json()
    assert (paid["status"], paid["failure"], paid["card"]["last4"]) == ("completed", None, "4242")

    detail = (await api.get(f"/api/v1/payments/stripe/payments/{paid['id']}", headers=sales)).json()
    steps = [(step["from_status"], step["to_status"], step["reason"]) for step in detail["history"]]
    assert steps == [
        ("pending", "failed", "generic_decline"),
        ("failed", "failed", "insufficient_funds"),
        ("failed", "completed", None),
    ]


async def test_3d_secure_requires_action_then_completes(
    api: AsyncClient, emulator: Emulator, as_role: Callable[..., Headers], customer_id: str
) -> None:
    sales = as_role("sales")
    order = await create_order(api, sales, customer_id, total="60.00")
    intent = (await create_intent(api, sales, order["id"])).json()

    answer = await pay_as_browser(
        emulator,
        intent["payment_intent_id"],
        intent["client_secret"],
        "pm_card_authenticationRequiredOnSetup",
    )
    assert answer["status"] == "requires_action"
    waiting = (await confirm(api, sales, intent, order["id"])).json()
    assert waiting["status"] == "requires_action"
    assert (await get_order(api, sales, order["id"]))["payment_status"] == "processing"

    emulator.complete_3ds(intent["payment_intent_id"])
    completed = (await confirm(api, sales, intent, order["id"])).json()
    assert completed["status"] == "completed"
    assert completed["card"] == {"brand": "visa", "last4": "3155"}
    assert (await get_order(api, sales, order["id"]))["payment_status"] == "paid"


async def test_cancel_an_open_payment(
    api: AsyncClient, emulator: Emulator, as_role: Callable[..., Headers], customer_id: str
) -> None:
    sales = as_role("sales")
    order = await create_order(api, sales, customer_id, total="40.00")
    intent = (await create_intent(api, sales, order["id"], amount="10.00")).json()

    canceled = await api.post(
        f"/api/v1/payments/stripe/cancel/{intent['payment_id']}", headers=sales
    )
    assert canceled.status_code == 200
    assert canceled.json()["status"] == "canceled"
    at_stripe = await emulator.secret_client().v1.payment_intents.retrieve_async(
        intent["payment_intent_id"]
    )
    assert at_stripe.status == "canceled"
    again = await api.post(f"/api/v1/payments/stripe/cancel/{intent['payment_id']}", headers=sales)
    assert (again.status_code, again.json()["status"]) == (200, "canceled")

    # The order is free for a payment of another amount now.
    other = await create_intent(api, sales, order["id"], amount="40.00")
    assert other.status_code == 200
    assert other.json()["payment_id"] != intent["payment_id"]
    assert (await get_order(api, sales, order["id"]))["payment_status"] == "unpaid"


async def test_a_completed_payment_cannot_be_canceled(
    api: AsyncClient, emulator: Emulator, as_role: Callable[..., Headers], customer_id: str
) -> None:
    sales = as_role("sales")
    order = await create_order(api, sales, customer_id, total="15.00")
    intent = (await create_intent(api, sales, order["id"])).json()
    await pay_as_browser(emulator, intent["payment_intent_id"], intent["client_secret"])
    await confirm(api, sales, intent, order["id"])

    refused = await api.post(
        f"/api/v1/payments/stripe/cancel/{intent['payment_id']}", headers=sales
    )

    assert refused.status_code == 409
    assert refused.json()["error"]["code"] == "payment_not_cancelable"
