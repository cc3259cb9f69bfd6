"""Automatic payouts: what each carries, how it settles, and a failed one's money coming back."""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Iterator

import httpx
import pytest
import stripe

from tests import calls
from tests.conftest import PUBLISHABLE_KEY, SECRET_KEY, make_client
from tests.paying import DAY, all_transactions, pay
from tests.servers import EmulatorThread, WebhookReceiver, emulator_test_config
from tests.waiting import eventually


def _run(control: httpx.Client) -> list[dict[str, object]]:
    answer = control.post("/payouts/run")
    answer.raise_for_status()
    body = answer.json()
    assert (body["object"], body["url"], body["has_more"]) == ("list", "/v1/payouts", False)
    data: list[dict[str, object]] = body["data"]
    return data


async def _settled(client: stripe.StripeClient, payout_id: str) -> stripe.Payout:
    async def done() -> stripe.Payout | None:
        payout = await client.v1.payouts.retrieve_async(payout_id)
        return payout if payout.status in ("paid", "failed") else None

    return await eventually(done)


async def test_a_payout_carries_exactly_the_available_transactions_and_its_own(
    client: stripe.StripeClient, control: httpx.Client
) -> None:
    first = await pay(client, 5000)
    second = await pay(client, 1999)
    refund = await client.v1.refunds.create_async({"payment_intent": first.id, "amount": 1000})
    control.post("/balance/make_available")
    later = await pay(client, 3000)  # pending: not in this payout

    [made] = _run(control)

    payout = await client.v1.payouts.retrieve_async(str(made["id"]))
    assert payout.amount == 4825 + 1911 - 1000
    assert (payout.currency, payout.automatic, payout.status) == ("usd", True, "in_transit")
    assert (payout.method, payout.type, payout.source_type) == ("standard", "bank_account", "card")
    assert payout.reconciliation_status == "in_progress"
    today = int(time.time()) // DAY * DAY
    assert payout.arrival_date == today + 2 * DAY
    carried = await all_transactions(client, payout=payout.id)
    assert {t.source for t in carried} == {
        first.latest_charge, second.latest_charge, refund.id, payout.id
    }  # fmt: skip
    own = next(t for t in carried if t.type == "payout")
    assert own.id == payout.balance_transaction
    assert (own.amount, own.fee, own.net, own.reporting_category) == (-5736, 0, -5736, "payout")
    assert sum(t.net for t in carried) == 0
    assert sum(t.net for t in carried if t.type != "payout") == payout.amount
    pending = await all_transactions(client, source=later.latest_charge)
    assert [t.status for t in pending] == ["pending"]
    balance = await client.v1.balance.retrieve_async()
    assert (balance.available[0].amount, balance.pending[0].amount) == (0, 2883)


async def test_a_payout_is_paid_then_reconciled_with_its_events(
    client: stripe.StripeClient, control: httpx.Client, receiver: WebhookReceiver
) -> None:
    await pay(client, 5000)
    control.post("/balance/make_available")

    [made] = _run(control)

    payout = await _settled(client, str(made["id"]))
    assert payout.status == "paid"
    assert payout.failure_code is None
    assert payout.trace_id.status == "supported"
    await eventually(lambda: "payout.reconciliation_completed" in receiver.types())
    assert (await client.v1.payouts.retrieve_async(payout.id)).reconciliation_status == (
        "completed"
    )
    assert [t for t in receiver.types() if t.startswith(("payout.", "balance."))] == [
        "balance.available",
        "payout.created",
        "payout.updated",
        "payout.paid",
        "payout.reconciliation_completed",
    ]
    updated = next(h.event for h in receiver.received if h.event.type == "payout.updated")
    assert updated.data.previous_attributes.status == "in_transit"
    created = next(h.event for h in receiver.received if h.event.type == "payout.created")
    assert created.data.object.balance_transaction == payout.balance_transaction


async def test_nothing_available_makes_no_payout(
    client: stripe.StripeClient, control: httpx.Client
) -> None:
    await pay(client, 5000)  # still pending

    assert _run(control) == []

    control.post("/balance/make_available")
    assert len(_run(control)) == 1
    assert _run(control) == []  # all of it went out already


async def test_a_negative_available_balance_is_not_paid_out(
    client: stripe.StripeClient, control: httpx.Client
) -> None:
    intent = await pay(client, 5000)
    await client.v1.refunds.create_async({"payment_intent": intent.id})  # pending charge

    assert _run(control) == []


async def test_a_failed_payout_returns_its_money_and_the_next_payout_carries_it(
    client: stripe.StripeClient, control: httpx.Client, receiver: WebhookReceiver
) -> None:
    await pay(client, 5000)
    control.post("/balance/make_available")
    armed = control.post("/payouts/fail_next", json={"failure_code": "account_closed"})
    assert armed.json() == {"failing_next": ["account_closed"]}

    [made] = _run(control)

    failed = await _settled(client, str(made["id"]))
    assert (failed.status, failed.failure_code) == ("failed", "account_closed")
    assert failed.failure_message == "The bank account has been closed."
    back = await client.v1.balance_transactions.retrieve_async(failed.failure_balance_transaction)
    assert (back.type, back.reporting_category) == ("payout_failure", "payout_reversal")
    assert (back.amount, back.net, back.source, back.status) == (4825, 4825, failed.id, "available")
    balance = await client.v1.balance.retrieve_async()
    assert balance.available[0].amount == 4825
    await eventually(lambda: "payout.reconciliation_completed" in receiver.types())
    assert receiver.types()[-4:] == [
        "payout.updated", "payout.failed", "balance.available", "payout.reconciliation_completed"
    ]  # fmt: skip

    [again] = _run(control)

    assert again["amount"] == 4825
    carried = await all_transactions(client, payout=str(again["id"]))
    assert sorted(t.type for t in carried) == ["payout", "payout_failure"]
    in_failed = await all_transactions(client, payout=failed.id)
    assert sorted(t.type for t in in_failed) == ["charge", "payout"]
    assert (await _settled(client, str(again["id"]))).status == "paid"


async def test_settle_pays_every_payout_in_transit_at_once(
    client: stripe.StripeClient, control: httpx.Client
) -> None:
    await pay(client, 5000, payment_method="pm_card_bypassPending")
    [made] = _run(control)

    settled = control.post("/payouts/settle").json()

    assert [(p["id"], p["status"]) for p in settled["data"]] == [(made["id"], "paid")]
    assert control.post("/payouts/settle").json()["data"] == []
    payout = await client.v1.payouts.retrieve_async(str(made["id"]))
    assert (payout.status, payout.reconciliation_status) == ("paid", "completed")


def test_fail_next_refuses_an_unknown_code_or_count(control: httpx.Client) -> None:
    unknown = control.post("/payouts/fail_next", json={"failure_code": "lost_in_the_post"})
    zero = control.post("/payouts/fail_next", json={"count": 0})

    assert (unknown.status_code, unknown.json()["error"]["param"]) == (400, "failure_code")
    assert (zero.status_code, zero.json()["error"]["param"]) == (400, "count")


def test_reset_forgets_the_armed_failures(control: httpx.Client) -> None:
    control.post("/payouts/fail_next", data={"count": "2"})

    control.post("/reset")

    assert control.post("/payouts/fail_next").json() == {"failing_next": ["no_account"]}


async def test_payouts_list_by_status_and_arrival_date(
    client: stripe.StripeClient, control: httpx.Client
) -> None:
    await pay(client, 5000, payment_method="pm_card_bypassPending")
    control.post("/payouts/fail_next")
    [failing] = _run(control)
    control.post("/payouts/settle")
    await pay(client, 2000, payment_method="pm_card_bypassPending")
    [paid] = _run(control)
    control.post("/payouts/settle")
    arrival = int(str(paid["arrival_date"]))

    everything = await client.v1.payouts.list_async()
    only_paid = await client.v1.payouts.list_async({"status": "paid"})
    arriving = await client.v1.payouts.list_async({"arrival_date": {"gt": arrival}})
    finance = await client.v1.payouts.list_async(calls.LIST_PAYOUTS)

    assert [p.id for p in everything.data] == [paid["id"], failing["id"]]
    assert [p.id for p in only_paid.data] == [paid["id"]]
    assert arriving.data == []
    assert [p.id for p in finance.data] == [paid["id"]]


async def test_the_finance_reads_answer_the_figures(
    client: stripe.StripeClient, control: httpx.Client
) -> None:
    """The same reads the contract test sends to stripe-mock."""
    intent = await pay(client, 5000, description="ORD-3")
    refund = await client.v1.refunds.create_async({"payment_intent": intent.id, "amount": 500})
    disputed = await pay(client, 2000, payment_method="pm_card_bypassPending")
    dispute = control.post(f"/charges/{disputed.latest_charge}/dispute", json={}).json()
    control.post("/balance/make_available")
    [made] = _run(control)
    control.post("/payouts/settle")

    results = await calls.finance_round_trip(
        client,
        charge=intent.latest_charge,
        refund=refund.id,
        dispute=dispute["id"],
        payout=str(made["id"]),
    )

    assert results["payout"].balance_transaction.type == "payout"
    assert {t.source.object for t in results["in_payout"].data} == {
        "charge", "refund", "dispute", "payout"
    }  # fmt: skip
    assert [t.amount for t in results["by_type"].data] == [2000, 5000]
    assert results["charge"].balance_transaction.net == 4825
    assert results["refund"].balance_transaction.net == -500
    assert results["dispute"].balance_transactions[0].net == -3500
    assert results["balance"].available[0].amount == 0
    assert results["payout"].amount == 4825 - 500 + 1912 - 3500


@pytest.fixture
def failing_bank() -> Iterator[str]:
    """An emulator whose payouts go to Stripe's `account_closed` test bank account."""
    config = dataclasses.replace(
        emulator_test_config(SECRET_KEY, PUBLISHABLE_KEY),
        payout_bank_account="000111111113",
        payout_settle_seconds=0.1,
    )
    server = EmulatorThread(config)
    server.start()
    yield server.url
    server.stop()


async def test_every_payout_to_a_failing_test_bank_account_fails(failing_bank: str) -> None:
    client = make_client(failing_bank)
    await pay(client, 5000, payment_method="pm_card_bypassPending")

    made = httpx.post(f"{failing_bank}/_emulator/payouts/run").json()["data"]

    failed = await _settled(client, made[0]["id"])
    assert (failed.status, failed.failure_code) == ("failed", "account_closed")
