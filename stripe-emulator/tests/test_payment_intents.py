"""PaymentIntents through the official SDK: create, retrieve, update, confirm, cancel, list."""

from __future__ import annotations

import httpx
import pytest
import stripe

from tests import calls

# Every field the SDK's PaymentIntent declares that Stripe returns on a card PaymentIntent.
INTENT_FIELDS = {
    "id",
    "object",
    "amount",
    "amount_capturable",
    "amount_details",
    "amount_received",
    "application",
    "application_fee_amount",
    "automatic_payment_methods",
    "canceled_at",
    "cancellation_reason",
    "capture_method",
    "client_secret",
    "confirmation_method",
    "created",
    "currency",
    "customer",
    "description",
    "last_payment_error",
    "latest_charge",
    "livemode",
    "metadata",
    "next_action",
    "on_behalf_of",
    "payment_method",
    "payment_method_options",
    "payment_method_types",
    "processing",
    "receipt_email",
    "review",
    "setup_future_usage",
    "shipping",
    "source",
    "statement_descriptor",
    "statement_descriptor_suffix",
    "status",
    "transfer_data",
    "transfer_group",
}


class TestCreate:
    async def test_returns_a_payment_intent_shaped_like_stripes(
        self, client: stripe.StripeClient
    ) -> None:
        intent = await client.v1.payment_intents.create_async(calls.CREATE_INTENT)

        assert isinstance(intent, stripe.PaymentIntent)
        assert set(intent.to_dict()) >= INTENT_FIELDS
        assert intent.id.startswith("pi_")
        assert intent.client_secret.startswith(f"{intent.id}_secret_")
        assert intent.status == "requires_payment_method"
        assert (intent.amount, intent.currency, intent.customer) == (
            12_500,
            "usd",
            "cus_ERPcustomer0001",
        )
        assert intent.metadata.to_dict() == calls.CREATE_INTENT["metadata"]
        assert intent.automatic_payment_methods.to_dict() == {
            "enabled": True,
            "allow_redirects": "never",
        }
        assert intent.payment_method_types == ["card"]
        assert intent.statement_descriptor_suffix == "ORD000123"
        assert intent.receipt_email == "buyer@example.com"
        assert (intent.amount_received, intent.latest_charge, intent.next_action) == (0, None, None)

    async def test_defaults_to_automatic_payment_methods_with_redirects(
        self, client: stripe.StripeClient
    ) -> None:
        intent = await client.v1.payment_intents.create_async({"amount": 1000, "currency": "eur"})

        assert intent.automatic_payment_methods.to_dict() == {
            "enabled": True,
            "allow_redirects": "always",
        }
        assert intent.capture_method == "automatic"

    async def test_disabled_automatic_payment_methods_is_null(
        self, client: stripe.StripeClient
    ) -> None:
        intent = await client.v1.payment_intents.create_async(
            {"amount": 1000, "currency": "usd", "automatic_payment_methods": {"enabled": False}}
        )

        assert intent.automatic_payment_methods is None
        assert intent.payment_method_types == ["card"]

    async def test_with_a_payment_method_waits_for_confirmation(
        self, client: stripe.StripeClient
    ) -> None:
        intent = await client.v1.payment_intents.create_async(
            {**calls.CREATE_INTENT, "payment_method": "pm_card_visa"}
        )

        assert intent.status == "requires_confirmation"
        assert intent.payment_method.startswith("pm_")
        assert intent.payment_method != "pm_card_visa"

    async def test_confirm_true_charges_at_once(self, client: stripe.StripeClient) -> None:
        intent = await client.v1.payment_intents.create_async(
            {**calls.CREATE_INTENT, "payment_method": "pm_card_mastercard", "confirm": True}
        )

        assert intent.status == "succeeded"
        assert intent.amount_received == 12_500
        charge = await client.v1.charges.retrieve_async(intent.latest_charge)
        assert charge.payment_method_details.card.brand == "mastercard"

    @pytest.mark.parametrize(
        ("params", "code", "param", "message"),
        [
            (
                {"amount": 49, "currency": "usd"},
                "amount_too_small",
                "amount",
                "Amount must be at least $0.50 usd",
            ),
            (
                {"amount": 100_000_000, "currency": "usd"},
                "amount_too_large",
                "amount",
                "Amount must be no more than $999,999.99",
            ),
            ({"currency": "usd"}, "parameter_missing", "amount", "Missing required param: amount."),
        ],
    )
    async def test_refuses_bad_amounts_like_stripe(
        self,
        client: stripe.StripeClient,
        params: dict[str, object],
        code: str,
        param: str,
        message: str,
    ) -> None:
        with pytest.raises(stripe.InvalidRequestError) as raised:
            await client.v1.payment_intents.create_async(params)

        assert raised.value.http_status == 400
        assert (raised.value.code, raised.value.param) == (code, param)
        assert raised.value.user_message == message

    async def test_refuses_an_unknown_currency(self, client: stripe.StripeClient) -> None:
        with pytest.raises(stripe.InvalidRequestError) as raised:
            await client.v1.payment_intents.create_async({"amount": 1000, "currency": "xyz"})

        assert raised.value.param == "currency"
        assert str(raised.value.user_message).startswith("Invalid currency: xyz.")

    async def test_server_side_confirm_needs_a_return_url_when_redirects_are_allowed(
        self, client: stripe.StripeClient
    ) -> None:
        with pytest.raises(stripe.InvalidRequestError) as raised:
            await client.v1.payment_intents.create_async(
                {
                    "amount": 1000,
                    "currency": "usd",
                    "payment_method": "pm_card_visa",
                    "confirm": True,
                }
            )

        assert "you must provide a `return_url`" in str(raised.value.user_message)


class TestRetrieveAndUpdate:
    async def test_retrieve_returns_the_same_object(self, client: stripe.StripeClient) -> None:
        created = await client.v1.payment_intents.create_async(calls.CREATE_INTENT)

        retrieved = await client.v1.payment_intents.retrieve_async(created.id)

        assert retrieved.to_dict() == created.to_dict()

    async def test_retrieve_unknown_id_is_resource_missing(
        self, client: stripe.StripeClient
    ) -> None:
        with pytest.raises(stripe.InvalidRequestError) as raised:
            await client.v1.payment_intents.retrieve_async("pi_doesnotexist")

        assert raised.value.http_status == 404
        assert raised.value.code == "resource_missing"
        assert raised.value.user_message == "No such payment_intent: 'pi_doesnotexist'"

    async def test_update_merges_metadata_and_unsets_with_empty_strings(
        self, client: stripe.StripeClient
    ) -> None:
        intent = await client.v1.payment_intents.create_async(calls.CREATE_INTENT)

        updated = await client.v1.payment_intents.update_async(
            intent.id,
            {
                "amount": 20_000,
                "description": "",
                "metadata": {"payment_id": "", "note": "deposit"},
            },
        )

        assert updated.amount == 20_000
        assert updated.description is None
        assert updated.metadata.to_dict() == {"order_id": "ORD-2026-000123", "note": "deposit"}

    async def test_amount_cannot_change_after_success(
        self, client: stripe.StripeClient, paid_intent: stripe.PaymentIntent
    ) -> None:
        with pytest.raises(stripe.InvalidRequestError) as raised:
            await client.v1.payment_intents.update_async(paid_intent.id, {"amount": 100})

        assert raised.value.code == "payment_intent_unexpected_state"
        metadata_only = await client.v1.payment_intents.update_async(
            paid_intent.id, {"metadata": {"reconciled": "yes"}}
        )
        assert metadata_only.metadata.to_dict() == {"reconciled": "yes"}


class TestConfirm:
    async def test_success_sets_charge_and_amount_received(
        self, client: stripe.StripeClient
    ) -> None:
        intent = await client.v1.payment_intents.create_async(calls.CREATE_INTENT)

        confirmed = await client.v1.payment_intents.confirm_async(intent.id, calls.CONFIRM_INTENT)

        assert confirmed.status == "succeeded"
        assert confirmed.amount_received == 12_500
        assert confirmed.latest_charge.startswith("ch_")
        assert confirmed.last_payment_error is None
        charge = await client.v1.charges.retrieve_async(confirmed.latest_charge)
        assert (charge.status, charge.paid, charge.captured, charge.amount_captured) == (
            "succeeded",
            True,
            True,
            12_500,
        )
        assert charge.payment_intent == intent.id
        assert charge.payment_method == confirmed.payment_method
        assert charge.payment_method_details.card.last4 == "4242"
        assert charge.metadata.to_dict() == calls.CREATE_INTENT["metadata"]

    async def test_without_payment_method_is_an_unexpected_state(
        self, client: stripe.StripeClient
    ) -> None:
        intent = await client.v1.payment_intents.create_async(calls.CREATE_INTENT)

        with pytest.raises(stripe.InvalidRequestError) as raised:
            await client.v1.payment_intents.confirm_async(intent.id)

        assert raised.value.code == "payment_intent_unexpected_state"
        assert "missing a payment method" in str(raised.value.user_message)

    async def test_twice_is_refused_with_the_intent_in_the_error(
        self, client: stripe.StripeClient, paid_intent: stripe.PaymentIntent
    ) -> None:
        with pytest.raises(stripe.InvalidRequestError) as raised:
            await client.v1.payment_intents.confirm_async(paid_intent.id, calls.CONFIRM_INTENT)

        assert raised.value.code == "payment_intent_unexpected_state"
        assert raised.value.user_message == (
            "You cannot confirm this PaymentIntent because it has a status of succeeded. Only a "
            "PaymentIntent with one of the following statuses may be confirmed: "
            "requires_payment_method, requires_confirmation, requires_action."
        )
        assert raised.value.error is not None
        assert raised.value.error.payment_intent.id == paid_intent.id

    async def test_expand_latest_charge_and_payment_method(
        self, client: stripe.StripeClient
    ) -> None:
        intent = await client.v1.payment_intents.create_async(calls.CREATE_INTENT)

        confirmed = await client.v1.payment_intents.confirm_async(
            intent.id, {**calls.CONFIRM_INTENT, "expand": ["latest_charge", "payment_method"]}
        )

        assert isinstance(confirmed.latest_charge, stripe.Charge)
        assert isinstance(confirmed.payment_method, stripe.PaymentMethod)
        assert confirmed.payment_method.card.brand == "visa"


class TestCancel:
    """Cancelling an authorization, and capture itself, are in test_manual_capture.py."""

    async def test_cancel_records_the_reason(self, client: stripe.StripeClient) -> None:
        intent = await client.v1.payment_intents.create_async(calls.CREATE_INTENT)

        canceled = await client.v1.payment_intents.cancel_async(intent.id, calls.CANCEL_INTENT)

        assert canceled.status == "canceled"
        assert canceled.cancellation_reason == "requested_by_customer"
        assert canceled.canceled_at is not None
        assert canceled.canceled_at >= intent.created

    async def test_a_canceled_intent_cannot_be_confirmed(self, client: stripe.StripeClient) -> None:
        intent = await client.v1.payment_intents.create_async(calls.CREATE_INTENT)
        await client.v1.payment_intents.cancel_async(intent.id)

        with pytest.raises(stripe.InvalidRequestError) as raised:
            await client.v1.payment_intents.confirm_async(intent.id, calls.CONFIRM_INTENT)

        assert raised.value.code == "payment_intent_unexpected_state"


class TestList:
    async def test_filters_by_customer_newest_first_and_paginates(
        self, client: stripe.StripeClient, control: httpx.Client
    ) -> None:
        mine = [
            (await client.v1.payment_intents.create_async(calls.CREATE_INTENT)).id for _ in range(5)
        ]
        await client.v1.payment_intents.create_async(
            {**calls.CREATE_INTENT, "customer": "cus_someoneelse"}
        )

        first = await client.v1.payment_intents.list_async(calls.LIST_INTENTS)
        second = await client.v1.payment_intents.list_async(
            {**calls.LIST_INTENTS, "starting_after": first.data[-1].id}
        )
        before = await client.v1.payment_intents.list_async(
            {**calls.LIST_INTENTS, "ending_before": second.data[0].id}
        )

        newest_first = list(reversed(mine))
        assert [intent.id for intent in first.data] == newest_first[:3]
        assert first.has_more is True
        assert [intent.id for intent in second.data] == newest_first[3:]
        assert second.has_more is False
        assert [intent.id for intent in before.data] == newest_first[:3]
        assert first.url == "/v1/payment_intents"

    async def test_auto_paging_walks_every_page(self, client: stripe.StripeClient) -> None:
        created = {
            (await client.v1.payment_intents.create_async(calls.CREATE_INTENT)).id for _ in range(7)
        }

        page = await client.v1.payment_intents.list_async({"limit": 2})
        seen = {intent.id async for intent in page.auto_paging_iter()}

        assert seen == created

    async def test_limit_over_100_is_refused(self, client: stripe.StripeClient) -> None:
        with pytest.raises(stripe.InvalidRequestError) as raised:
            await client.v1.payment_intents.list_async({"limit": 101})

        assert raised.value.param == "limit"
