"""Balance transactions of charges, refunds and disputes, their fees, and the balance."""

from __future__ import annotations

import time

import httpx
import pytest
import stripe

from tests import calls
from tests.paying import DAY, all_transactions, pay, transaction_of
from tests.servers import WebhookReceiver
from tests.waiting import eventually


async def test_a_charge_records_its_amount_fee_and_net_pending_for_two_days(
    client: stripe.StripeClient,
) -> None:
    intent = await pay(client, 5000, description="ORD-1")

    transaction = await transaction_of(client, intent)

    assert (transaction.amount, transaction.fee, transaction.net) == (5000, 175, 4825)
    assert (transaction.type, transaction.reporting_category) == ("charge", "charge")
    assert (transaction.source, transaction.currency) == (intent.latest_charge, "usd")
    assert (transaction.status, transaction.exchange_rate) == ("pending", None)
    assert transaction.description == "ORD-1"
    assert [detail.to_dict() for detail in transaction.fee_details] == [
        {"amount": 175, "application": None, "currency": "usd",
         "description": "Stripe processing fees", "type": "stripe_fee"}
    ]  # fmt: skip
    today = int(time.time()) // DAY * DAY
    assert transaction.available_on == today + 2 * DAY


@pytest.mark.parametrize(
    ("payment_method", "amount", "currency", "settled", "fee", "rate"),
    [
        ("pm_card_fr", 10_000, "usd", 10_000, 470, None),  # international card: +1.5 %
        ("pm_card_visa", 10_000, "eur", 10_800, 451, 1.08),  # conversion: +1 %
        ("pm_card_gb", 10_000, "eur", 10_800, 613, 1.08),  # both
        ("pm_card_visa", 5000, "jpy", 3350, 161, 0.0067),  # 3.9 % of 33.50 = 1.3065
    ],
)
async def test_international_cards_and_other_currencies_cost_more_and_settle_in_usd(
    client: stripe.StripeClient,
    payment_method: str,
    amount: int,
    currency: str,
    settled: int,
    fee: int,
    rate: float | None,
) -> None:
    intent = await pay(client, amount, currency, payment_method)

    transaction = await transaction_of(client, intent)

    assert (transaction.amount, transaction.currency) == (settled, "usd")
    assert (transaction.fee, transaction.net) == (fee, settled - fee)
    assert transaction.exchange_rate == rate


async def test_an_authorization_moves_no_money_and_a_partial_capture_only_what_it_took(
    client: stripe.StripeClient,
) -> None:
    intent = await client.v1.payment_intents.create_async(calls.CREATE_MANUAL_INTENT)
    await client.v1.payment_intents.confirm_async(intent.id, calls.CONFIRM_INTENT)
    held = await client.v1.charges.retrieve_async((await _latest(client, intent)).id)
    assert held.balance_transaction is None
    assert await all_transactions(client) == []

    captured = await client.v1.payment_intents.capture_async(intent.id, calls.CAPTURE_PARTIAL)

    transactions = await all_transactions(client)
    assert len(transactions) == 1  # one, of the captured amount, since 2025-03-31.basil
    assert (transactions[0].amount, transactions[0].fee) == (10_000, 320)
    assert captured.latest_charge.balance_transaction == transactions[0].id


async def _latest(client: stripe.StripeClient, intent: stripe.PaymentIntent) -> stripe.Charge:
    again = await client.v1.payment_intents.retrieve_async(intent.id)
    return await client.v1.charges.retrieve_async(again.latest_charge)


async def test_a_refund_takes_its_amount_out_at_once_and_stripe_keeps_the_fee(
    client: stripe.StripeClient,
) -> None:
    intent = await pay(client, 5000, description="ORD-2")

    refund = await client.v1.refunds.create_async(
        {"payment_intent": intent.id, "amount": 2000, **calls.EXPAND_BALANCE_TRANSACTION}
    )

    transaction = refund.balance_transaction
    assert (transaction.amount, transaction.fee, transaction.net) == (-2000, 0, -2000)
    assert (transaction.type, transaction.reporting_category) == ("refund", "refund")
    assert (transaction.source, transaction.status) == (refund.id, "available")
    assert transaction.description == "REFUND FOR CHARGE (ORD-2)"
    balance = await client.v1.balance.retrieve_async()
    assert [(f.amount, f.currency) for f in balance.pending] == [(4825, "usd")]
    assert [(f.amount, f.currency) for f in balance.available] == [(-2000, "usd")]


async def test_a_refund_in_another_currency_settles_at_the_same_rate(
    client: stripe.StripeClient,
) -> None:
    intent = await pay(client, 10_000, "eur")

    refund = await client.v1.refunds.create_async(
        {"payment_intent": intent.id, **calls.EXPAND_BALANCE_TRANSACTION}
    )

    assert (refund.balance_transaction.amount, refund.balance_transaction.exchange_rate) == (
        -10_800,
        1.08,
    )


async def test_a_refund_that_fails_later_gives_its_amount_back(
    client: stripe.StripeClient, receiver: WebhookReceiver
) -> None:
    intent = await pay(client, 3000, payment_method="pm_card_refundFail")
    refund = await client.v1.refunds.create_async({"payment_intent": intent.id})

    async def failed() -> stripe.Refund | None:
        found = await client.v1.refunds.retrieve_async(
            refund.id, {"expand": ["balance_transaction", "failure_balance_transaction"]}
        )
        return found if found.status == "failed" else None

    failed_refund: stripe.Refund = await eventually(failed)

    back = failed_refund.failure_balance_transaction
    assert (back.amount, back.fee, back.net) == (3000, 0, 3000)
    assert (back.type, back.reporting_category) == ("refund_failure", "refund_failure")
    assert (back.source, back.status) == (refund.id, "available")
    assert failed_refund.balance_transaction.amount == -3000
    by_refund = await all_transactions(client, source=refund.id)
    assert sorted(t.type for t in by_refund) == ["refund", "refund_failure"]
    await eventually(lambda: "refund.failed" in receiver.types())
    sent = next(h.event for h in receiver.received if h.event.type == "refund.failed")
    assert sent.data.object.failure_balance_transaction == back.id
    assert sent.data.previous_attributes.failure_balance_transaction is None


async def test_a_dispute_withdraws_the_amount_and_fee_and_a_won_one_reinstates_both(
    client: stripe.StripeClient, control: httpx.Client, receiver: WebhookReceiver
) -> None:
    intent = await pay(client, 5000)

    opened = control.post(f"/charges/{intent.latest_charge}/dispute", json={"amount": 4000})
    dispute = opened.json()
    [withdrawal] = dispute["balance_transactions"]
    assert (withdrawal["amount"], withdrawal["fee"], withdrawal["net"]) == (-4000, 1500, -5500)
    assert (withdrawal["type"], withdrawal["reporting_category"]) == ("adjustment", "dispute")
    assert withdrawal["fee_details"][0]["description"] == "Dispute fee"
    assert withdrawal["source"] == dispute["id"]
    assert withdrawal["status"] == "available"

    control.post(f"/disputes/{dispute['id']}/close", json={"outcome": "won"})

    won = await client.v1.disputes.retrieve_async(dispute["id"])
    first, reinstated = won.balance_transactions
    assert first.id == withdrawal["id"]
    assert (reinstated.amount, reinstated.fee, reinstated.net) == (4000, -1500, 5500)
    assert reinstated.reporting_category == "dispute_reversal"
    assert (await client.v1.balance_transactions.retrieve_async(reinstated.id)).net == 5500
    await eventually(lambda: "charge.dispute.closed" in receiver.types())
    assert [t for t in receiver.types() if t.startswith("charge.dispute")] == [
        "charge.dispute.created",
        "charge.dispute.funds_withdrawn",
        "charge.dispute.funds_reinstated",
        "charge.dispute.closed",
    ]


async def test_a_lost_dispute_keeps_its_withdrawal(
    client: stripe.StripeClient, control: httpx.Client
) -> None:
    intent = await pay(client, 5000)
    dispute = control.post(f"/charges/{intent.latest_charge}/dispute", json={}).json()

    control.post(f"/disputes/{dispute['id']}/close", json={"outcome": "lost"})

    lost = await client.v1.disputes.retrieve_async(dispute["id"])
    assert [t.net for t in lost.balance_transactions] == [-6500]


async def test_make_available_moves_every_pending_transaction_and_announces_it(
    client: stripe.StripeClient, control: httpx.Client, receiver: WebhookReceiver
) -> None:
    await pay(client, 5000)
    await pay(client, 1999)

    answer = control.post("/balance/make_available")

    balance = answer.json()
    assert balance["object"] == "balance"
    assert [(f["amount"], f["currency"]) for f in balance["available"]] == [(4825 + 1911, "usd")]
    assert [f["amount"] for f in balance["pending"]] == [0]
    for transaction in await all_transactions(client):
        assert transaction.status == "available"
        assert transaction.available_on <= time.time()
    await eventually(lambda: "balance.available" in receiver.types())
    announced = next(h.event for h in receiver.received if h.event.type == "balance.available")
    assert announced.data.object.available[0].amount == 6736


async def test_a_bypass_pending_card_is_available_at_once(client: stripe.StripeClient) -> None:
    intent = await pay(client, 5000, payment_method="pm_card_bypassPending")

    transaction = await transaction_of(client, intent)

    assert transaction.status == "available"
    balance = await client.v1.balance.retrieve_async()
    assert (balance.available[0].amount, balance.pending[0].amount) == (4825, 0)
    assert balance.available[0].source_types.card == 4825


async def test_the_balance_of_a_new_account_is_zero_in_its_currency(
    client: stripe.StripeClient,
) -> None:
    balance = await client.v1.balance.retrieve_async()

    assert (balance.livemode, balance.object) == (False, "balance")
    assert [(f.amount, f.currency) for f in balance.available] == [(0, "usd")]
    assert [(f.amount, f.currency) for f in balance.pending] == [(0, "usd")]


async def test_transactions_list_newest_first_with_filters_and_pages(
    client: stripe.StripeClient,
) -> None:
    first = await pay(client, 1000)
    second = await pay(client, 2000)
    refund = await client.v1.refunds.create_async({"payment_intent": first.id, "amount": 500})

    everything = await all_transactions(client)
    charges = await all_transactions(client, type="charge")
    by_source = await all_transactions(client, source=second.latest_charge)
    page = await client.v1.balance_transactions.list_async({"limit": 2})
    rest = await client.v1.balance_transactions.list_async(
        {"limit": 2, "starting_after": page.data[-1].id}
    )
    in_eur = await all_transactions(client, currency="eur")

    assert [t.source for t in everything] == [refund.id, second.latest_charge, first.latest_charge]
    assert [t.amount for t in charges] == [2000, 1000]
    assert [t.amount for t in by_source] == [2000]
    assert (len(page.data), page.has_more, len(rest.data), rest.has_more) == (2, True, 1, False)
    assert in_eur == []


async def test_a_transactions_source_expands(client: stripe.StripeClient) -> None:
    intent = await pay(client, 1000)

    page = await client.v1.balance_transactions.list_async({"expand": ["data.source"]})

    assert page.data[0].source.id == intent.latest_charge
    assert page.data[0].source.object == "charge"


async def test_an_unknown_transaction_or_payout_is_404(client: stripe.StripeClient) -> None:
    with pytest.raises(stripe.InvalidRequestError) as missing:
        await client.v1.balance_transactions.retrieve_async("txn_missing")
    with pytest.raises(stripe.InvalidRequestError) as no_payout:
        await client.v1.balance_transactions.list_async({"payout": "po_missing"})

    assert (missing.value.http_status, missing.value.code) == (404, "resource_missing")
    assert str(missing.value.user_message) == "No such balance transaction: 'txn_missing'"
    assert (no_payout.value.code, no_payout.value.param) == ("resource_missing", "payout")


async def test_charges_in_other_currencies_add_to_the_usd_balance_only(
    client: stripe.StripeClient, control: httpx.Client
) -> None:
    await pay(client, 10_000, "eur")  # 10800, fee 451
    await pay(client, 5000, "jpy")  # 3350, fee 161

    balance = await client.v1.balance.retrieve_async()
    control.post("/balance/make_available")
    available = await client.v1.balance.retrieve_async()

    assert [(f.amount, f.currency) for f in balance.pending] == [(10_349 + 3189, "usd")]
    assert [(f.amount, f.currency) for f in available.available] == [(13_538, "usd")]
