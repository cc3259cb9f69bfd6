from collections.abc import Callable
from typing import Any

import pytest
from httpx import AsyncClient
from pymongo.asynchronous.database import AsyncDatabase

from tests.integration.conftest import Headers
from tests.integration.orders.payloads import order_payload


async def create_orders(
    client: AsyncClient, headers: Headers, customer_id: str, count: int
) -> list[dict[str, Any]]:
    created = []
    for index in range(count):
        payload = order_payload(customer_id, notes=f"order {index}")
        response = await client.post("/api/v1/orders", json=payload, headers=headers)
        assert response.status_code == 201
        created.append(response.json())
    return created


class TestGetOrder:
    @pytest.mark.parametrize(
        ("roles", "scope"),
        [(("sales",), None), (("finance",), None), (("service",), "orders:read")],
    )
    async def test_readers_get_the_order_as_created(
        self,
        client: AsyncClient,
        as_role: Callable[..., Headers],
        customer_id: str,
        roles: tuple[str, ...],
        scope: str | None,
    ) -> None:
        [created] = await create_orders(client, as_role("sales"), customer_id, 1)
        response = await client.get(
            f"/api/v1/orders/{created['id']}", headers=as_role(*roles, scope=scope)
        )
        assert response.status_code == 200
        assert response.json() == created

    async def test_service_without_read_scope_is_forbidden(
        self, client: AsyncClient, as_role: Callable[..., Headers], customer_id: str
    ) -> None:
        [created] = await create_orders(client, as_role("sales"), customer_id, 1)
        response = await client.get(
            f"/api/v1/orders/{created['id']}", headers=as_role("service", scope="payments:write")
        )
        assert response.status_code == 403
        assert response.json()["error"]["message"] == "This needs the orders:read permission."

    @pytest.mark.parametrize(
        "order_id",
        ["ord_00000000000000000000000000000000", "ord_nothex", "12345", "ord_" + "a" * 40],
    )
    async def test_unknown_or_malformed_ids_are_not_found(
        self, client: AsyncClient, as_role: Callable[..., Headers], order_id: str
    ) -> None:
        response = await client.get(f"/api/v1/orders/{order_id}", headers=as_role("sales"))
        assert response.status_code == 404
        assert response.json()["error"]["code"] == "not_found"
        assert response.json()["error"]["message"] == "Order not found."


class TestListOrders:
    async def test_newest_first_with_pages(
        self, client: AsyncClient, as_role: Callable[..., Headers], customer_id: str
    ) -> None:
        created = await create_orders(client, as_role("sales"), customer_id, 5)
        newest_first = [order["id"] for order in reversed(created)]
        headers = as_role("finance")
        params: dict[str, str | int] = {"customer_id": customer_id, "page_size": 2}
        pages = [
            (
                await client.get("/api/v1/orders", params={**params, "page": p}, headers=headers)
            ).json()
            for p in (1, 2, 3, 4)
        ]
        assert [[o["id"] for o in page["items"]] for page in pages] == [
            newest_first[0:2],
            newest_first[2:4],
            newest_first[4:5],
            [],
        ]
        assert [(page["total"], page["page"], page["page_size"]) for page in pages] == [
            (5, 1, 2),
            (5, 2, 2),
            (5, 3, 2),
            (5, 4, 2),
        ]
        assert pages[0]["items"][0] == created[-1]

    async def test_unfiltered_list_starts_with_the_newest(
        self, client: AsyncClient, as_role: Callable[..., Headers], customer_id: str
    ) -> None:
        created = await create_orders(client, as_role("sales"), customer_id, 2)
        response = await client.get("/api/v1/orders", headers=as_role("admin"))
        body = response.json()
        assert [o["id"] for o in body["items"][:2]] == [created[1]["id"], created[0]["id"]]
        assert body["page"] == 1
        assert body["page_size"] == 20
        assert body["total"] >= 2

    async def test_filter_by_payment_status(
        self,
        client: AsyncClient,
        as_role: Callable[..., Headers],
        customer_id: str,
        mongo: AsyncDatabase[dict[str, Any]],
    ) -> None:
        created = await create_orders(client, as_role("sales"), customer_id, 3)
        # Payments do not exist yet; mark one order paid directly, as they later will.
        await mongo["orders"].update_one(
            {"_id": created[1]["id"]}, {"$set": {"payment_status": "paid"}}
        )
        headers = as_role("sales")
        paid = await client.get(
            "/api/v1/orders",
            params={"customer_id": customer_id, "payment_status": "paid"},
            headers=headers,
        )
        unpaid = await client.get(
            "/api/v1/orders",
            params={"customer_id": customer_id, "payment_status": "unpaid"},
            headers=headers,
        )
        assert [o["id"] for o in paid.json()["items"]] == [created[1]["id"]]
        assert paid.json()["items"][0]["payment_status"] == "paid"
        assert [o["id"] for o in unpaid.json()["items"]] == [created[2]["id"], created[0]["id"]]

    async def test_search_by_number_text(
        self, client: AsyncClient, as_role: Callable[..., Headers], customer_id: str
    ) -> None:
        [created] = await create_orders(client, as_role("sales"), customer_id, 1)
        number = created["number"]
        headers = as_role("sales")
        for q in (number, number[-6:], number.lower()):
            response = await client.get("/api/v1/orders", params={"q": q}, headers=headers)
            assert [o["id"] for o in response.json()["items"]] == [created["id"]], q
        none = await client.get("/api/v1/orders", params={"q": "ORD-1999"}, headers=headers)
        assert none.json() == {"items": [], "total": 0, "page": 1, "page_size": 20}

    @pytest.mark.parametrize(
        ("params", "field"),
        [
            ({"payment_status": "settled"}, "payment_status"),
            ({"page": 0}, "page"),
            ({"page_size": 0}, "page_size"),
            ({"page_size": 101}, "page_size"),
            ({"q": "ORD.*"}, "q"),
        ],
    )
    async def test_bad_query_parameters_are_named(
        self,
        client: AsyncClient,
        as_role: Callable[..., Headers],
        params: dict[str, Any],
        field: str,
    ) -> None:
        response = await client.get("/api/v1/orders", params=params, headers=as_role("sales"))
        assert response.status_code == 422
        [detail] = response.json()["error"]["details"]
        assert (detail["location"], detail["field"]) == ("query", field)
