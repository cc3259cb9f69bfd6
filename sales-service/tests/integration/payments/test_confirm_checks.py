"""/confirm only applies an intent that is ours and this order's."""

from collections.abc import Callable

from httpx import AsyncClient

from tests.integration.conftest import Headers
from tests.integration.stripe_support import Emulator, confirm, create_intent, create_order

URL = "/api/v1/payments/stripe/confirm"


async def test_another_orders_intent_is_refused(
    api: AsyncClient, as_role: Callable[..., Headers], customer_id: str
) -> None:
    sales = as_role("sales")
    mine = await create_order(api, sales, customer_id, total="10.00")
    theirs = await create_order(api, sales, customer_id, total="20.00")
    their_intent = (await create_intent(api, sales, theirs["id"])).json()

    response = await confirm(api, sales, their_intent, mine["id"])

    assert response.status_code == 422
    assert response.json()["error"]["details"] == [
        {
            "field": "payment_intent_id",
            "location": "body",
            "message": "This PaymentIntent belongs to another order.",
            "type": "payment_intent_mismatch",
        }
    ]


async def test_unknown_intents_are_404(
    api: AsyncClient, emulator: Emulator, as_role: Callable[..., Headers], customer_id: str
) -> None:
    sales = as_role("sales")
    order = await create_order(api, sales, customer_id, total="10.00")
    not_ours = await emulator.secret_client().v1.payment_intents.create_async(
        {"amount": 1000, "currency": "usd"}
    )

    for intent_id in ("pi_doesnotexist", not_ours.id):
        response = await api.post(
            URL, json={"payment_intent_id": intent_id, "order_id": order["id"]}, headers=sales
        )
        assert response.status_code == 404
        assert response.json()["error"]["message"] == "No payment of ours has this PaymentIntent."


async def test_malformed_intent_ids_and_bodies_are_422(
    api: AsyncClient, as_role: Callable[..., Headers]
) -> None:
    sales = as_role("sales")
    bad_id = await api.post(
        URL, json={"payment_intent_id": "ch_123", "order_id": "x"}, headers=sales
    )
    missing = await api.post(URL, json={"order_id": "x"}, headers=sales)

    assert bad_id.status_code == 422
    assert bad_id.json()["error"]["details"][0]["field"] == "payment_intent_id"
    assert missing.json()["error"]["details"][0]["type"] == "missing"


async def test_refund_roles_cannot_confirm(
    api: AsyncClient, as_role: Callable[..., Headers]
) -> None:
    response = await api.post(
        URL,
        json={"payment_intent_id": "pi_1", "order_id": "x"},
        headers=as_role("service", scope="refunds:write"),
    )
    assert response.status_code == 403
    assert response.json()["error"]["message"] == "This needs the payments:write permission."
