"""HTTP clients for the scale-out test: ERP desks calling the gateway, and the Stripe emulator.

Each desk connects from its own loopback address, as separate ERP clients would, so the
gateway's per-client rate limit applies per desk; a desk that is still limited waits the
`Retry-After` and retries with the same Idempotency-Key, which is exactly what a well-behaved
ERP client does.
"""

import asyncio
import time
from collections.abc import AsyncIterator, Mapping
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass
from typing import Any

import httpx
import jwt

RATE_LIMIT_RETRIES = 20


def bearer_token(secret: str, subject: str, role: str) -> str:
    claims = {"sub": subject, "roles": [role], "exp": int(time.time()) + 3600}
    return jwt.encode(claims, secret, algorithm="HS256")


@dataclass
class Desk:
    client: httpx.AsyncClient

    async def call(
        self,
        method: str,
        path: str,
        token: str,
        body: Mapping[str, Any] | None = None,
        idempotency_key: str | None = None,
    ) -> httpx.Response:
        headers = {"Authorization": f"Bearer {token}"}
        if idempotency_key is not None:
            headers["Idempotency-Key"] = idempotency_key
        for _ in range(RATE_LIMIT_RETRIES):
            response = await self.client.request(method, path, json=body, headers=headers)
            if response.status_code != 429:
                return response
            await asyncio.sleep(float(response.headers.get("Retry-After", "1")))
        raise AssertionError(f"{method} {path} still rate limited after retries")


@asynccontextmanager
async def desks(base_url: str, count: int) -> AsyncIterator[list[Desk]]:
    """`count` desks, from 127.0.0.2, 127.0.0.3, …"""
    async with AsyncExitStack() as stack:
        opened = []
        for index in range(count):
            transport = httpx.AsyncHTTPTransport(local_address=f"127.0.0.{index + 2}")
            client = httpx.AsyncClient(base_url=base_url, transport=transport, timeout=60)
            opened.append(Desk(await stack.enter_async_context(client)))
        yield opened


class Emulator:
    """The test's own emulator: Stripe's API with the secret key, and its control API."""

    def __init__(self, client: httpx.AsyncClient, secret_key: str) -> None:
        self._client = client
        self._auth = {"Authorization": f"Bearer {secret_key}"}

    async def confirm_with_card(self, payment_intent_id: str) -> dict[str, Any]:
        response = await self._client.post(
            f"/v1/payment_intents/{payment_intent_id}/confirm",
            data={"payment_method": "pm_card_visa", "return_url": "http://127.0.0.1/done"},
            headers=self._auth,
        )
        assert response.status_code == 200, response.text
        intent: dict[str, Any] = response.json()
        return intent

    async def list_all(self, path: str, params: Mapping[str, str] | None = None) -> list[Any]:
        items: list[Any] = []
        query = {**(params or {}), "limit": "100"}
        while True:
            response = await self._client.get(path, params=query, headers=self._auth)
            assert response.status_code == 200, response.text
            page = response.json()
            items += page["data"]
            if not page["has_more"]:
                return items
            query["starting_after"] = page["data"][-1]["id"]

    async def control(self, method: str, path: str, body: Any = None) -> Any:
        response = await self._client.request(method, f"/_emulator/{path}", json=body)
        assert response.status_code in (200, 201), response.text
        return response.json()

    async def deliveries(self) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = (await self.control("GET", "deliveries"))["data"]
        return found
