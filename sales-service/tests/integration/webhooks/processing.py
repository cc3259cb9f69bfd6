"""Waiting for the service to process an event: it answers once the event is stored and applies
it afterwards, so a test reads the outcome from the inbox."""

from typing import Any

from httpx import AsyncClient
from pymongo.asynchronous.collection import AsyncCollection

from tests.integration.webhooks.events import deliver
from tests.integration.webhooks.waiting import eventually

Inbox = AsyncCollection[dict[str, Any]]


async def processed(inbox: Inbox, event_id: str, within: float = 10.0) -> dict[str, Any]:
    """The inbox entry once processed (whatever the outcome)."""

    async def check() -> dict[str, Any] | None:
        entry = await inbox.find_one({"_id": event_id})
        return entry if entry is not None and entry["state"] == "processed" else None

    return await eventually(check, within)


async def deliver_and_process(client: AsyncClient, inbox: Inbox, event: dict[str, Any]) -> str:
    """Delivers a new event as Stripe does, then waits for it to be processed: its outcome."""
    response = await deliver(client, event)
    assert (response.status_code, response.json()["status"]) == (200, "queued"), response.text
    return str((await processed(inbox, event["id"]))["outcome"])
