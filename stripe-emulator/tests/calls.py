"""The requests the sales-service makes, in one place: the emulator tests send them, and the
contract test sends the very same ones to stripe-mock (Stripe's OpenAPI-driven mock)."""

from __future__ import annotations

from typing import Any

import stripe

CREATE_INTENT: dict[str, Any] = {
    "amount": 12_500,
    "currency": "usd",
    "customer": "cus_ERPcustomer0001",
    "description": "ORD-2026-000123 deposit",
    "receipt_email": "buyer@example.com",
    "metadata": {"order_id": "ORD-2026-000123", "payment_id": "pay_0001"},
    "automatic_payment_methods": {"enabled": True, "allow_redirects": "never"},
    "capture_method": "automatic",
    "statement_descriptor_suffix": "ORD000123",
}
CREATE_MANUAL_INTENT: dict[str, Any] = {
    **{key: value for key, value in CREATE_INTENT.items() if key != "automatic_payment_methods"},
    "capture_method": "manual",
    "payment_method_types": ["card"],
}
UPDATE_INTENT: dict[str, Any] = {"description": "ORD-2026-000123 full", "metadata": {"note": "x"}}
CONFIRM_INTENT: dict[str, Any] = {"payment_method": "pm_card_visa"}
CONFIRM_WITH_RETURN_URL: dict[str, Any] = {
    "payment_method": "pm_card_authenticationRequired",
    "return_url": "http://127.0.0.1:8080/orders/ORD-2026-000123/paid",
}
CANCEL_INTENT: dict[str, Any] = {"cancellation_reason": "requested_by_customer"}
# The product asks for the charge with the intent, to read the card and `capture_before`.
CAPTURE_PARTIAL: dict[str, Any] = {
    "amount_to_capture": 10_000,
    "expand": ["latest_charge", "payment_method"],
}
CREATE_CARD_PAYMENT_METHOD: dict[str, Any] = {
    "type": "card",
    "card": {"number": "4242424242424242", "exp_month": 12, "exp_year": 2034, "cvc": "123"},
    "billing_details": {"name": "Jenny Rosen", "email": "jenny@example.com"},
}
PARTIAL_REFUND: dict[str, Any] = {
    "amount": 2_500,
    "reason": "requested_by_customer",
    "metadata": {"refund_id": "ref_0001"},
}
# What the Stripe.js stand-in sends with the publishable key.
STRIPEJS_CONFIRM: dict[str, Any] = {
    "payment_method": "pm_card_visa",
    "return_url": "http://127.0.0.1:8080/orders/ORD-2026-000123",
    "use_stripe_sdk": True,
}
LIST_INTENTS: dict[str, Any] = {"customer": "cus_ERPcustomer0001", "limit": 3}
LIST_EVENTS: dict[str, Any] = {"type": "payment_intent.succeeded", "limit": 5}
# How the product finds the intents made at Stripe for one of its payments (an answer lost).
SEARCH_INTENTS: dict[str, Any] = {"query": "metadata['payment_id']:'pay_0001'", "limit": 100}


async def stripejs_round_trip(
    secret: stripe.StripeClient, publishable: stripe.StripeClient
) -> stripe.PaymentIntent:
    """Create on the server, then retrieve and confirm with the client secret, as Stripe.js."""
    intent = await secret.v1.payment_intents.create_async(CREATE_INTENT)
    client_secret = {"client_secret": intent.client_secret}
    await publishable.v1.payment_intents.retrieve_async(intent.id, client_secret)
    return await publishable.v1.payment_intents.confirm_async(
        intent.id, {**STRIPEJS_CONFIRM, **client_secret}
    )


async def full_round_trip(client: stripe.StripeClient) -> dict[str, Any]:
    """Every call above, in the order the product makes them; returns what came back."""
    services = client.v1
    method = await services.payment_methods.create_async(CREATE_CARD_PAYMENT_METHOD)
    intent = await services.payment_intents.create_async(CREATE_INTENT)
    updated = await services.payment_intents.update_async(intent.id, UPDATE_INTENT)
    confirmed = await services.payment_intents.confirm_async(intent.id, CONFIRM_INTENT)
    retrieved = await services.payment_intents.retrieve_async(intent.id)
    refund = await services.refunds.create_async({**PARTIAL_REFUND, "payment_intent": intent.id})
    refund_again = await services.refunds.retrieve_async(refund.id)
    charges = await services.charges.list_async({"payment_intent": intent.id})
    manual = await services.payment_intents.create_async(CREATE_MANUAL_INTENT)
    await services.payment_intents.confirm_async(manual.id, CONFIRM_INTENT)
    captured = await services.payment_intents.capture_async(manual.id, CAPTURE_PARTIAL)
    to_cancel = await services.payment_intents.create_async(CREATE_INTENT)
    canceled = await services.payment_intents.cancel_async(to_cancel.id, CANCEL_INTENT)
    listed = await services.payment_intents.list_async(LIST_INTENTS)
    found = await services.payment_intents.search_async(SEARCH_INTENTS)
    events = await services.events.list_async(LIST_EVENTS)
    event = await services.events.retrieve_async(events.data[0].id)
    charge = await services.charges.retrieve_async(charges.data[0].id)
    refunds = await services.refunds.list_async({"payment_intent": intent.id})
    method_again = await services.payment_methods.retrieve_async(method.id)
    account = await services.accounts.retrieve_current_async()
    return {
        "payment_method": method,
        "updated": updated,
        "confirmed": confirmed,
        "retrieved": retrieved,
        "refund": refund_again,
        "charges": charges,
        "captured": captured,
        "canceled": canceled,
        "listed": listed,
        "found": found,
        "events": events,
        "event": event,
        "charge": charge,
        "refunds": refunds,
        "payment_method_again": method_again,
        "account": account,
    }


# What finance reads to explain a payout: the balance, a payout's transactions, the payouts.
EXPAND_BALANCE_TRANSACTION: dict[str, Any] = {"expand": ["balance_transaction"]}
LIST_BALANCE_TRANSACTIONS: dict[str, Any] = {
    "type": "charge",
    "currency": "usd",
    "created": {"gte": 1_700_000_000},
    "limit": 100,
}
LIST_PAYOUTS: dict[str, Any] = {
    "status": "paid",
    "arrival_date": {"gte": 1_700_000_000},
    "created": {"gte": 1_700_000_000},
    "limit": 10,
}


def transactions_of(payout: str) -> dict[str, Any]:
    return {"payout": payout, "limit": 100, "expand": ["data.source"]}


async def finance_round_trip(
    client: stripe.StripeClient, *, charge: str, refund: str, dispute: str, payout: str
) -> dict[str, Any]:
    """The reads that explain a payout, in the order the product makes them."""
    services = client.v1
    payouts = await services.payouts.list_async(LIST_PAYOUTS)
    payout_again = await services.payouts.retrieve_async(payout, EXPAND_BALANCE_TRANSACTION)
    in_payout = await services.balance_transactions.list_async(transactions_of(payout))
    by_type = await services.balance_transactions.list_async(LIST_BALANCE_TRANSACTIONS)
    by_source = await services.balance_transactions.list_async({"source": charge})
    transaction = await services.balance_transactions.retrieve_async(in_payout.data[0].id)
    charge_again = await services.charges.retrieve_async(charge, EXPAND_BALANCE_TRANSACTION)
    refund_again = await services.refunds.retrieve_async(refund, EXPAND_BALANCE_TRANSACTION)
    dispute_again = await services.disputes.retrieve_async(dispute)
    balance = await services.balance.retrieve_async()
    return {
        "payouts": payouts,
        "payout": payout_again,
        "in_payout": in_payout,
        "by_type": by_type,
        "by_source": by_source,
        "transaction": transaction,
        "charge": charge_again,
        "refund": refund_again,
        "dispute": dispute_again,
        "balance": balance,
    }
