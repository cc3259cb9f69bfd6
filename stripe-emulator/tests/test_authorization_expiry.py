"""An authorization not captured by its `capture_before` is cancelled as Stripe does, aged
through the control API instead of waiting seven days."""

from __future__ import annotations

import asyncio
import time

import httpx
import pytest
import stripe

from tests import calls
from tests.servers import WebhookReceiver
from tests.waiting import eventually

SEVEN_DAYS = 7 * 24 * 3600


async def _authorized(client: stripe.StripeClient) -> stripe.PaymentIntent:
    intent = await client.v1.payment_intents.create_async(calls.CREATE_MANUAL_INTENT)
    return await client.v1.payment_intents.confirm_async(intent.id, calls.CONFIRM_INTENT)


def _age(control: httpx.Client, intent_id: str, seconds: object) -> httpx.Response:
    return control.post(f"/payment_intents/{intent_id}/age", json={"seconds": seconds})


async def _capture_before(client: stripe.StripeClient, charge_id: str) -> int:
    charge = await client.v1.charges.retrieve_async(charge_id)
    deadline = charge.payment_method_details.card.capture_before
    assert deadline is not None
    return deadline


class TestExpiry:
    async def test_past_its_deadline_the_intent_is_canceled_as_expired(
        self, client: stripe.StripeClient, control: httpx.Client
    ) -> None:
        authorized = await _authorized(client)

        answer = _age(control, authorized.id, SEVEN_DAYS)

        assert answer.status_code == 200
        assert (answer.json()["id"], answer.json()["status"]) == (authorized.id, "canceled")
        intent = await client.v1.payment_intents.retrieve_async(authorized.id)
        assert (intent.status, intent.cancellation_reason) == ("canceled", "expired")
        assert (intent.amount_capturable, intent.amount_received) == (0, 0)
        assert intent.canceled_at is not None
        assert abs(intent.canceled_at - time.time()) < 60
        charge = await client.v1.charges.retrieve_async(authorized.latest_charge)
        assert (charge.status, charge.captured, charge.amount_captured) == ("succeeded", False, 0)
        assert (charge.amount_refunded, charge.refunded) == (0, False)
        assert await _capture_before(client, charge.id) <= time.time()
        assert (await client.v1.refunds.list_async({"charge": charge.id})).data == []

    async def test_expiry_emits_charge_expired_then_payment_intent_canceled(
        self, client: stripe.StripeClient, control: httpx.Client
    ) -> None:
        authorized = await _authorized(client)

        _age(control, authorized.id, SEVEN_DAYS)

        page = await client.v1.events.list_async({"limit": 2})
        canceled, expired = page.data
        assert (expired.type, canceled.type) == ("charge.expired", "payment_intent.canceled")
        assert expired.data.object.id == authorized.latest_charge
        assert (expired.data.object.captured, expired.data.object.amount_refunded) == (False, 0)
        assert canceled.data.object.id == authorized.id
        assert canceled.data.object.cancellation_reason == "expired"
        assert canceled.data.object.amount_capturable == 0
        # Stripe's own doing, not an API request's.
        assert (expired.request.id, canceled.request.id) == (None, None)

    async def test_an_expired_authorization_cannot_be_captured(
        self, client: stripe.StripeClient, control: httpx.Client
    ) -> None:
        authorized = await _authorized(client)
        _age(control, authorized.id, SEVEN_DAYS)

        with pytest.raises(stripe.InvalidRequestError) as raised:
            await client.v1.payment_intents.capture_async(authorized.id)

        assert raised.value.code == "payment_intent_unexpected_state"
        assert str(raised.value.user_message).startswith(
            "This PaymentIntent could not be captured because it has a status of canceled."
        )

    async def test_the_deadline_fires_on_its_own_once_due(
        self, client: stripe.StripeClient, control: httpx.Client
    ) -> None:
        authorized = await _authorized(client)

        # `created` is a whole second, so this leaves between one and two seconds.
        answer = _age(control, authorized.id, SEVEN_DAYS - 2)
        assert answer.json()["status"] == "requires_capture"

        async def expired() -> bool:
            intent = await client.v1.payment_intents.retrieve_async(authorized.id)
            return intent.cancellation_reason == "expired"

        await eventually(expired, within=5)

    async def test_a_capture_in_time_disarms_the_deadline(
        self, client: stripe.StripeClient, control: httpx.Client
    ) -> None:
        authorized = await _authorized(client)
        _age(control, authorized.id, SEVEN_DAYS - 2)

        await client.v1.payment_intents.capture_async(authorized.id)
        await asyncio.sleep(2.5)

        intent = await client.v1.payment_intents.retrieve_async(authorized.id)
        assert intent.status == "succeeded"
        assert (await client.v1.events.list_async({"type": "charge.expired"})).data == []

    async def test_expiry_reaches_webhook_endpoints(
        self, client: stripe.StripeClient, control: httpx.Client, receiver: WebhookReceiver
    ) -> None:
        authorized = await _authorized(client)

        _age(control, authorized.id, SEVEN_DAYS)

        await eventually(lambda: "payment_intent.canceled" in receiver.types())
        assert receiver.types()[-2:] == ["charge.expired", "payment_intent.canceled"]
        assert receiver.rejected == []


class TestAgeKnob:
    async def test_moves_the_authorization_back_in_time(
        self, client: stripe.StripeClient, control: httpx.Client
    ) -> None:
        authorized = await _authorized(client)
        before = await _capture_before(client, authorized.latest_charge)

        answer = _age(control, authorized.id, 3600)

        assert answer.json()["status"] == "requires_capture"
        assert answer.json()["created"] == authorized.created - 3600
        assert await _capture_before(client, authorized.latest_charge) == before - 3600
        charge = await client.v1.charges.retrieve_async(authorized.latest_charge)
        assert charge.payment_method_details.card.capture_before == charge.created + SEVEN_DAYS

    async def test_ages_every_authorization_at_once(
        self, client: stripe.StripeClient, control: httpx.Client
    ) -> None:
        first = await _authorized(client)
        second = await _authorized(client)
        await client.v1.payment_intents.create_async(
            {**calls.CREATE_MANUAL_INTENT, "payment_method": "pm_card_visa", "confirm": True,
             "capture_method": "automatic"}
        )  # fmt: skip

        answer = control.post("/authorizations/age", json={"seconds": SEVEN_DAYS})

        aged = answer.json()["data"]
        assert [intent["id"] for intent in aged] == [first.id, second.id]
        assert {intent["cancellation_reason"] for intent in aged} == {"expired"}

    async def test_takes_a_form_encoded_body(
        self, client: stripe.StripeClient, control: httpx.Client
    ) -> None:
        authorized = await _authorized(client)

        answer = control.post(f"/payment_intents/{authorized.id}/age", data={"seconds": "60"})

        assert answer.json()["created"] == authorized.created - 60

    @pytest.mark.parametrize("seconds", [0, -5, "soon", 1.5, True, None])
    async def test_refuses_anything_but_positive_whole_seconds(
        self, client: stripe.StripeClient, control: httpx.Client, seconds: object
    ) -> None:
        authorized = await _authorized(client)

        answer = _age(control, authorized.id, seconds)

        assert answer.status_code == 400
        assert answer.json()["error"]["param"] == "seconds"

    async def test_refuses_an_intent_without_a_pending_authorization(
        self, client: stripe.StripeClient, control: httpx.Client, paid_intent: stripe.PaymentIntent
    ) -> None:
        answer = _age(control, paid_intent.id, 60)

        assert answer.status_code == 400
        assert answer.json()["error"]["message"] == (
            f"PaymentIntent {paid_intent.id} holds no authorization to age: its status is "
            "succeeded."
        )

    def test_an_unknown_intent_is_not_found(self, control: httpx.Client) -> None:
        answer = _age(control, "pi_missing", 60)

        assert answer.status_code == 404
        assert answer.json()["error"]["code"] == "resource_missing"

    def test_answers_no_other_website(self, control: httpx.Client) -> None:
        answer = control.options(
            "/authorizations/age",
            headers={"Origin": "https://any-website.example",
                     "Access-Control-Request-Method": "POST"},
        )  # fmt: skip

        assert "access-control-allow-origin" not in answer.headers
