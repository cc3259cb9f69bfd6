"""The `/v1` endpoints, one module per Stripe resource."""

from stripe_emulator.api import Endpoint
from stripe_emulator.resources import (
    account,
    balance,
    balance_transactions,
    charges,
    disputes,
    events,
    payment_intents,
    payment_methods,
    payouts,
    refunds,
    webhook_endpoints,
)

ENDPOINTS: list[Endpoint] = [
    *payment_intents.ENDPOINTS,
    *payment_methods.ENDPOINTS,
    *charges.ENDPOINTS,
    *refunds.ENDPOINTS,
    *events.ENDPOINTS,
    *disputes.ENDPOINTS,
    *balance.ENDPOINTS,
    *balance_transactions.ENDPOINTS,
    *payouts.ENDPOINTS,
    *account.ENDPOINTS,
    *webhook_endpoints.ENDPOINTS,
]
