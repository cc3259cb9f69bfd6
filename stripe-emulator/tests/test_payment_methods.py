"""Card PaymentMethods: raw card details and `pm_card_*` tokens, validated like Stripe."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
import stripe

from tests import calls


def _card(**overrides: Any) -> dict[str, Any]:
    return {"type": "card", "card": {**calls.CREATE_CARD_PAYMENT_METHOD["card"], **overrides}}


class TestCreate:
    async def test_derives_brand_and_last4_from_the_number(
        self, client: stripe.StripeClient
    ) -> None:
        method = await client.v1.payment_methods.create_async(calls.CREATE_CARD_PAYMENT_METHOD)

        assert isinstance(method, stripe.PaymentMethod)
        assert method.id.startswith("pm_")
        assert method.type == "card"
        assert (method.card.brand, method.card.last4) == ("visa", "4242")
        assert (method.card.exp_month, method.card.exp_year) == (12, 2034)
        assert method.billing_details.name == "Jenny Rosen"
        assert method.billing_details.address.country is None

    @pytest.mark.parametrize(
        ("number", "brand", "last4", "funding"),
        [
            ("5555 5555 5555 4444", "mastercard", "4444", "credit"),
            ("4000056655665556", "visa", "5556", "debit"),
            ("378282246310005", "amex", "0005", "credit"),
            ("6011111111111117", "discover", "1117", "credit"),
        ],
    )
    async def test_test_cards_of_each_brand(
        self, client: stripe.StripeClient, number: str, brand: str, last4: str, funding: str
    ) -> None:
        cvc = "1234" if brand == "amex" else "123"
        method = await client.v1.payment_methods.create_async(_card(number=number, cvc=cvc))

        assert (method.card.brand, method.card.last4, method.card.funding) == (
            brand,
            last4,
            funding,
        )

    @pytest.mark.parametrize(
        ("card", "code", "param", "message"),
        [
            (
                {"number": "4242424242424241"},
                "incorrect_number",
                "number",
                "Your card number is incorrect.",
            ),
            ({"number": "4242abcd"}, "invalid_number", "number", "Your card number is invalid."),
            (
                {"exp_month": 13},
                "invalid_expiry_month",
                "exp_month",
                "Your card's expiration month is invalid.",
            ),
            (
                {"exp_year": 2020},
                "invalid_expiry_year",
                "exp_year",
                "Your card's expiration year is in the past.",
            ),
            ({"cvc": "12"}, "invalid_cvc", "cvc", "Your card's security code is invalid."),
            ({"cvc": "abc"}, "invalid_cvc", "cvc", "Your card's security code is invalid."),
        ],
    )
    async def test_bad_card_details_are_card_errors(
        self,
        client: stripe.StripeClient,
        card: dict[str, Any],
        code: str,
        param: str,
        message: str,
    ) -> None:
        with pytest.raises(stripe.CardError) as raised:
            await client.v1.payment_methods.create_async(_card(**card))

        assert raised.value.http_status == 402
        assert (raised.value.code, raised.value.param) == (code, param)
        assert raised.value.user_message == message

    async def test_last_month_of_this_year_is_expired(self, client: stripe.StripeClient) -> None:
        today = datetime.date.today()
        if today.month == 1:
            pytest.skip("no earlier month in January")

        with pytest.raises(stripe.CardError) as raised:
            await client.v1.payment_methods.create_async(
                _card(exp_month=today.month - 1, exp_year=today.year)
            )

        assert raised.value.code == "invalid_expiry_month"

    async def test_two_digit_years_are_this_century(self, client: stripe.StripeClient) -> None:
        method = await client.v1.payment_methods.create_async(_card(exp_year=34))

        assert method.card.exp_year == 2034

    async def test_missing_card_number_is_parameter_missing(
        self, client: stripe.StripeClient
    ) -> None:
        with pytest.raises(stripe.InvalidRequestError) as raised:
            await client.v1.payment_methods.create_async(
                {"type": "card", "card": {"exp_month": 12, "exp_year": 2034}}
            )

        assert (raised.value.code, raised.value.param) == ("parameter_missing", "card[number]")


class TestRetrieve:
    async def test_returns_the_created_method(self, client: stripe.StripeClient) -> None:
        created = await client.v1.payment_methods.create_async(calls.CREATE_CARD_PAYMENT_METHOD)

        retrieved = await client.v1.payment_methods.retrieve_async(created.id)

        assert retrieved.to_dict() == created.to_dict()

    async def test_unknown_method_is_resource_missing(self, client: stripe.StripeClient) -> None:
        with pytest.raises(stripe.InvalidRequestError) as raised:
            await client.v1.payment_methods.retrieve_async("pm_nope")

        assert raised.value.http_status == 404
        assert raised.value.user_message == "No such PaymentMethod: 'pm_nope'"

    async def test_a_token_becomes_a_new_method_on_the_intent(
        self, client: stripe.StripeClient
    ) -> None:
        intent = await client.v1.payment_intents.create_async(
            {**calls.CREATE_INTENT, "payment_method": "pm_card_mastercard"}
        )

        method = await client.v1.payment_methods.retrieve_async(intent.payment_method)

        assert (method.card.brand, method.card.last4) == ("mastercard", "4444")
