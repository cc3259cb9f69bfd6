"""Finds one of our refunds at Stripe: by its Stripe id when we know it, else among the intent's
refunds by the `metadata.refund_id` we sent with it (the answer that named it may be lost)."""

from typing import Any

from app.infra.stripe_gateway import StripeGateway


async def find_at_stripe(
    stripe: StripeGateway,
    refund_id: str,
    stripe_refund_id: str | None,
    payment_intent_id: str | None,
) -> dict[str, Any] | None:
    if stripe_refund_id is not None:
        return await stripe.retrieve_refund(stripe_refund_id)
    if payment_intent_id is None:
        return None
    for stripe_refund in await stripe.list_refunds(payment_intent=payment_intent_id):
        metadata = stripe_refund.get("metadata") or {}
        if metadata.get("refund_id") == refund_id:
            return stripe_refund
    return None
