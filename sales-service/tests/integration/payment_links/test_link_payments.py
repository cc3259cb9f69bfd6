"""Paying through a link: an ordinary payment of the order, one at a time, whatever the tabs do."""

import asyncio
import logging
from collections.abc import Callable
from typing import Any

import pytest

from tests.integration.conftest import Headers
from tests.integration.payment_links.links import (
    LinkStack,
    confirm,
    intent_id,
    list_links,
    made_link,
    revoke,
    start,
    token_of,
    view,
)
from tests.integration.stripe_support import (
    create_intent,
    create_order,
    get_order,
    pay_as_browser,
    refund,
)


@pytest.fixture
def sales(as_role: Callable[..., Headers]) -> Headers:
    return as_role("sales")


async def _started(links: LinkStack, token: str) -> dict[str, Any]:
    response = await start(links.api, token)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


async def test_the_page_sees_only_what_it_shows(
    links: LinkStack, sales: Headers, customer_id: str
) -> None:
    order = await create_order(links.api, sales, customer_id, total="64.00")
    link = await made_link(links.api, sales, order["id"], amount="24.00")
    response = await view(links.api, token_of(link))
    assert response.status_code == 200
    assert response.headers["cache-control"] == "no-store"
    page = response.json()
    assert page["merchant_name"]
    assert page["order_number"] == order["number"]
    assert page["lines"] == [
        {
            "description": "Goods",
            "quantity": 1,
            "unit_price": 64,
            "unit_price_minor": 6400,
            "total": 64,
            "total_minor": 6400,
        }
    ]
    assert (page["amount"], page["amount_minor"], page["currency"]) == (24, 2400, "usd")
    assert (page["state"], page["payable"], page["refusal"]) == ("active", True, None)
    assert page["publishable_key"].startswith("pk_test_")
    shown = repr(page)
    for secret in (order["id"], order["customer_id"], link["id"], "user-sales"):
        assert secret not in shown


async def test_a_customer_pays_the_link_and_it_says_paid(
    links: LinkStack, sales: Headers, customer_id: str
) -> None:
    order = await create_order(links.api, sales, customer_id, total="45.00")
    link = await made_link(links.api, sales, order["id"])
    token = token_of(link)

    made = await _started(links, token)
    assert (made["amount_minor"], made["currency"], made["payment_status"]) == (
        4500,
        "usd",
        "pending",
    )
    await pay_as_browser(links.emulator, intent_id(made["client_secret"]), made["client_secret"])
    confirmed = await confirm(links.api, token)
    assert confirmed.status_code == 200, confirmed.text
    page = confirmed.json()
    assert (page["state"], page["payable"], page["payment_status"]) == ("paid", False, "completed")
    assert page["card"] == {"brand": "visa", "last4": "4242"}
    assert (await view(links.api, token)).json()["state"] == "paid"
    again = await start(links.api, token)
    assert (again.status_code, again.json()["error"]["code"]) == (409, "payment_link_paid")

    stored = await get_order(links.api, sales, order["id"])
    assert (stored["payment_status"], stored["amount_paid_minor"]) == ("paid", 4500)
    (listed,) = await list_links(links.api, sales, order["id"])
    assert (listed["status"], listed["payment_status"]) == ("paid", "completed")
    payment = await links.database.payments.find_one({"_id": listed["payment_id"]})
    assert payment["created_by"] == f"link:{link['id']}"
    actors = {
        entry["action"]: entry["actor"]
        for entry in await links.database.audit.find({"entity_id": payment["_id"]}).to_list()
    }
    assert actors["payment.intent_created"] == {"type": "link", "id": link["id"]}
    assert actors["payment.status_changed"] == {"type": "link", "id": link["id"]}
    revoked = await revoke(links.api, sales, order["id"], link["id"])
    assert (revoked.status_code, revoked.json()["error"]["code"]) == (409, "payment_link_paid")


async def test_a_link_payment_is_refunded_like_any_other(
    links: LinkStack, as_role: Callable[..., Headers], customer_id: str
) -> None:
    order = await create_order(links.api, as_role("sales"), customer_id, total="20.00")
    token = token_of(await made_link(links.api, as_role("sales"), order["id"]))
    made = await _started(links, token)
    await pay_as_browser(links.emulator, intent_id(made["client_secret"]), made["client_secret"])
    assert (await confirm(links.api, token)).json()["state"] == "paid"
    (listed,) = await list_links(links.api, as_role("sales"), order["id"])
    refunded = await refund(links.api, as_role("finance"), listed["payment_id"], amount="5.00")
    assert refunded.status_code == 201, refunded.text
    stored = await get_order(links.api, as_role("sales"), order["id"])
    assert stored["amount_refunded_minor"] == 500


async def test_3d_secure_through_a_link(links: LinkStack, sales: Headers, customer_id: str) -> None:
    order = await create_order(links.api, sales, customer_id, total="31.55")
    token = token_of(await made_link(links.api, sales, order["id"]))
    made = await _started(links, token)
    intent = intent_id(made["client_secret"])
    answer = await pay_as_browser(
        links.emulator, intent, made["client_secret"], "pm_card_authenticationRequiredOnSetup"
    )
    assert answer["status"] == "requires_action"
    waiting = (await confirm(links.api, token)).json()
    assert (waiting["state"], waiting["payment_status"]) == ("active", "requires_action")
    # A reload during the challenge resumes the same payment.
    assert (await _started(links, token))["client_secret"] == made["client_secret"]
    links.emulator.complete_3ds(intent)
    page = (await confirm(links.api, token)).json()
    assert (page["state"], page["card"]) == ("paid", {"brand": "visa", "last4": "3155"})


async def test_a_declined_card_may_be_followed_by_another_on_the_same_intent(
    links: LinkStack, sales: Headers, customer_id: str
) -> None:
    order = await create_order(links.api, sales, customer_id, total="12.00")
    token = token_of(await made_link(links.api, sales, order["id"]))
    made = await _started(links, token)
    intent = intent_id(made["client_secret"])
    await pay_as_browser(links.emulator, intent, made["client_secret"], "pm_card_chargeDeclined")
    declined = (await confirm(links.api, token)).json()
    assert (declined["state"], declined["payable"], declined["payment_status"]) == (
        "active",
        True,
        "failed",
    )
    assert (await _started(links, token))["client_secret"] == made["client_secret"]
    await pay_as_browser(links.emulator, intent, made["client_secret"])
    assert (await confirm(links.api, token)).json()["state"] == "paid"


async def test_tabs_racing_on_one_link_make_one_payment_and_one_intent(
    links: LinkStack, sales: Headers, customer_id: str
) -> None:
    order = await create_order(links.api, sales, customer_id, total="70.00")
    token = token_of(await made_link(links.api, sales, order["id"]))
    answers = await asyncio.gather(*(start(links.api, token) for _ in range(6)))
    assert [answer.status_code for answer in answers] == [200] * 6
    secrets = {answer.json()["client_secret"] for answer in answers}
    assert len(secrets) == 1
    (listed,) = await list_links(links.api, sales, order["id"])
    payments = await links.database.payments.find({"order_id": order["id"]}).to_list()
    assert [payment["_id"] for payment in payments] == [listed["payment_id"]]
    assert len(links.emulator.intents_for_payment(listed["payment_id"])) == 1
    # Both tabs pay: Stripe takes the money once.
    (secret,) = secrets
    first, second = await asyncio.gather(
        pay_as_browser(links.emulator, intent_id(secret), secret),
        pay_as_browser(links.emulator, intent_id(secret), secret, "pm_card_mastercard"),
    )
    assert sorted([first.get("status", "error"), second.get("status", "error")]) == [
        "error",
        "succeeded",
    ]
    await confirm(links.api, token)
    stored = await get_order(links.api, sales, order["id"])
    assert (stored["amount_paid_minor"], stored["payment_status"]) == (7000, "paid")


async def test_revoking_cancels_the_payment_under_way(
    links: LinkStack, sales: Headers, customer_id: str
) -> None:
    order = await create_order(links.api, sales, customer_id, total="33.00")
    link = await made_link(links.api, sales, order["id"])
    made = await _started(links, token_of(link))
    revoked = await revoke(links.api, sales, order["id"], link["id"])
    assert revoked.status_code == 200, revoked.text
    assert (revoked.json()["status"], revoked.json()["payment_status"]) == ("revoked", "canceled")
    (intent,) = links.emulator.intents_for_payment(revoked.json()["payment_id"])
    assert intent["status"] == "canceled"
    paid = await pay_as_browser(
        links.emulator, intent_id(made["client_secret"]), made["client_secret"]
    )
    assert "error" in paid
    stored = await links.database.orders.find_one({"_id": order["id"]})
    assert (stored["committed_minor"], stored["payment_status"]) == (0, "unpaid")
    # The order takes another payment at once.
    assert (await create_intent(links.api, sales, order["id"])).status_code == 200


async def test_a_canceled_payment_lets_the_link_make_a_new_one(
    links: LinkStack, sales: Headers, customer_id: str
) -> None:
    order = await create_order(links.api, sales, customer_id, total="18.00")
    token = token_of(await made_link(links.api, sales, order["id"]))
    first = await _started(links, token)
    (listed,) = await list_links(links.api, sales, order["id"])
    canceled = await links.api.post(
        f"/api/v1/payments/stripe/cancel/{listed['payment_id']}", headers=sales
    )
    assert canceled.status_code == 200
    second = await _started(links, token)
    assert second["client_secret"] != first["client_secret"]
    stored = await links.database.payment_links.find_one({"_id": listed["id"]})
    assert len(stored["payment_ids"]) == 2
    assert stored["payment_id"] == stored["payment_ids"][1] != listed["payment_id"]


async def test_a_link_above_what_is_now_outstanding_refuses_to_pay(
    links: LinkStack, sales: Headers, customer_id: str
) -> None:
    order = await create_order(links.api, sales, customer_id, total="100.00")
    token = token_of(await made_link(links.api, sales, order["id"], amount="60.00"))
    staff = (await create_intent(links.api, sales, order["id"], amount="50.00")).json()
    await pay_as_browser(links.emulator, staff["payment_intent_id"], staff["client_secret"])
    await links.api.post(
        "/api/v1/payments/stripe/confirm",
        json={"payment_intent_id": staff["payment_intent_id"], "order_id": order["id"]},
        headers=sales,
    )
    page = (await view(links.api, token)).json()
    assert (page["state"], page["payable"], page["refusal"]) == (
        "active",
        False,
        "amount_exceeds_outstanding",
    )
    refused = await start(links.api, token)
    assert (refused.status_code, refused.json()["error"]["code"]) == (
        409,
        "payment_link_exceeds_outstanding",
    )
    assert await links.database.payments.count_documents({"order_id": order["id"]}) == 1


@pytest.mark.parametrize("staff_amount", ["10.00", "40.00"])
async def test_another_open_payment_on_the_order_is_never_taken_over(
    links: LinkStack, sales: Headers, customer_id: str, staff_amount: str
) -> None:
    order = await create_order(links.api, sales, customer_id, total="40.00")
    token = token_of(await made_link(links.api, sales, order["id"], amount="40.00"))
    staff = (await create_intent(links.api, sales, order["id"], amount=staff_amount)).json()
    page = (await view(links.api, token)).json()
    assert (page["payable"], page["refusal"]) == (False, "order_payment_in_progress")
    refused = await start(links.api, token)
    assert (refused.status_code, refused.json()["error"]["code"]) == (
        409,
        "order_payment_in_progress",
    )
    await links.api.post(f"/api/v1/payments/stripe/cancel/{staff['payment_id']}", headers=sales)
    assert (await start(links.api, token)).status_code == 200


async def test_no_line_the_service_logs_holds_the_token(
    links: LinkStack, sales: Headers, customer_id: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    order = await create_order(links.api, sales, customer_id, total="9.00")
    token = token_of(await made_link(links.api, sales, order["id"]))
    made = await _started(links, token)
    await pay_as_browser(links.emulator, intent_id(made["client_secret"]), made["client_secret"])
    await confirm(links.api, token)
    await view(links.api, "0" * 43)
    # The test's own HTTP client (httpx) logs what it asked for; the service is what must not.
    served = [record for record in caplog.records if record.name != "httpx"]
    assert any(record.name == "app.access" for record in served)
    assert not [record for record in served if token in f"{record.getMessage()} {vars(record)}"]
