"""`GET /v1/payment_intents/search` and `/v1/charges/search`: Stripe's search query language."""

from __future__ import annotations

import time

import httpx
import pytest
import stripe

from tests import calls
from tests.conftest import SECRET_KEY

AUTH = {"Authorization": f"Bearer {SECRET_KEY}"}
UNPARSABLE = (
    "We were unable to parse your search query. Try using the format "
    '`metadata["key"]:"value"` to query for metadata or key:"value" to query for other fields.'
)


async def _intent(client: stripe.StripeClient, payment_id: str, **extra: object) -> str:
    params = {**calls.CREATE_INTENT, "metadata": {"payment_id": payment_id}, **extra}
    return (await client.v1.payment_intents.create_async(params)).id


async def _ids(client: stripe.StripeClient, query: str) -> list[str]:
    found = await client.v1.payment_intents.search_async({"query": query, "limit": 100})
    return [intent.id for intent in found.data]


class TestPaymentIntents:
    async def test_finds_an_intent_by_its_metadata(self, client: stripe.StripeClient) -> None:
        mine = await _intent(client, "pay_1")
        await _intent(client, "pay_2")

        found = await client.v1.payment_intents.search_async(
            {"query": "metadata['payment_id']:'pay_1'"}
        )

        assert [intent.id for intent in found.data] == [mine]
        assert isinstance(found.data[0], stripe.PaymentIntent)
        assert found.to_dict().keys() == {
            "object", "data", "has_more", "next_page", "url"
        }  # fmt: skip
        # (read as items: the SDK types neither `object` nor `url`, and `next_page` as never null)
        body = found.to_dict()
        assert tuple(body[key] for key in ("object", "has_more", "next_page", "url")) == (
            "search_result",
            False,
            None,
            "/v1/payment_intents/search",
        )

    async def test_clauses_combine_with_and_or_negation_and_null(
        self, client: stripe.StripeClient
    ) -> None:
        paid = await _intent(client, "pay_1", payment_method="pm_card_visa", confirm=True)
        open_one = await _intent(client, "pay_1", amount=7_000)
        bare = (await client.v1.payment_intents.create_async({"amount": 900, "currency": "eur"})).id

        assert await _ids(client, "metadata['payment_id']:'pay_1' AND status:'succeeded'") == [paid]
        spaced = 'metadata["payment_id"]:"pay_1" status:"requires_payment_method"'
        assert await _ids(client, spaced) == [open_one]
        assert await _ids(client, "amount=7000 or currency:'EUR'") == [bare, open_one]
        assert await _ids(client, "-status:'succeeded' AND amount>=900") == [bare, open_one]
        assert await _ids(client, "metadata['payment_id']:null") == [bare]
        assert await _ids(client, "-metadata['payment_id']:null") == [open_one, paid]
        assert await _ids(client, "amount>900 AND amount<12500") == [open_one]
        assert await _ids(client, "customer:'cus_ERPcustomer0001' AND amount<=900") == []

    async def test_created_bounds(self, client: stripe.StripeClient, control: httpx.Client) -> None:
        older = await client.v1.payment_intents.create_async(
            {**calls.CREATE_MANUAL_INTENT, **calls.CONFIRM_INTENT, "confirm": True}
        )
        control.post(f"/payment_intents/{older.id}/age", json={"seconds": 3_600})
        newer = await _intent(client, "pay_1")
        cut = int(time.time()) - 1_800

        assert await _ids(client, f"created<{cut}") == [older.id]
        assert await _ids(client, f"created>{cut}") == [newer]
        assert await _ids(client, f"created>0 AND created<={cut + 3_600}") == [newer, older.id]

    async def test_pages_newest_first_with_next_page_and_total_count(
        self, client: stripe.StripeClient
    ) -> None:
        ids = [await _intent(client, "pay_many") for _ in range(5)]
        query = {"query": "metadata['payment_id']:'pay_many'", "limit": 2}

        first = await client.v1.payment_intents.search_async({**query, "expand": ["total_count"]})
        second = await client.v1.payment_intents.search_async({**query, "page": first.next_page})
        every = [intent.id async for intent in first.auto_paging_iter()]

        assert [intent.id for intent in first.data] == ids[:2:-1][:2]
        assert (first.has_more, first.to_dict()["total_count"]) == (True, 5)
        assert [intent.id for intent in second.data] == [ids[2], ids[1]]
        assert every == ids[::-1]

    async def test_results_expand_through_data(self, client: stripe.StripeClient) -> None:
        await _intent(client, "pay_1", payment_method="pm_card_visa", confirm=True)

        found = await client.v1.payment_intents.search_async(
            {"query": "status:'succeeded'", "expand": ["data.latest_charge"]}
        )

        assert isinstance(found.data[0].latest_charge, stripe.Charge)

    async def test_objects_are_found_at_once_unless_the_index_is_made_to_lag(
        self, client: stripe.StripeClient, control: httpx.Client
    ) -> None:
        control.post("/faults", json={"search_lag_ms": 60_000})
        fresh = await _intent(client, "pay_1")

        assert await _ids(client, "metadata['payment_id']:'pay_1'") == []
        listed = await client.v1.payment_intents.list_async()
        assert [intent.id for intent in listed.data] == [fresh]
        control.delete("/faults")
        assert await _ids(client, "metadata['payment_id']:'pay_1'") == [fresh]


class TestRefusals:
    @pytest.mark.parametrize(
        "query",
        [
            "status:succeeded",  # strings are quoted
            "status:'succeeded' AND amount>1 OR amount<5",  # AND and OR together
            "status:'succeeded' AND",
            "status>'succeeded'",  # no order on strings
            "amount~'100'",  # no substring on numbers
            "currency~'us'",  # a substring needs 3 characters
            "amount>lots",
            "metadata['payment_id']",
            "(status:'succeeded')",
            " AND ".join(["amount>1"] * 11),  # 10 clauses at most
        ],
    )
    def test_what_stripe_cannot_parse(self, api: httpx.Client, query: str) -> None:
        response = api.get("/v1/payment_intents/search", params={"query": query}, headers=AUTH)

        assert response.status_code == 400
        assert response.json()["error"] == {
            "message": UNPARSABLE,
            "param": "query",
            "type": "invalid_request_error",
        }

    def test_a_field_stripe_does_not_search(self, api: httpx.Client) -> None:
        response = api.get(
            "/v1/payment_intents/search", params={"query": "description:'x'"}, headers=AUTH
        )

        assert response.status_code == 400
        assert response.json()["error"]["message"] == (
            "Field `description` is an unsupported search field for resource `payment_intents`. "
            "See http://stripe.com/docs/search#query-fields-for-payment-intents for a list of "
            "supported fields."
        )

    async def test_no_query_a_bad_page_or_a_publishable_key(
        self, client: stripe.StripeClient, publishable_client: stripe.StripeClient
    ) -> None:
        with pytest.raises(stripe.InvalidRequestError) as missing:
            await client.v1.payment_intents.search_async({})
        with pytest.raises(stripe.InvalidRequestError) as bad_page:
            await client.v1.payment_intents.search_async({"query": "amount>0", "page": "nope"})
        with pytest.raises(stripe.AuthenticationError):
            await publishable_client.v1.payment_intents.search_async({"query": "amount>0"})

        assert (missing.value.code, missing.value.param) == ("parameter_missing", "query")
        assert (bad_page.value.user_message, bad_page.value.param) == (
            "nope is an invalid page.",
            "page",
        )


async def test_charges_by_metadata_card_and_flags(client: stripe.StripeClient) -> None:
    paid = await _intent(client, "pay_1", payment_method="pm_card_visa", confirm=True)
    other = await _intent(client, "pay_2", payment_method="pm_card_mastercard", confirm=True)
    await client.v1.refunds.create_async({"payment_intent": other})
    charge_of = {
        intent: (await client.v1.payment_intents.retrieve_async(intent)).latest_charge
        for intent in (paid, other)
    }

    async def charges(query: str) -> list[str]:
        found = await client.v1.charges.search_async({"query": query})
        assert found.to_dict()["url"] == "/v1/charges/search"
        return [charge.id for charge in found.data]

    assert await charges("metadata['payment_id']:'pay_1'") == [charge_of[paid]]
    assert await charges("payment_method_details.card.last4:'4444'") == [charge_of[other]]
    assert await charges("payment_method_details.card.brand~'vis'") == [charge_of[paid]]
    assert await charges("refunded:true AND disputed:false") == [charge_of[other]]
