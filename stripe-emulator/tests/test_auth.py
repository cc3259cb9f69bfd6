"""API keys: secret key everywhere, publishable key only where Stripe.js may go."""

from __future__ import annotations

import httpx
import pytest
import stripe

from tests import calls
from tests.conftest import PUBLISHABLE_KEY, SECRET_KEY, make_client


async def test_a_wrong_key_is_401_in_stripes_shape(emulator_url: str, api: httpx.Client) -> None:
    client = make_client(emulator_url, "sk_test_wrong_key_123456")

    with pytest.raises(stripe.AuthenticationError) as raised:
        await client.v1.payment_intents.list_async()

    assert raised.value.http_status == 401
    assert raised.value.user_message == "Invalid API Key provided: sk_test_************3456"
    body = api.get("/v1/payment_intents", headers={"Authorization": "Bearer nope"}).json()
    assert body["error"]["type"] == "invalid_request_error"


def test_no_key_is_401(api: httpx.Client) -> None:
    response = api.get("/v1/payment_intents")

    assert response.status_code == 401
    assert response.json()["error"]["message"].startswith("You did not provide an API key.")


def test_basic_auth_with_the_key_as_user(api: httpx.Client) -> None:
    response = api.get("/v1/account", auth=(SECRET_KEY, ""))

    assert response.status_code == 200
    assert response.json()["object"] == "account"


async def test_publishable_key_cannot_create_intents(
    publishable_client: stripe.StripeClient,
) -> None:
    with pytest.raises(stripe.AuthenticationError) as raised:
        await publishable_client.v1.payment_intents.create_async(calls.CREATE_INTENT)

    assert str(raised.value.user_message).startswith(
        "This API call cannot be made with a publishable API key."
    )


async def test_publishable_key_confirms_with_the_client_secret(
    client: stripe.StripeClient, publishable_client: stripe.StripeClient
) -> None:
    intent = await client.v1.payment_intents.create_async(calls.CREATE_INTENT)
    method = await publishable_client.v1.payment_methods.create_async(
        calls.CREATE_CARD_PAYMENT_METHOD
    )

    confirmed = await publishable_client.v1.payment_intents.confirm_async(
        intent.id, {"payment_method": method.id, "client_secret": intent.client_secret}
    )
    retrieved = await publishable_client.v1.payment_intents.retrieve_async(
        intent.id, {"client_secret": intent.client_secret}
    )

    assert confirmed.status == "succeeded"
    assert retrieved.status == "succeeded"
    # Stripe.js sees a narrower object: no metadata, no customer.
    assert "metadata" not in retrieved.to_dict()
    assert "customer" not in retrieved.to_dict()


async def test_publishable_key_needs_the_right_client_secret(
    client: stripe.StripeClient, publishable_client: stripe.StripeClient
) -> None:
    intent = await client.v1.payment_intents.create_async(calls.CREATE_INTENT)

    with pytest.raises(stripe.InvalidRequestError) as wrong:
        await publishable_client.v1.payment_intents.retrieve_async(
            intent.id, {"client_secret": "pi_other_secret_x"}
        )
    with pytest.raises(stripe.InvalidRequestError) as missing:
        await publishable_client.v1.payment_intents.retrieve_async(intent.id)

    assert wrong.value.param == "client_secret"
    assert (missing.value.code, missing.value.param) == ("parameter_missing", "client_secret")


def test_stripejs_may_send_the_key_as_a_form_param(api: httpx.Client) -> None:
    response = api.post(
        "/v1/payment_methods",
        data={
            "key": PUBLISHABLE_KEY,
            "type": "card",
            "card[number]": "4242424242424242",
            "card[exp_month]": "12",
            "card[exp_year]": "2034",
        },
    )

    assert response.status_code == 200
    assert response.json()["card"]["last4"] == "4242"


def test_cors_lets_another_origin_call_with_the_publishable_key(api: httpx.Client) -> None:
    preflight = api.options(
        "/v1/payment_methods",
        headers={
            "Origin": "http://127.0.0.1:18080",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "authorization,content-type",
        },
    )
    actual = api.get(
        "/v1/account", headers={"Origin": "http://127.0.0.1:18080"}, auth=(SECRET_KEY, "")
    )

    assert preflight.status_code == 200
    assert preflight.headers["access-control-allow-origin"] in ("*", "http://127.0.0.1:18080")
    assert "POST" in preflight.headers["access-control-allow-methods"]
    assert actual.headers["access-control-allow-origin"] == "*"
    assert "Request-Id" in actual.headers["access-control-expose-headers"]
