"""Scale-out without Docker: three sales-service replicas behind the local gateway.

A storm of webhook deliveries (several endpoints, duplicates, shuffled order, more resent on
top) spreads over the replicas while finance desks race refunds on every payment. Afterwards
every payment and refund must be counted exactly once, in our records and at Stripe, and every
event must be in the inbox and applied exactly once.

Runs against the test profile's MongoDB-compatible server (`MONGODB_URL`) and Redis
(`REDIS_URL`) in a database of its own; everything else it starts itself.
"""

import asyncio
from collections import Counter
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from local_stack import LocalStack
from pymongo import MongoClient
from scale_out_client import Emulator, desks
from scale_out_storm import (
    DESKS,
    MIN_DELIVERIES,
    REPLICAS,
    WEBHOOK_ENDPOINTS,
    Storm,
    StormOutcome,
)


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalStack]:
    local = LocalStack(tmp_path_factory.mktemp("scale-out"), REPLICAS, WEBHOOK_ENDPOINTS)
    try:
        local.start()
        yield local
    finally:
        local.close()
        client: MongoClient[dict[str, Any]] = MongoClient(local.mongodb_url)
        try:
            client.drop_database(local.database)
        finally:
            client.close()


@pytest.fixture(scope="module")
def storm(stack: LocalStack) -> StormOutcome:
    async def run() -> StormOutcome:
        async with (
            httpx.AsyncClient(base_url=stack.emulator_url, timeout=30) as emulator_client,
            desks(stack.gateway_url, DESKS) as opened,
        ):
            emulator = Emulator(emulator_client, stack.secrets.stripe_secret_key)
            return await Storm(stack, emulator, opened).run()

    return asyncio.run(run())


def test_the_storm_had_enough_deliveries_with_duplicates_and_all_were_answered(
    storm: StormOutcome,
) -> None:
    deliveries = storm.deliveries
    print(
        f"\nscale-out: {len(deliveries)} deliveries of {len(storm.event_ids)} events to "
        f"{WEBHOOK_ENDPOINTS} endpoints, {sum(d['duplicate'] for d in deliveries)} duplicates"
    )
    assert len(deliveries) >= MIN_DELIVERIES
    assert any(d["duplicate"] for d in deliveries)
    assert Counter(d["status"] for d in deliveries) == {"succeeded": len(deliveries)}


def test_every_replica_received_webhooks(storm: StormOutcome) -> None:
    per_replica = [sum(counts.values()) for counts in storm.webhook_counts]
    print(f"\nscale-out: webhook deliveries handled per replica: {per_replica}")
    assert len(per_replica) == REPLICAS
    assert all(count > 0 for count in per_replica)


def test_no_event_is_lost_and_each_is_processed_once(storm: StormOutcome) -> None:
    assert {document["_id"] for document in storm.inbox} == storm.event_ids
    assert Counter(document["state"] for document in storm.inbox) == {
        "processed": len(storm.event_ids)
    }
    totals: Counter[str] = sum(storm.webhook_counts, Counter())
    processed = totals["applied"] + totals["unmatched"] + totals["ignored"]
    assert processed == len(storm.event_ids)
    # Every delivery beyond an event's first is a duplicate. There can be more: a retry of a
    # delivery the emulator waited too long for, and the events sync storing an event a
    # webhook stored first (both more likely on a busy machine); none is processed again.
    assert totals["duplicate"] >= len(storm.deliveries) - len(storm.event_ids)
    assert totals["rejected"] == 0


def test_each_order_got_exactly_one_intent_at_stripe(storm: StormOutcome) -> None:
    assert sorted(storm.stripe_intent_ids) == sorted(o.payment_intent_id for o in storm.orders)


def test_every_payment_is_counted_exactly_once(storm: StormOutcome) -> None:
    for order in storm.orders:
        payment = storm.payment_reads[order.payment_id]
        assert payment["status"] == "completed"
        assert payment["amount_minor"] == order.amount_minor
        completions = [h for h in payment["history"] if h["to_status"] == "completed"]
        assert len(completions) == 1, payment["history"]
        read = storm.order_reads[order.order_id]
        assert read["amount_paid_minor"] == order.amount_minor
        assert read["outstanding_minor"] == 0


def test_racing_refunds_never_exceed_the_payment(storm: StormOutcome) -> None:
    for order in storm.orders:
        assert storm.racing_statuses[order.payment_id] == [
            (201, ""),
            (201, ""),
            (409, "refund_exceeds_refundable"),
        ]
        assert storm.remainder_statuses[order.payment_id] == 201


def test_every_refund_is_counted_exactly_once_here_and_at_stripe(storm: StormOutcome) -> None:
    for order in storm.orders:
        share = order.amount_minor * 40 // 100
        expected = sorted([share, share, order.amount_minor - 2 * share])
        payment = storm.payment_reads[order.payment_id]
        refunds = payment["refunds"]
        assert sorted(r["amount_minor"] for r in refunds) == expected
        assert {r["status"] for r in refunds} == {"succeeded"}
        assert payment["amount_refunded_minor"] == order.amount_minor
        assert payment["refundable_minor"] == 0
        at_stripe = storm.stripe_refunds[order.payment_id]
        assert sorted(r["amount"] for r in at_stripe) == expected
        assert {r["stripe_refund_id"] for r in refunds} == {r["id"] for r in at_stripe}
        read = storm.order_reads[order.order_id]
        assert read["amount_refunded_minor"] == order.amount_minor
        assert read["payment_status"] == "refunded"
