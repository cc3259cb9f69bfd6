"""Helpers for payment-link tests: the stack they run on, and the calls a page or staff make."""

from dataclasses import dataclass
from typing import Any

import httpx
from fastapi import FastAPI
from httpx import AsyncClient

from tests.integration.conftest import Headers
from tests.integration.stripe_support import Emulator

PUBLIC_BASE_URL = "https://shop.example.test"


@dataclass
class LinkStack:
    emulator: Emulator
    app: FastAPI
    api: AsyncClient

    @property
    def database(self) -> Any:
        return self.app.state.database


async def create_link(
    api: AsyncClient, headers: Headers, order_id: str, **fields: Any
) -> httpx.Response:
    return await api.post(f"/api/v1/orders/{order_id}/payment-links", json=fields, headers=headers)


async def made_link(
    api: AsyncClient, headers: Headers, order_id: str, **fields: Any
) -> dict[str, Any]:
    response = await create_link(api, headers, order_id, **fields)
    assert response.status_code == 201, response.text
    link: dict[str, Any] = response.json()
    return link


def token_of(link: dict[str, Any]) -> str:
    url: str = link["url"]
    assert url.startswith(f"{PUBLIC_BASE_URL}/pay/")
    return url.rsplit("/", 1)[1]


async def list_links(api: AsyncClient, headers: Headers, order_id: str) -> list[dict[str, Any]]:
    response = await api.get(f"/api/v1/orders/{order_id}/payment-links", headers=headers)
    assert response.status_code == 200, response.text
    found: list[dict[str, Any]] = response.json()
    return found


async def revoke(api: AsyncClient, headers: Headers, order_id: str, link_id: str) -> httpx.Response:
    return await api.delete(f"/api/v1/orders/{order_id}/payment-links/{link_id}", headers=headers)


async def view(api: AsyncClient, token: str) -> httpx.Response:
    return await api.get(f"/api/v1/pay/{token}")


async def start(api: AsyncClient, token: str) -> httpx.Response:
    return await api.post(f"/api/v1/pay/{token}/intent")


async def confirm(api: AsyncClient, token: str) -> httpx.Response:
    return await api.post(f"/api/v1/pay/{token}/confirm")


def intent_id(client_secret: str) -> str:
    return client_secret.split("_secret_")[0]
