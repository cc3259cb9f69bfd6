"""Intents at Stripe that name one of our payments but are not on it, canceled there (I2, I4).

Such an intent (see `StrayIntent`) has no record of ours that will ever settle it: its payment
holds another intent, or was closed without one. It shows in the Stripe Dashboard as an open
payment and a reconciliation against Stripe cannot explain it, so it is canceled at Stripe,
under a key derived from the payment and the intent, and audited. Its `payment_intent.created`
event (a webhook, or the events sync) brings it here. One that took money is not a stray: see
`check_intent` (I5).
"""

import logging
from collections.abc import Mapping
from typing import Any

from app.audit.schemas import Actor
from app.audit.service import AuditLog
from app.infra.stripe_errors import StripeRejected
from app.infra.stripe_gateway import StripeGateway
from app.payments.intent_checks import StrayIntent
from app.payments.models import Payment
from app.payments.stripe_params import stray_cancel_idempotency_key

logger = logging.getLogger(__name__)
# Intent statuses a cancel ends; `processing` cannot be canceled, its outcome comes as an event.
CANCELABLE = frozenset(
    {"requires_payment_method", "requires_confirmation", "requires_action", "requires_capture"}
)


async def cancel_stray(
    stripe: StripeGateway,
    audit: AuditLog,
    payment: Payment,
    intent: Mapping[str, Any],
    stray: StrayIntent,
    actor: Actor,
) -> None:
    """Cancels the stray at Stripe; nothing to do once it is canceled. A failed call raises,
    so the event that brought it stays in the inbox and is tried again."""
    intent_id = str(intent["id"])
    if intent.get("status") not in CANCELABLE:
        return
    try:
        await stripe.cancel_payment_intent(
            intent_id,
            idempotency_key=stray_cancel_idempotency_key(payment, intent_id),
            reason="abandoned",
        )
    except StripeRejected:
        return  # it moved on at Stripe: canceled already, or paid (its own event comes here)
    logger.warning(
        "an intent at Stripe naming a payment that cannot hold it was canceled",
        extra={"payment_id": payment.id, "payment_intent_id": intent_id},
    )
    await audit.record(
        actor=actor,
        action="payment.stray_intent_canceled",
        entity_type="payment",
        entity_id=payment.id,
        order_id=payment.order_id,
        before={"payment_intent_id": intent_id, "status": intent.get("status")},
        after={"payment_intent_id": intent_id, "status": "canceled", "why": stray.message},
    )
