"""Reads the settled world: our records from MongoDB and the API, Stripe's from the emulator."""

from typing import Any

import httpx
import pymongo

from chaos import fields
from chaos.callers import mint_token
from chaos.stack import JWT_SECRET, SECRET_KEY, ChaosStack
from chaos.world import World

PAGE = 100


async def collect(stack: ChaosStack) -> World:
    client: pymongo.AsyncMongoClient[dict[str, Any]] = pymongo.AsyncMongoClient(stack.mongodb_url)
    try:
        database = client[stack.database]
        orders = await database[fields.ORDERS].find().to_list()
        payments = await database[fields.PAYMENTS].find().to_list()
        refunds = await database[fields.REFUNDS].find().to_list()
        inbox = database[fields.INBOX].find({"$nor": [fields.INBOX_PROCESSED]}, {"_id": 1})
        unprocessed = [str(event["_id"]) for event in await inbox.to_list()]
    finally:
        await client.close()
    stripe = httpx.AsyncClient(
        base_url=stack.emulator_url, headers={"Authorization": f"Bearer {SECRET_KEY}"}, timeout=30
    )
    try:
        intents = await _stripe_list(stripe, "/v1/payment_intents")
        stripe_refunds = await _stripe_list(stripe, "/v1/refunds")
        disputes = await _stripe_list(stripe, "/v1/disputes")
    finally:
        await stripe.aclose()
    token = mint_token(JWT_SECRET, "chaos-checker", ["admin"])
    api = httpx.AsyncClient(
        base_url=stack.service_url, headers={"Authorization": f"Bearer {token}"}, timeout=30
    )
    try:
        served_orders = await _served_orders(api)
        disputed = [p["_id"] for p in payments if p.get("disputes")]
        served_payments = {
            payment_id: (await api.get(f"/api/v1/payments/stripe/payments/{payment_id}")).json()
            for payment_id in disputed
        }
    finally:
        await api.aclose()
    return World(
        orders=[fields.order(o, served_orders.get(str(o["_id"]))) for o in orders],
        payments=[fields.payment(p, served_payments.get(str(p["_id"]))) for p in payments],
        refunds=[fields.refund(r) for r in refunds],
        intents=[fields.stripe_intent(i) for i in intents],
        stripe_refunds=[fields.stripe_refund(r) for r in stripe_refunds],
        disputes=[fields.stripe_dispute(d) for d in disputes],
        unprocessed_events=unprocessed,
    )


async def _stripe_list(client: httpx.AsyncClient, path: str) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    params: dict[str, Any] = {"limit": PAGE}
    while True:
        response = await client.get(path, params=params)
        response.raise_for_status()
        page = response.json()
        found.extend(page["data"])
        if not page.get("has_more") or not page["data"]:
            return found
        params["starting_after"] = page["data"][-1]["id"]


async def _served_orders(api: httpx.AsyncClient) -> dict[str, dict[str, Any]]:
    served: dict[str, dict[str, Any]] = {}
    page = 1
    while True:
        response = await api.get("/api/v1/orders", params={"page": page, "page_size": PAGE})
        response.raise_for_status()
        body = response.json()
        served.update({item["id"]: item for item in body["items"]})
        if page * PAGE >= body["total"]:
            return served
        page += 1


async def quiet_counts(stack: ChaosStack) -> dict[str, int]:
    """What is still moving: undelivered webhooks, unprocessed events, pending refunds."""
    async with httpx.AsyncClient(base_url=stack.emulator_url, timeout=10) as emulator:
        # Deliveries to an endpoint removed for "lost webhooks" stay pending for ever: not ours.
        endpoints = (await emulator.get("/_emulator/webhook_endpoints")).json()["data"]
        pending_deliveries = 0
        for endpoint in endpoints:
            params = {"status": "pending", "endpoint_id": endpoint["id"]}
            deliveries = await emulator.get("/_emulator/deliveries", params=params)
            pending_deliveries += len(deliveries.json()["data"])
    client: pymongo.AsyncMongoClient[dict[str, Any]] = pymongo.AsyncMongoClient(stack.mongodb_url)
    try:
        database = client[stack.database]
        return {
            "webhooks undelivered": pending_deliveries,
            "events unprocessed": await database[fields.INBOX].count_documents(
                {"$nor": [fields.INBOX_PROCESSED]}
            ),
            "refunds pending": await database[fields.REFUNDS].count_documents(
                fields.PENDING_REFUND
            ),
            "payments reserved": await database[fields.PAYMENTS].count_documents(
                fields.RESERVED_PAYMENT
            ),
        }
    finally:
        await client.close()
