"""Charges (retrieve, list) and refunds: partial, several, over-refund, async outcomes."""

from __future__ import annotations

import pytest
import stripe

from tests import calls
from tests.waiting import eventually


async def _paid(client: stripe.StripeClient, token: str = "pm_card_visa") -> stripe.PaymentIntent:
    intent = await client.v1.payment_intents.create_async(
        {**calls.CREATE_INTENT, "amount": 10_000, "payment_method": token, "confirm": True}
    )
    assert intent.status == "succeeded"
    return intent


class TestCharges:
    async def test_list_by_payment_intent(self, client: stripe.StripeClient) -> None:
        first = await _paid(client)
        await _paid(client)

        listed = await client.v1.charges.list_async({"payment_intent": first.id})

        assert [charge.id for charge in listed.data] == [first.latest_charge]
        assert listed.url == "/v1/charges"

    async def test_unknown_charge_is_resource_missing(self, client: stripe.StripeClient) -> None:
        with pytest.raises(stripe.InvalidRequestError) as raised:
            await client.v1.charges.retrieve_async("ch_missing")

        assert raised.value.user_message == "No such charge: 'ch_missing'"


class TestRefunds:
    async def test_partial_refunds_add_up_then_over_refund_fails(
        self, client: stripe.StripeClient
    ) -> None:
        intent = await _paid(client)

        first = await client.v1.refunds.create_async(
            {**calls.PARTIAL_REFUND, "payment_intent": intent.id}
        )
        second = await client.v1.refunds.create_async(
            {"charge": intent.latest_charge, "amount": 5_000}
        )
        with pytest.raises(stripe.InvalidRequestError) as raised:
            await client.v1.refunds.create_async({"payment_intent": intent.id, "amount": 2_501})

        assert (first.status, first.amount, first.reason) == (
            "succeeded",
            2_500,
            "requested_by_customer",
        )
        assert first.metadata.to_dict() == {"refund_id": "ref_0001"}
        assert (first.charge, first.payment_intent) == (intent.latest_charge, intent.id)
        assert second.amount == 5_000
        assert raised.value.param == "amount"
        assert raised.value.user_message == (
            "Refund amount ($25.01) is greater than unrefunded amount on charge ($25.00)"
        )
        charge = await client.v1.charges.retrieve_async(intent.latest_charge)
        assert (charge.amount_refunded, charge.refunded) == (7_500, False)

    async def test_full_refund_marks_the_charge_refunded(self, client: stripe.StripeClient) -> None:
        intent = await _paid(client)

        refund = await client.v1.refunds.create_async({"payment_intent": intent.id})
        with pytest.raises(stripe.InvalidRequestError) as raised:
            await client.v1.refunds.create_async({"payment_intent": intent.id, "amount": 100})

        assert refund.amount == 10_000
        charge = await client.v1.charges.retrieve_async(intent.latest_charge)
        assert (charge.amount_refunded, charge.refunded) == (10_000, True)
        assert raised.value.code == "charge_already_refunded"
        assert raised.value.user_message == f"Charge {charge.id} has already been refunded."

    async def test_more_than_the_charge_fails_with_the_charge_amount_message(
        self, client: stripe.StripeClient
    ) -> None:
        intent = await _paid(client)

        with pytest.raises(stripe.InvalidRequestError) as raised:
            await client.v1.refunds.create_async({"payment_intent": intent.id, "amount": 10_001})

        assert raised.value.user_message == (
            "Refund amount ($100.01) is greater than charge amount ($100.00)"
        )

    async def test_an_unpaid_intent_has_nothing_to_refund(
        self, client: stripe.StripeClient
    ) -> None:
        intent = await client.v1.payment_intents.create_async(calls.CREATE_INTENT)

        with pytest.raises(stripe.InvalidRequestError) as raised:
            await client.v1.refunds.create_async({"payment_intent": intent.id})

        assert raised.value.user_message == (
            "This PaymentIntent does not have a successful charge to refund."
        )

    async def test_neither_charge_nor_intent_is_refused(self, client: stripe.StripeClient) -> None:
        with pytest.raises(stripe.InvalidRequestError) as raised:
            await client.v1.refunds.create_async({"amount": 100})

        assert raised.value.code == "parameter_missing"

    async def test_retrieve_update_and_list_by_intent(self, client: stripe.StripeClient) -> None:
        intent = await _paid(client)
        other = await _paid(client)
        refunds = [
            await client.v1.refunds.create_async({"payment_intent": intent.id, "amount": 1_000})
            for _ in range(3)
        ]
        await client.v1.refunds.create_async({"payment_intent": other.id, "amount": 1_000})

        retrieved = await client.v1.refunds.retrieve_async(refunds[0].id)
        updated = await client.v1.refunds.update_async(refunds[0].id, {"metadata": {"k": "v"}})
        listed = await client.v1.refunds.list_async({"payment_intent": intent.id, "limit": 2})

        assert retrieved.to_dict() == refunds[0].to_dict()
        assert updated.metadata.to_dict() == {"k": "v"}
        assert [refund.id for refund in listed.data] == [refunds[2].id, refunds[1].id]
        assert listed.has_more is True

    async def test_pending_refund_card_settles_later(self, client: stripe.StripeClient) -> None:
        method = await client.v1.payment_methods.create_async(
            {
                "type": "card",
                "card": {"number": "4000000000007726", "exp_month": 1, "exp_year": 2040},
            }
        )
        intent = await _paid(client, method.id)

        refund = await client.v1.refunds.create_async({"payment_intent": intent.id})
        assert (refund.status, refund.pending_reason) == ("pending", "processing")

        async def settled() -> bool:
            latest = await client.v1.refunds.retrieve_async(refund.id)
            return latest.status == "succeeded"

        await eventually(settled)
        assert "pending_reason" not in await client.v1.refunds.retrieve_async(refund.id)

    async def test_fields_that_do_not_apply_are_absent_as_at_stripe(
        self, client: stripe.StripeClient
    ) -> None:
        intent = await _paid(client)

        refund = await client.v1.refunds.create_async({"payment_intent": intent.id})

        absent = ("description", "failure_reason", "failure_balance_transaction", "pending_reason")
        assert [field for field in absent if field in refund] == []
        assert (refund.reason, refund.receipt_number, refund.transfer_reversal) == (None,) * 3

    async def test_refund_fail_card_fails_later_and_restores_the_charge(
        self, client: stripe.StripeClient
    ) -> None:
        intent = await _paid(client, "pm_card_refundFail")

        refund = await client.v1.refunds.create_async({"payment_intent": intent.id})
        assert refund.status == "succeeded"

        async def failed() -> bool:
            latest = await client.v1.refunds.retrieve_async(refund.id)
            return latest.status == "failed" and latest.failure_reason == "expired_or_canceled_card"

        await eventually(failed)
        charge = await client.v1.charges.retrieve_async(intent.latest_charge)
        assert (charge.amount_refunded, charge.refunded) == (0, False)
