"""Manual capture: the authorization, full and partial capture, refunds after a partial
capture, releasing a hold, idempotent captures and Stripe's errors, through the SDK."""

from __future__ import annotations

import httpx
import pytest
import stripe

from stripe_emulator.flows.payment_intents import OVER_CAPTURE
from tests import calls
from tests.conftest import SECRET_KEY
from tests.waiting import eventually

SEVEN_DAYS = 7 * 24 * 3600
ALREADY_CAPTURED = "This PaymentIntent could not be captured because it has already been captured."


def _not_capturable(status: str) -> str:
    return (
        f"This PaymentIntent could not be captured because it has a status of {status}. Only a "
        "PaymentIntent with one of the following statuses may be captured: requires_capture."
    )


async def _authorized(
    client: stripe.StripeClient, token: str = "pm_card_visa"
) -> stripe.PaymentIntent:
    intent = await client.v1.payment_intents.create_async(calls.CREATE_MANUAL_INTENT)
    return await client.v1.payment_intents.confirm_async(intent.id, {"payment_method": token})


async def _events(client: stripe.StripeClient, type_: str) -> list[stripe.Event]:
    return list((await client.v1.events.list_async({"type": type_, "limit": 100})).data)


async def _types(client: stripe.StripeClient) -> list[str]:
    page = await client.v1.events.list_async({"limit": 100})
    return [event.type for event in reversed(page.data)]


class TestAuthorize:
    async def test_holds_the_amount_with_a_seven_day_deadline(
        self, client: stripe.StripeClient
    ) -> None:
        authorized = await _authorized(client)

        assert authorized.status == "requires_capture"
        assert (authorized.amount_capturable, authorized.amount_received) == (12_500, 0)
        charge = await client.v1.charges.retrieve_async(authorized.latest_charge)
        assert (charge.status, charge.paid, charge.captured) == ("succeeded", True, False)
        assert (charge.amount_captured, charge.amount_refunded, charge.refunded) == (0, 0, False)
        card = charge.payment_method_details.card
        assert card.capture_before == charge.created + SEVEN_DAYS
        assert card.amount_authorized == 12_500

    async def test_emits_the_charge_and_the_capturable_amount(
        self, client: stripe.StripeClient
    ) -> None:
        authorized = await _authorized(client)

        assert await _types(client) == [
            "payment_intent.created",
            "charge.succeeded",
            "payment_intent.amount_capturable_updated",
        ]
        [updated] = await _events(client, "payment_intent.amount_capturable_updated")
        intent = updated.data.object
        assert (intent.id, intent.status) == (authorized.id, "requires_capture")
        assert (intent.amount_capturable, intent.amount_received) == (12_500, 0)
        [succeeded] = await _events(client, "charge.succeeded")
        card = succeeded.data.object.payment_method_details.card
        assert card.capture_before == succeeded.data.object.created + SEVEN_DAYS

    async def test_an_automatic_capture_has_no_deadline(
        self, client: stripe.StripeClient, paid_intent: stripe.PaymentIntent
    ) -> None:
        charge = await client.v1.charges.retrieve_async(paid_intent.latest_charge)

        assert "capture_before" not in charge.payment_method_details.card.to_dict()


class TestCapture:
    async def test_in_full(self, client: stripe.StripeClient) -> None:
        authorized = await _authorized(client)

        captured = await client.v1.payment_intents.capture_async(authorized.id)

        assert captured.status == "succeeded"
        assert (captured.amount_capturable, captured.amount_received) == (0, 12_500)
        charge = await client.v1.charges.retrieve_async(captured.latest_charge)
        assert (charge.captured, charge.amount_captured, charge.amount_refunded) == (
            True,
            12_500,
            0,
        )

    async def test_partial_releases_the_rest_without_a_refund(
        self, client: stripe.StripeClient
    ) -> None:
        authorized = await _authorized(client)

        captured = await client.v1.payment_intents.capture_async(
            authorized.id, calls.CAPTURE_PARTIAL
        )

        assert captured.status == "succeeded"
        assert (captured.amount_capturable, captured.amount_received) == (0, 10_000)
        assert isinstance(captured.latest_charge, stripe.Charge)
        charge = captured.latest_charge
        assert (charge.amount, charge.amount_captured, charge.captured) == (12_500, 10_000, True)
        # Since 2025-03-31.basil the released 25.00 is neither a refund nor `amount_refunded`.
        assert (charge.amount_refunded, charge.refunded) == (0, False)
        refunds = await client.v1.refunds.list_async({"payment_intent": authorized.id})
        assert refunds.data == []

    async def test_partial_emits_captured_then_succeeded_with_the_amounts(
        self, client: stripe.StripeClient
    ) -> None:
        authorized = await _authorized(client)

        await client.v1.payment_intents.capture_async(authorized.id, calls.CAPTURE_PARTIAL)

        assert (await _types(client))[-2:] == ["charge.captured", "payment_intent.succeeded"]
        [captured] = await _events(client, "charge.captured")
        assert captured.data.object.amount_captured == 10_000
        assert captured.data.object.amount_refunded == 0
        assert captured.data.previous_attributes.to_dict() == {
            "amount_captured": 0,
            "balance_transaction": None,
            "captured": False,
        }
        [succeeded] = await _events(client, "payment_intent.succeeded")
        intent = succeeded.data.object
        assert (intent.amount_received, intent.amount_capturable) == (10_000, 0)
        assert captured.request.id is not None
        assert succeeded.request.id == captured.request.id

    async def test_refunds_after_a_partial_capture_reach_only_the_captured_amount(
        self, client: stripe.StripeClient
    ) -> None:
        authorized = await _authorized(client)
        await client.v1.payment_intents.capture_async(authorized.id, calls.CAPTURE_PARTIAL)

        with pytest.raises(stripe.InvalidRequestError) as over_all:
            await client.v1.refunds.create_async(
                {"payment_intent": authorized.id, "amount": 10_001}
            )
        first = await client.v1.refunds.create_async(
            {"payment_intent": authorized.id, "amount": 6_000}
        )
        with pytest.raises(stripe.InvalidRequestError) as over_rest:
            await client.v1.refunds.create_async({"payment_intent": authorized.id, "amount": 4_001})
        rest = await client.v1.refunds.create_async({"payment_intent": authorized.id})

        assert over_all.value.user_message == (
            "Refund amount ($100.01) is greater than charge amount ($100.00)"
        )
        assert over_rest.value.user_message == (
            "Refund amount ($40.01) is greater than unrefunded amount on charge ($40.00)"
        )
        assert (first.amount, rest.amount) == (6_000, 4_000)
        charge = await client.v1.charges.retrieve_async(authorized.latest_charge)
        assert (charge.amount_refunded, charge.refunded) == (10_000, True)

    async def test_replays_for_its_idempotency_key(
        self, client: stripe.StripeClient, api: httpx.Client
    ) -> None:
        authorized = await _authorized(client)
        path = f"/v1/payment_intents/{authorized.id}/capture"
        headers = {"Authorization": f"Bearer {SECRET_KEY}", "Idempotency-Key": "pay_1:capture"}

        first = api.post(path, data={"amount_to_capture": "10000"}, headers=headers)
        again = api.post(path, data={"amount_to_capture": "10000"}, headers=headers)
        other = api.post(path, data={"amount_to_capture": "9000"}, headers=headers)

        assert first.status_code == again.status_code == 200
        assert again.content == first.content
        assert again.headers["Idempotent-Replayed"] == "true"
        assert again.headers["Original-Request"] == first.headers["Request-Id"]
        assert (other.status_code, other.json()["error"]["type"]) == (400, "idempotency_error")
        assert len(await _events(client, "charge.captured")) == 1
        charge = await client.v1.charges.retrieve_async(authorized.latest_charge)
        assert charge.amount_captured == 10_000

    async def test_the_dispute_card_is_disputed_once_captured(
        self, client: stripe.StripeClient
    ) -> None:
        authorized = await _authorized(client, "pm_card_createDispute")
        await client.v1.payment_intents.capture_async(authorized.id, calls.CAPTURE_PARTIAL)

        async def disputed() -> stripe.Dispute | None:
            page = await client.v1.disputes.list_async()
            return page.data[0] if page.data else None

        dispute: stripe.Dispute = await eventually(disputed)
        assert (dispute.charge, dispute.amount) == (authorized.latest_charge, 10_000)


class TestCaptureErrors:
    async def test_more_than_capturable_is_amount_too_large(
        self, client: stripe.StripeClient
    ) -> None:
        authorized = await _authorized(client)

        with pytest.raises(stripe.InvalidRequestError) as raised:
            await client.v1.payment_intents.capture_async(
                authorized.id, {"amount_to_capture": 12_501}
            )

        error = raised.value
        assert (error.http_status, error.code, error.param) == (
            400,
            "amount_too_large",
            "amount_to_capture",
        )
        assert error.user_message == OVER_CAPTURE
        assert error.error is not None
        assert error.error.type == "invalid_request_error"
        assert error.error.payment_intent.id == authorized.id
        intent = await client.v1.payment_intents.retrieve_async(authorized.id)
        assert (intent.status, intent.amount_capturable) == ("requires_capture", 12_500)

    async def test_a_captured_intent_is_already_captured(self, client: stripe.StripeClient) -> None:
        authorized = await _authorized(client)
        await client.v1.payment_intents.capture_async(authorized.id, calls.CAPTURE_PARTIAL)

        with pytest.raises(stripe.InvalidRequestError) as raised:
            await client.v1.payment_intents.capture_async(authorized.id)

        error = raised.value
        assert (error.http_status, error.code) == (400, "payment_intent_unexpected_state")
        assert error.user_message == ALREADY_CAPTURED
        assert error.error.payment_intent.status == "succeeded"

    async def test_an_automatic_payment_is_already_captured(
        self, client: stripe.StripeClient, paid_intent: stripe.PaymentIntent
    ) -> None:
        with pytest.raises(stripe.InvalidRequestError) as raised:
            await client.v1.payment_intents.capture_async(paid_intent.id)

        assert raised.value.code == "payment_intent_unexpected_state"
        assert raised.value.user_message == ALREADY_CAPTURED

    async def test_a_canceled_intent_cannot_be_captured(self, client: stripe.StripeClient) -> None:
        authorized = await _authorized(client)
        await client.v1.payment_intents.cancel_async(authorized.id)

        with pytest.raises(stripe.InvalidRequestError) as raised:
            await client.v1.payment_intents.capture_async(authorized.id)

        error = raised.value
        assert (error.http_status, error.code) == (400, "payment_intent_unexpected_state")
        assert error.user_message == _not_capturable("canceled")
        assert error.error.payment_intent.id == authorized.id

    @pytest.mark.parametrize(
        ("token", "status"),
        [(None, "requires_payment_method"), ("pm_card_authenticationRequired", "requires_action")],
    )
    async def test_an_intent_not_yet_authorized_cannot_be_captured(
        self, client: stripe.StripeClient, token: str | None, status: str
    ) -> None:
        intent = await client.v1.payment_intents.create_async(calls.CREATE_MANUAL_INTENT)
        if token is not None:
            await client.v1.payment_intents.confirm_async(intent.id, {"payment_method": token})

        with pytest.raises(stripe.InvalidRequestError) as raised:
            await client.v1.payment_intents.capture_async(intent.id)

        assert raised.value.code == "payment_intent_unexpected_state"
        assert raised.value.user_message == _not_capturable(status)
        assert raised.value.error.payment_intent.status == status

    async def test_a_succeeded_intent_cannot_be_canceled(self, client: stripe.StripeClient) -> None:
        authorized = await _authorized(client)
        await client.v1.payment_intents.capture_async(authorized.id)

        with pytest.raises(stripe.InvalidRequestError) as raised:
            await client.v1.payment_intents.cancel_async(authorized.id)

        error = raised.value
        assert (error.http_status, error.code) == (400, "payment_intent_unexpected_state")
        assert error.user_message == (
            "You cannot cancel this PaymentIntent because it has a status of succeeded. Only a "
            "PaymentIntent with one of the following statuses may be canceled: "
            "requires_payment_method, requires_capture, requires_confirmation, requires_action, "
            "processing."
        )
        assert error.error.payment_intent.id == authorized.id

    async def test_an_uncaptured_charge_cannot_be_refunded(
        self, client: stripe.StripeClient
    ) -> None:
        authorized = await _authorized(client)

        with pytest.raises(stripe.InvalidRequestError) as raised:
            await client.v1.refunds.create_async({"payment_intent": authorized.id})

        error = raised.value
        assert (error.http_status, error.param) == (400, "charge")
        assert error.user_message == (
            f"Charge {authorized.latest_charge} has not been captured: cancel its PaymentIntent "
            "instead."
        )


class TestCancelAuthorization:
    async def test_releases_the_hold_and_leaves_the_charge_uncaptured(
        self, client: stripe.StripeClient
    ) -> None:
        authorized = await _authorized(client)

        canceled = await client.v1.payment_intents.cancel_async(authorized.id, calls.CANCEL_INTENT)

        assert (canceled.status, canceled.amount_capturable, canceled.amount_received) == (
            "canceled",
            0,
            0,
        )
        assert canceled.cancellation_reason == "requested_by_customer"
        charge = await client.v1.charges.retrieve_async(canceled.latest_charge)
        assert (charge.status, charge.captured, charge.amount_captured) == ("succeeded", False, 0)
        # Since 2025-03-31.basil a released hold is no refund.
        assert (charge.amount_refunded, charge.refunded) == (0, False)
        assert (await client.v1.refunds.list_async({"charge": charge.id})).data == []
        assert (await _types(client))[-1] == "payment_intent.canceled"
        assert "charge.refunded" not in await _types(client)
