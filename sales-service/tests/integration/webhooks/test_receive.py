"""The webhook endpoint: signature checks, the inbox's duplicate rule, types we do not handle."""

import asyncio
import json
import time
from typing import Any

import pytest
from httpx import AsyncClient
from prometheus_client import REGISTRY
from pymongo.asynchronous.collection import AsyncCollection

from tests.integration.webhooks.events import (
    PREVIOUS_SECRET,
    WEBHOOK_PATH,
    deliver,
    payment_intent,
    signed_headers,
    stripe_event,
)
from tests.integration.webhooks.processing import processed

Inbox = AsyncCollection[dict[str, Any]]


def counted(event_type: str, outcome: str) -> float:
    labels = {"type": event_type, "outcome": outcome}
    return REGISTRY.get_sample_value("erp_webhook_events_total", labels) or 0.0


def refused(response_json: dict[str, Any], kind: str, field: str, message: str) -> dict[str, Any]:
    return {
        "error": {
            "code": "bad_request",
            "message": message,
            "details": [
                {
                    "field": field,
                    "location": "header" if field == "Stripe-Signature" else "body",
                    "message": response_json["error"]["details"][0]["message"],
                    "type": kind,
                }
            ],
            "request_id": response_json["error"]["request_id"],
        }
    }


SIGNATURE_MESSAGE = "The webhook signature is missing, malformed, wrong or too old."


class TestSignatureRefusals:
    async def test_missing_signature(self, webhook_client: AsyncClient, inbox: Inbox) -> None:
        event = stripe_event("payment_intent.succeeded", payment_intent())
        response = await webhook_client.post(WEBHOOK_PATH, content=json.dumps(event))
        assert response.status_code == 400
        body = response.json()
        assert body == refused(body, "signature_missing", "Stripe-Signature", SIGNATURE_MESSAGE)
        assert body["error"]["details"][0]["message"] == "The Stripe-Signature header is missing."
        assert await inbox.find_one({"_id": event["id"]}) is None

    async def test_wrong_secret(self, webhook_client: AsyncClient, inbox: Inbox) -> None:
        event = stripe_event("payment_intent.succeeded", payment_intent())
        before = counted("unverified", "rejected")
        response = await deliver(webhook_client, event, secret="whsec_an_attackers_guess")
        assert response.status_code == 400
        body = response.json()
        assert body == refused(body, "signature_mismatch", "Stripe-Signature", SIGNATURE_MESSAGE)
        assert await inbox.find_one({"_id": event["id"]}) is None
        assert counted("unverified", "rejected") == before + 1

    async def test_stale_signature(self, webhook_client: AsyncClient, inbox: Inbox) -> None:
        event = stripe_event("payment_intent.succeeded", payment_intent())
        response = await deliver(webhook_client, event, timestamp=int(time.time()) - 301)
        assert response.status_code == 400
        body = response.json()
        assert body == refused(body, "signature_expired", "Stripe-Signature", SIGNATURE_MESSAGE)
        assert await inbox.find_one({"_id": event["id"]}) is None

    async def test_malformed_signature(self, webhook_client: AsyncClient) -> None:
        event = stripe_event("payment_intent.succeeded", payment_intent())
        response = await webhook_client.post(
            WEBHOOK_PATH, content=json.dumps(event), headers={"Stripe-Signature": "v1=abc"}
        )
        body = response.json()
        assert response.status_code == 400
        assert body == refused(body, "signature_malformed", "Stripe-Signature", SIGNATURE_MESSAGE)

    async def test_body_changed_in_transit(self, webhook_client: AsyncClient) -> None:
        event = stripe_event("payment_intent.succeeded", payment_intent())
        body = json.dumps(event).encode()
        tampered = body.replace(b'"amount": 1999', b'"amount": 1')
        response = await webhook_client.post(
            WEBHOOK_PATH, content=tampered, headers=signed_headers(body)
        )
        assert response.status_code == 400
        assert response.json()["error"]["details"][0]["type"] == "signature_mismatch"


class TestBodyRefusals:
    @pytest.mark.parametrize(
        "body",
        [
            b"not json at all",
            b"[]",
            b'{"hello": "world"}',
            b'{"id": "e1", "object": "charge", "type": "x", "created": 1, "data": {"object": {}}}',
            b'{"id": "evt_1", "object": "event", "type": "x", "created": 1, "data": {}}',
            b'{"id": "", "object": "event", "type": "x", "created": 1, "data": {"object": {}}}',
            # What the document does not allow: a time as a string, a fraction, a string
            # boolean, a time past the year 3000.
            b'{"id": "e2", "object": "event", "type": "x", "created": "1", "data": {"object": {}}}',
            b'{"id": "e3", "object": "event", "type": "x", "created": 1.5, "data": {"object": {}}}',
            b'{"id": "e4", "object": "event", "type": "x", "created": 1, "livemode": "true", '
            b'"data": {"object": {}}}',
            b'{"id": "e5", "object": "event", "type": "x", "created": 99999999999, '
            b'"data": {"object": {}}}',
        ],
    )
    async def test_a_signed_body_that_is_not_an_event(
        self, webhook_client: AsyncClient, body: bytes
    ) -> None:
        response = await webhook_client.post(
            WEBHOOK_PATH, content=body, headers=signed_headers(body)
        )
        assert response.status_code == 400
        payload = response.json()
        assert payload == refused(
            payload, "event_invalid", "body", "The body is not a Stripe event."
        )


class TestAccepted:
    async def test_a_whole_number_written_with_a_fraction_is_a_time(
        self, webhook_client: AsyncClient, inbox: Inbox
    ) -> None:
        # JSON Schema's `integer` counts 12523.0 as 12523, and so does the service.
        body = b'{"id": "evt_whole_created", "object": "event", "type": "x.y", "created": 12523.0, '
        body += b'"data": {"object": {}}}'
        response = await webhook_client.post(
            WEBHOOK_PATH, content=body, headers=signed_headers(body)
        )
        assert response.status_code == 200, response.text
        stored = await inbox.find_one({"_id": "evt_whole_created"})
        assert stored is not None

    async def test_signed_with_the_previous_secret_during_rotation(
        self, webhook_client: AsyncClient, inbox: Inbox
    ) -> None:
        event = stripe_event("payment_intent.succeeded", payment_intent())
        response = await deliver(webhook_client, event, secret=PREVIOUS_SECRET)
        assert response.status_code == 200
        assert response.json()["status"] == "queued"
        assert await inbox.count_documents({"_id": event["id"]}) == 1

    async def test_a_type_we_do_not_handle_is_stored_and_acknowledged(
        self, webhook_client: AsyncClient, inbox: Inbox
    ) -> None:
        event = stripe_event("customer.created", {"id": "cus_123", "object": "customer"})
        response = await deliver(webhook_client, event)
        assert (response.status_code, response.json()) == (
            200,
            {
                "received": True,
                "event_id": event["id"],
                "type": "customer.created",
                "status": "queued",
                "outcome": None,
            },
        )
        stored = await processed(inbox, event["id"])
        assert json.loads(stored["payload"]) == event
        assert (stored["state"], stored["outcome"], stored["attempts"]) == (
            "processed",
            "ignored",
            1,
        )
        assert stored["type"] == "customer.created"
        assert stored["object_id"] == "cus_123"
        assert stored["last_error"] is None
        assert stored["lease_owner"] is None

    async def test_an_event_about_an_object_that_is_not_ours(
        self, webhook_client: AsyncClient, inbox: Inbox
    ) -> None:
        intent = payment_intent(metadata={"payment_id": "pay_nobody_knows", "order_id": "ord_x"})
        event = stripe_event("payment_intent.succeeded", intent)
        response = await deliver(webhook_client, event)
        assert (response.status_code, response.json()["status"]) == (200, "queued")
        stored = await processed(inbox, event["id"])
        assert stored["outcome"] == "unmatched"

    async def test_metadata_keys_mongodb_could_not_hold_are_kept_verbatim(
        self, webhook_client: AsyncClient, inbox: Inbox
    ) -> None:
        intent = payment_intent(metadata={"a.b": "1", "$where": "2"})
        event = stripe_event("payment_intent.created", intent)
        response = await deliver(webhook_client, event)
        assert response.status_code == 200
        stored = await inbox.find_one({"_id": event["id"]})
        assert stored is not None
        assert json.loads(stored["payload"])["data"]["object"]["metadata"] == {
            "a.b": "1",
            "$where": "2",
        }


class TestDuplicates:
    async def test_the_same_event_five_times_is_processed_once(
        self, webhook_client: AsyncClient, inbox: Inbox
    ) -> None:
        event = stripe_event("payment_intent.canceled", payment_intent(status="canceled"))
        duplicates_before = counted("payment_intent.canceled", "duplicate")
        statuses = [(await deliver(webhook_client, event)).json()["status"] for _ in range(5)]
        assert statuses == ["queued", "duplicate", "duplicate", "duplicate", "duplicate"]
        stored = await processed(inbox, event["id"])
        assert stored["attempts"] == 1
        assert counted("payment_intent.canceled", "duplicate") == duplicates_before + 4

    async def test_five_simultaneous_deliveries_are_processed_once(
        self, webhook_client: AsyncClient, inbox: Inbox
    ) -> None:
        event = stripe_event("payment_intent.processing", payment_intent(status="processing"))
        responses = await asyncio.gather(*(deliver(webhook_client, event) for _ in range(5)))
        assert {response.status_code for response in responses} == {200}
        statuses = sorted(response.json()["status"] for response in responses)
        assert statuses == ["duplicate", "duplicate", "duplicate", "duplicate", "queued"]
        assert await inbox.count_documents({"_id": event["id"]}) == 1
        assert (await processed(inbox, event["id"]))["attempts"] == 1
