"""`/v1/webhook_endpoints` (list, retrieve, disable) and `/v1/events` filtered by `created` and
paged both ways: what a service needs to check its endpoint and recover missed events."""

from __future__ import annotations

import asyncio

import pytest
import stripe

from tests import calls
from tests.servers import WebhookReceiver
from tests.waiting import eventually


async def test_lists_endpoints_without_their_secret(
    client: stripe.StripeClient, receiver: WebhookReceiver
) -> None:
    listed = await client.v1.webhook_endpoints.list_async()

    assert len(listed.data) == 1
    endpoint = listed.data[0]
    assert (endpoint.object, endpoint.url, endpoint.status) == (
        "webhook_endpoint",
        receiver.url,
        "enabled",
    )
    assert endpoint.enabled_events == ["*"]
    assert "secret" not in endpoint.to_dict()
    fetched = await client.v1.webhook_endpoints.retrieve_async(endpoint.id)
    assert fetched.id == endpoint.id


async def test_a_disabled_endpoint_is_sent_nothing_but_events_are_listed(
    client: stripe.StripeClient, receiver: WebhookReceiver
) -> None:
    endpoint = (await client.v1.webhook_endpoints.list_async()).data[0]
    disabled = await client.v1.webhook_endpoints.update_async(endpoint.id, {"disabled": True})
    intent = await client.v1.payment_intents.create_async(
        {**calls.CREATE_INTENT, "payment_method": "pm_card_visa", "confirm": True}
    )
    await asyncio.sleep(0.3)

    assert disabled.status == "disabled"
    assert receiver.received == []
    listed = await client.v1.events.list_async({"type": "payment_intent.succeeded"})
    assert [event.data.object.id for event in listed.data] == [intent.id]

    await client.v1.webhook_endpoints.update_async(endpoint.id, {"disabled": False})
    await client.v1.payment_intents.create_async(calls.CREATE_INTENT)
    await eventually(lambda: receiver.types() == ["payment_intent.created"])


async def test_unknown_endpoint_is_resource_missing(client: stripe.StripeClient) -> None:
    with pytest.raises(stripe.InvalidRequestError) as raised:
        await client.v1.webhook_endpoints.retrieve_async("we_missing")

    assert raised.value.http_status == 404


async def test_events_filter_by_created_and_page_both_ways(client: stripe.StripeClient) -> None:
    for _ in range(3):
        await client.v1.payment_intents.create_async(calls.CREATE_INTENT)
    everything = (await client.v1.events.list_async({"types": ["payment_intent.created"]})).data
    newest = everything[0].created

    after = await client.v1.events.list_async({"created": {"gt": newest}})
    up_to = await client.v1.events.list_async(
        {"created": {"gte": everything[-1].created, "lte": newest}, "limit": 100}
    )
    older = await client.v1.events.list_async({"created": {"lt": everything[-1].created}})
    first = await client.v1.events.list_async({"limit": 1, "types": ["payment_intent.created"]})
    before = await client.v1.events.list_async(
        {"limit": 2, "ending_before": everything[-1].id, "types": ["payment_intent.created"]}
    )

    assert after.data == []
    assert {e.id for e in everything} <= {e.id for e in up_to.data}
    assert older.data == []
    assert (len(first.data), first.has_more) == (1, True)
    assert [e.id for e in before.data] == [e.id for e in everything[:2]]
    assert before.has_more is False


async def test_events_take_type_or_types_not_both(client: stripe.StripeClient) -> None:
    with pytest.raises(stripe.InvalidRequestError) as refused:
        await client.v1.events.list_async(
            {"type": "payment_intent.created", "types": ["payment_intent.succeeded"]}
        )
    assert "only specify one of these parameters: type, types" in str(refused.value)
