"""The product's whole call sequence (the one the contract test sends to stripe-mock)."""

from __future__ import annotations

import stripe

from tests import calls


async def test_every_call_of_the_product_works_against_the_emulator(
    client: stripe.StripeClient,
) -> None:
    results = await calls.full_round_trip(client)

    assert results["updated"].description == "ORD-2026-000123 full"
    assert results["confirmed"].status == "succeeded"
    assert results["retrieved"].amount_received == 12_500
    assert (results["refund"].amount, results["refund"].status) == (2_500, "succeeded")
    assert results["charge"].amount_refunded == 2_500
    assert [refund.id for refund in results["refunds"].data] == [results["refund"].id]
    assert (results["captured"].status, results["captured"].amount_received) == (
        "succeeded",
        10_000,
    )
    assert results["canceled"].cancellation_reason == "requested_by_customer"
    assert len(results["listed"].data) == 3
    assert results["listed"].has_more is False
    assert [intent.id for intent in results["found"].data] == [
        results["canceled"].id,
        results["captured"].id,
        results["confirmed"].id,
    ]
    assert [event.type for event in results["events"].data] == ["payment_intent.succeeded"] * 2
    assert results["event"].type == "payment_intent.succeeded"
    assert results["payment_method_again"].card.last4 == "4242"
    assert results["account"].object == "account"


async def test_the_stripejs_calls_work_against_the_emulator(
    client: stripe.StripeClient, publishable_client: stripe.StripeClient
) -> None:
    confirmed = await calls.stripejs_round_trip(client, publishable_client)

    assert confirmed.status == "succeeded"
