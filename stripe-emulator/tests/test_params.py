"""Param decoding and validation: bracket syntax, unknown params, wrong types, unknown URLs."""

from __future__ import annotations

import httpx
import pytest
import stripe

from stripe_emulator.errors import StripeError
from stripe_emulator.forms import decode_form
from tests import calls
from tests.conftest import SECRET_KEY

AUTH = {"Authorization": f"Bearer {SECRET_KEY}"}


class TestDecodeForm:
    def test_nested_hashes_and_indexed_arrays(self) -> None:
        decoded = decode_form(
            "amount=100&metadata[a]=1&metadata[b]=&expand[0]=x&expand[1]=y"
            "&card[number]=4242&items[0][price]=p1&items[1][price]=p2&types[]=a&types[]=b"
        )

        assert decoded == {
            "amount": "100",
            "metadata": {"a": "1", "b": ""},
            "expand": ["x", "y"],
            "card": {"number": "4242"},
            "items": [{"price": "p1"}, {"price": "p2"}],
            "types": ["a", "b"],
        }

    def test_indexes_are_ordered_numerically(self) -> None:
        query = "&".join(f"e[{index}]={index}" for index in (10, 2, 1, 0))

        assert decode_form(query) == {"e": ["0", "1", "2", "10"]}

    def test_a_value_and_a_hash_under_one_name_is_refused(self) -> None:
        with pytest.raises(StripeError):
            decode_form("card=1&card[number]=2")


class TestValidation:
    async def test_unknown_param_is_named(self, client: stripe.StripeClient) -> None:
        with pytest.raises(stripe.InvalidRequestError) as raised:
            await client.v1.payment_intents.create_async({**calls.CREATE_INTENT, "colour": "blue"})

        assert (raised.value.code, raised.value.param) == ("parameter_unknown", "colour")
        assert raised.value.user_message == "Received unknown parameter: colour"

    def test_unknown_nested_param_is_named_with_brackets(self, api: httpx.Client) -> None:
        response = api.post(
            "/v1/payment_methods",
            headers=AUTH,
            data={
                "type": "card",
                "card[number]": "4242424242424242",
                "card[exp_month]": "1",
                "card[exp_year]": "2040",
                "card[pin]": "1234",
            },
        )

        assert response.status_code == 400
        assert response.json()["error"]["param"] == "card[pin]"
        assert response.json()["error"]["code"] == "parameter_unknown"

    @pytest.mark.parametrize(
        ("data", "code", "param", "message"),
        [
            (
                {"amount": "ten", "currency": "usd"},
                "parameter_invalid_integer",
                "amount",
                "Invalid integer: ten",
            ),
            ({"amount": "1000", "currency": "usd", "description": ""}, None, None, None),
            (
                {"amount": "1000", "currency": "usd", "confirm": "yes"},
                None,
                "confirm",
                "Invalid boolean: yes",
            ),
            (
                {"amount": "1000", "currency": "usd", "capture_method": "later"},
                None,
                "capture_method",
                "Invalid capture_method: must be one of automatic, automatic_async, or manual",
            ),
            ({"amount": "1000", "currency": ""}, "parameter_invalid_empty", "currency", None),
            (
                {"amount": "1000"},
                "parameter_missing",
                "currency",
                "Missing required param: currency.",
            ),
        ],
    )
    def test_wrong_types_use_stripes_codes(
        self,
        api: httpx.Client,
        data: dict[str, str],
        code: str | None,
        param: str | None,
        message: str | None,
    ) -> None:
        response = api.post("/v1/payment_intents", headers=AUTH, data=data)

        if param is None:
            assert response.status_code == 200
            assert response.json()["description"] is None
            return
        error = response.json()["error"]
        assert response.status_code == 400
        assert (error.get("code"), error["param"], error["type"]) == (
            code,
            param,
            "invalid_request_error",
        )
        if message is not None:
            assert error["message"] == message

    @pytest.mark.parametrize(
        ("method", "path"),
        [
            ("GET", "/v1/payment_widgets"),
            ("DELETE", "/v1/payment_intents"),
            ("POST", "/v1/charges/ch_1/refunds/re_1/extra"),
            ("GET", "/v2/core/events"),
            ("PUT", "/elsewhere"),
        ],
    )
    def test_unknown_url_is_404_with_a_request_id(
        self, api: httpx.Client, method: str, path: str
    ) -> None:
        response = api.request(method, path, headers=AUTH)

        assert response.status_code == 404
        assert response.json() == {
            "error": {
                "message": f"Unrecognized request URL ({method}: {path}). Please see "
                "https://docs.stripe.com or we can help at https://support.stripe.com/.",
                "type": "invalid_request_error",
            }
        }
        assert response.headers["request-id"].startswith("req_")
        assert response.headers["stripe-version"] == stripe.api_version

    def test_responses_carry_request_id_and_version(self, api: httpx.Client) -> None:
        response = api.get("/v1/account", headers=AUTH)

        assert response.headers["request-id"].startswith("req_")
        assert response.headers["stripe-version"] == stripe.api_version
