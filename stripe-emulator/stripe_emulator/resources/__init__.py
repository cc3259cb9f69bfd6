"""The `/v1` endpoints, one module per Stripe resource."""

from stripe_emulator.api import Endpoint
from stripe_emulator.resources import (
    account,
    charges,
    disputes,
    events,
    payment_intents,
    payment_methods,
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
    *account.ENDPOINTS,
    *webhook_endpoints.ENDPOINTS,
]
