import asyncio
from collections.abc import Callable
from typing import Any

from httpx import AsyncClient
from pymongo.asynchronous.database import AsyncDatabase

from tests.integration.conftest import Headers
from tests.integration.orders.payloads import order_payload


async def test_same_key_and_body_returns_the_same_order(
    client: AsyncClient, as_role: Callable[..., Headers], customer_id: str
) -> None:
    headers = {**as_role("service", scope="orders:write"), "Idempotency-Key": f"k-{customer_id}"}
    first = await client.post("/api/v1/orders", json=order_payload(customer_id), headers=headers)
    # The same request with amounts written differently is still the same request.
    retried_payload = order_payload(customer_id)
    retried_payload["lines"][0]["unit_price"] = "149.990"
    second = await client.post("/api/v1/orders", json=retried_payload, headers=headers)
    assert (first.status_code, second.status_code) == (201, 201)
    assert "Idempotent-Replayed" not in first.headers
    assert second.headers["Idempotent-Replayed"] == "true"
    assert second.json() == first.json()


async def test_same_key_with_another_body_is_refused(
    client: AsyncClient, as_role: Callable[..., Headers], customer_id: str
) -> None:
    headers = {**as_role("sales"), "Idempotency-Key": f"k-{customer_id}"}
    first = await client.post("/api/v1/orders", json=order_payload(customer_id), headers=headers)
    other = await client.post(
        "/api/v1/orders", json=order_payload(customer_id, notes="changed"), headers=headers
    )
    assert first.status_code == 201
    assert other.status_code == 409
    assert other.json()["error"]["code"] == "idempotency_key_reused"
    assert other.json()["error"]["details"] == [
        {
            "field": "Idempotency-Key",
            "location": "header",
            "message": "already used with a different request body",
            "type": "idempotency_key_reused",
        }
    ]


async def test_concurrent_retries_create_one_order(
    client: AsyncClient,
    as_role: Callable[..., Headers],
    customer_id: str,
    mongo: AsyncDatabase[dict[str, Any]],
) -> None:
    headers = {**as_role("sales"), "Idempotency-Key": f"k-{customer_id}"}
    responses = await asyncio.gather(
        *(
            client.post("/api/v1/orders", json=order_payload(customer_id), headers=headers)
            for _ in range(10)
        )
    )
    assert {r.status_code for r in responses} == {201}
    assert len({r.json()["id"] for r in responses}) == 1
    assert await mongo["orders"].count_documents({"customer_id": customer_id}) == 1


async def test_keys_belong_to_their_caller(
    client: AsyncClient, as_role: Callable[..., Headers], customer_id: str
) -> None:
    key = {"Idempotency-Key": f"k-{customer_id}"}
    alice = await client.post(
        "/api/v1/orders",
        json=order_payload(customer_id),
        headers={**as_role("sales", sub="alice"), **key},
    )
    bob = await client.post(
        "/api/v1/orders",
        json=order_payload(customer_id),
        headers={**as_role("sales", sub="bob"), **key},
    )
    assert alice.json()["id"] != bob.json()["id"]


async def test_malformed_key_is_a_header_validation_error(
    client: AsyncClient, as_role: Callable[..., Headers], customer_id: str
) -> None:
    headers = {**as_role("sales"), "Idempotency-Key": "x" * 256}
    response = await client.post("/api/v1/orders", json=order_payload(customer_id), headers=headers)
    assert response.status_code == 422
    detail = response.json()["error"]["details"][0]
    assert (detail["location"], detail["field"]) == ("header", "Idempotency-Key")
