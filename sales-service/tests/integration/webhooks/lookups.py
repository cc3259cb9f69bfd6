"""Reading what Stripe (the emulator) and the service hold, for assertions."""

from typing import Any

import httpx
from httpx import AsyncClient

from tests.integration.conftest import Headers
from tests.integration.stripe_support import SECRET_KEY, Emulator


async def stripe_get(emulator: Emulator, path: str) -> dict[str, Any]:
    """A Stripe object as the secret key sees it (a webhook's `data.object` has this shape)."""
    async with httpx.AsyncClient(base_url=emulator.url, auth=(SECRET_KEY, "")) as stripe:
        response = await stripe.get(path)
    response.raise_for_status()
    body: dict[str, Any] = response.json()
    return body


async def stripe_post(emulator: Emulator, path: str, data: dict[str, Any]) -> dict[str, Any]:
    """A call made straight at Stripe, as the Dashboard or another system would."""
    async with httpx.AsyncClient(base_url=emulator.url, auth=(SECRET_KEY, "")) as stripe:
        response = await stripe.post(path, data=data)
    response.raise_for_status()
    body: dict[str, Any] = response.json()
    return body


async def payment_of(client: AsyncClient, headers: Headers, payment_id: str) -> dict[str, Any]:
    response = await client.get(f"/api/v1/payments/stripe/payments/{payment_id}", headers=headers)
    assert response.status_code == 200, response.text
    payment: dict[str, Any] = response.json()
    return payment


async def audit_actions(client: AsyncClient, headers: Headers, order_id: str) -> list[str]:
    response = await client.get("/api/v1/audit", params={"entity_id": order_id}, headers=headers)
    assert response.status_code == 200, response.text
    return [entry["action"] for entry in response.json()]
