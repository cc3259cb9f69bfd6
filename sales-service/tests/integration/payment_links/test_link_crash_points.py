"""A crash (or a cancelled task) right after each write of paying a link, making one and
revoking one: the retry reaches the same payment and intent, and the invariants hold once the
repair job has run."""

import uuid
from collections.abc import Awaitable, Callable
from typing import Any

import httpx
import pytest

from tests.integration.conftest import Headers
from tests.integration.crash_points import Mode, count_writes, crashing, run_until_crash
from tests.integration.money.invariants import settle, violations
from tests.integration.payment_links.links import (
    LinkStack,
    confirm,
    create_link,
    intent_id,
    list_links,
    made_link,
    revoke,
    start,
    token_of,
)
from tests.integration.stripe_support import create_order, get_order, pay_as_browser

MODES: tuple[Mode, ...] = ("crash", "cancel")
World = dict[str, Any]


async def sweep(
    links: LinkStack,
    prepare: Callable[[], Awaitable[World]],
    operation: Callable[[World], Awaitable[Any]],
    check: Callable[[World], Awaitable[None]],
) -> int:
    """For every write of `operation`, in both modes: a fresh world, a crash there, the retry,
    the repair job, then `check` and the invariants."""
    writes = await count_writes(links.app, lambda: _run(operation, prepare))
    assert writes > 0
    for mode in MODES:
        for point in range(1, writes + 1):
            world = await prepare()
            with crashing(links.app, point, mode):
                await run_until_crash(operation(world))
            world["retry"] = await operation(world)
            await settle(links.app)
            await check(world)
            found = await violations(links.app, links.emulator, world["order"]["id"])
            assert found == [], f"after write {point} ({mode}): {found}"
    return writes


async def _run(
    operation: Callable[[World], Awaitable[Any]], prepare: Callable[[], Awaitable[World]]
) -> None:
    await operation(await prepare())


@pytest.fixture
def sales(as_role: Callable[..., Headers]) -> Headers:
    return as_role("sales")


async def test_paying_a_link(links: LinkStack, sales: Headers, customer_id: str) -> None:
    async def prepare() -> World:
        order = await create_order(links.api, sales, customer_id, total="27.00")
        link = await made_link(links.api, sales, order["id"])
        return {"order": order, "link": link, "token": token_of(link)}

    async def operation(world: World) -> httpx.Response:
        return await start(links.api, world["token"])

    async def check(world: World) -> None:
        retried = world["retry"]
        assert retried.status_code == 200, retried.text
        again = await start(links.api, world["token"])
        secret = again.json()["client_secret"]
        assert secret == retried.json()["client_secret"], "the retry and a reload: one intent"
        (listed,) = await list_links(links.api, sales, world["order"]["id"])
        assert len(links.emulator.intents_for_payment(listed["payment_id"])) == 1
        stored = await links.database.payment_links.find_one({"_id": listed["id"]})
        assert stored["payment_ids"] == [listed["payment_id"]]
        await pay_as_browser(links.emulator, intent_id(secret), secret)
        assert (await confirm(links.api, world["token"])).json()["state"] == "paid"
        order = await get_order(links.api, sales, world["order"]["id"])
        assert (order["amount_paid_minor"], order["payment_status"]) == (2700, "paid")

    assert await sweep(links, prepare, operation, check) >= 4


async def test_making_a_link(links: LinkStack, sales: Headers, customer_id: str) -> None:
    async def prepare() -> World:
        order = await create_order(links.api, sales, customer_id, total="11.00")
        return {"order": order, "key": {**sales, "Idempotency-Key": uuid.uuid4().hex}}

    async def operation(world: World) -> httpx.Response:
        return await create_link(links.api, world["key"], world["order"]["id"], amount="4.00")

    async def check(world: World) -> None:
        assert world["retry"].status_code == 201, world["retry"].text
        (listed,) = await list_links(links.api, sales, world["order"]["id"])
        assert (listed["status"], listed["amount_minor"]) == ("active", 400)
        audit = await links.database.audit.find({"entity_id": listed["id"]}).to_list()
        assert [entry["action"] for entry in audit] == ["payment_link.created"]

    await sweep(links, prepare, operation, check)


async def test_revoking_a_link_whose_payment_is_under_way(
    links: LinkStack, sales: Headers, customer_id: str
) -> None:
    async def prepare() -> World:
        order = await create_order(links.api, sales, customer_id, total="13.00")
        link = await made_link(links.api, sales, order["id"])
        made = (await start(links.api, token_of(link))).json()
        return {"order": order, "link": link, "secret": made["client_secret"]}

    async def operation(world: World) -> httpx.Response:
        return await revoke(links.api, sales, world["order"]["id"], world["link"]["id"])

    async def check(world: World) -> None:
        retried = world["retry"]
        assert retried.status_code == 200, retried.text
        assert (retried.json()["status"], retried.json()["payment_status"]) == (
            "revoked",
            "canceled",
        )
        intent = await links.emulator.secret_client().v1.payment_intents.retrieve_async(
            intent_id(world["secret"])
        )
        assert intent.status == "canceled"
        audit = await links.database.audit.find({"entity_id": world["link"]["id"]}).to_list()
        assert sorted(entry["action"] for entry in audit) == [
            "payment_link.created",
            "payment_link.revoked",
        ]
        order = await links.database.orders.find_one({"_id": world["order"]["id"]})
        assert (order["committed_minor"], order["commitments"]) == (0, {})

    await sweep(links, prepare, operation, check)
