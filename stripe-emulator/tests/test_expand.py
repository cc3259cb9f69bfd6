"""`expand[]`: the fields Stripe lets a request expand, and Stripe's refusal of the others."""

from __future__ import annotations

import httpx
import pytest
import stripe

from tests import calls
from tests.conftest import SECRET_KEY

AUTH = {"Authorization": f"Bearer {SECRET_KEY}"}
CANNOT = "This property cannot be expanded"


async def _refunded_twice(client: stripe.StripeClient) -> stripe.PaymentIntent:
    intent = await client.v1.payment_intents.create_async(
        {**calls.CREATE_INTENT, **calls.CONFIRM_INTENT, "confirm": True}
    )
    for amount in (1_000, 2_000):
        await client.v1.refunds.create_async({"payment_intent": intent.id, "amount": amount})
    return intent


async def test_a_charges_refunds_expand_to_a_list_newest_first(
    client: stripe.StripeClient, api: httpx.Client
) -> None:
    intent = await _refunded_twice(client)

    charge = await client.v1.charges.retrieve_async(intent.latest_charge, {"expand": ["refunds"]})
    plain = await client.v1.charges.retrieve_async(intent.latest_charge)

    assert charge.refunds.object == "list"
    assert [refund.amount for refund in charge.refunds.data] == [2_000, 1_000]
    assert (charge.refunds.has_more, charge.refunds.url) == (
        False,
        f"/v1/charges/{charge.id}/refunds",
    )
    assert "refunds" not in plain
    paged = api.get(charge.refunds.url, params={"limit": 1}, headers=AUTH).json()
    assert ([r["amount"] for r in paged["data"]], paged["has_more"]) == ([2_000], True)


async def test_paths_walk_through_ids_they_expand(client: stripe.StripeClient) -> None:
    intent = await _refunded_twice(client)

    retrieved = await client.v1.payment_intents.retrieve_async(
        intent.id, {"expand": ["latest_charge.refunds", "latest_charge.payment_intent"]}
    )

    assert len(retrieved.latest_charge.refunds.data) == 2
    assert retrieved.latest_charge.payment_intent.id == intent.id


@pytest.mark.parametrize(
    ("path", "expand", "shown"),
    [
        ("charge", "amount", "amount"),
        ("charge", "payment_method", "payment_method"),  # an id, but not an expandable one
        ("intent", "latest_charge.amount", "latest_charge.amount"),
        ("intent", "metadata", "metadata"),
    ],
)
async def test_a_field_that_cannot_be_expanded_is_refused_as_stripe_does(
    client: stripe.StripeClient, api: httpx.Client, path: str, expand: str, shown: str
) -> None:
    intent = await _refunded_twice(client)
    url = {"charge": f"/v1/charges/{intent.latest_charge}",
           "intent": f"/v1/payment_intents/{intent.id}"}[path]  # fmt: skip

    response = api.get(url, params={"expand[]": expand}, headers=AUTH)

    assert response.status_code == 400
    assert response.json() == {
        "error": {
            "message": f"{CANNOT} ({shown}).",
            "type": "invalid_request_error",
        }
    }


async def test_on_a_list_the_refusal_points_at_data(
    client: stripe.StripeClient, api: httpx.Client
) -> None:
    await _refunded_twice(client)

    refused = api.get("/v1/payment_intents", params={"expand[]": "latest_charge"}, headers=AUTH)
    listed = await client.v1.payment_intents.list_async({"expand": ["data.latest_charge"]})

    assert refused.json()["error"]["message"] == (
        f"{CANNOT} (latest_charge). You may want to try expanding 'data.latest_charge' instead."
    )
    assert isinstance(listed.data[0].latest_charge, stripe.Charge)


async def test_nested_objects_and_ids_the_emulator_does_not_keep(
    client: stripe.StripeClient,
) -> None:
    intent = await client.v1.payment_intents.create_async(calls.CREATE_INTENT)

    retrieved = await client.v1.payment_intents.retrieve_async(
        intent.id, {"expand": ["customer", "amount_details", "last_payment_error.payment_method"]}
    )

    assert retrieved.customer == calls.CREATE_INTENT["customer"]  # no customers here
    assert retrieved.last_payment_error is None
