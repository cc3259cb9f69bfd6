"""Paying, and reading what a payment moved in the balance, for the balance and payout tests."""

from __future__ import annotations

from typing import Any

import stripe

DAY = 24 * 3600


async def pay(
    client: stripe.StripeClient,
    amount: int = 5000,
    currency: str = "usd",
    payment_method: str = "pm_card_visa",
    **extra: Any,
) -> stripe.PaymentIntent:
    return await client.v1.payment_intents.create_async(
        {
            "amount": amount,
            "currency": currency,
            "payment_method_types": ["card"],
            "payment_method": payment_method,
            "confirm": True,
            **extra,
        }
    )


async def transaction_of(
    client: stripe.StripeClient, intent: stripe.PaymentIntent
) -> stripe.BalanceTransaction:
    """The balance transaction of the intent's charge."""
    charge = await client.v1.charges.retrieve_async(
        intent.latest_charge, {"expand": ["balance_transaction"]}
    )
    transaction = charge.balance_transaction
    assert isinstance(transaction, stripe.BalanceTransaction)
    return transaction


async def all_transactions(
    client: stripe.StripeClient, **filters: Any
) -> list[stripe.BalanceTransaction]:
    page = await client.v1.balance_transactions.list_async({**filters, "limit": 100})
    return [transaction async for transaction in page.auto_paging_iter()]
