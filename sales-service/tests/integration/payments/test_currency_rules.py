"""Stripe's currency rules on create-intent and refund amounts: 422 naming `amount`."""

from collections.abc import Callable

from httpx import AsyncClient

from tests.integration.conftest import Headers
from tests.integration.stripe_support import (
    Emulator,
    confirm,
    create_intent,
    create_order,
    pay_as_browser,
    refund,
)


async def test_three_decimal_amounts_must_end_in_zero(
    api: AsyncClient, emulator: Emulator, as_role: Callable[..., Headers], customer_id: str
) -> None:
    sales, finance = as_role("sales"), as_role("finance")
    order = await create_order(api, sales, customer_id, total="20.020", currency="kwd")

    refused = await create_intent(api, sales, order["id"], amount="5.005")
    arabic = await create_intent(api, sales, order["id"], amount="\u0665")
    taken = await create_intent(api, sales, order["id"], amount="20.02")

    for response, error_type in ((refused, "amount_not_chargeable"), (arabic, "amount_invalid")):
        assert response.status_code == 422, response.text
        details = response.json()["error"]["details"]
        assert [(d["field"], d["type"]) for d in details] == [("amount", error_type)]
    assert taken.status_code == 200, taken.text
    intent = taken.json()
    assert intent["amount_minor"] == 20020
    await pay_as_browser(emulator, intent["payment_intent_id"], intent["client_secret"])
    assert (await confirm(api, sales, intent, order["id"])).json()["status"] == "completed"

    odd = await refund(api, finance, intent["payment_id"], amount="1.005")
    even = await refund(api, finance, intent["payment_id"], amount="1.010")

    assert odd.status_code == 422, odd.text
    details = odd.json()["error"]["details"]
    assert [(d["field"], d["type"]) for d in details] == [("amount", "amount_not_chargeable")]
    assert (even.status_code, even.json()["amount_minor"]) == (201, 1010)


async def test_isk_is_charged_in_whole_kronur(
    api: AsyncClient, as_role: Callable[..., Headers], customer_id: str
) -> None:
    sales = as_role("sales")
    order = await create_order(api, sales, customer_id, total="1500", currency="isk")

    response = await create_intent(api, sales, order["id"], amount="1.50")

    assert response.status_code == 422
    assert response.json()["error"]["details"][0]["field"] == "amount"
