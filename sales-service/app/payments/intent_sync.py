"""Applies a PaymentIntent to its payment: the one transition path `/confirm` and webhooks share.

The write is a compare-and-set on the payment's `version`; on a conflict the fresh payment is
re-planned, so concurrent or repeated applications of the same intent change it once. Every
application ends with the order's reconciliation, whether or not it changed anything (I3): a
crash after an earlier write must not leave the order's figures stale for good.
"""

import logging
from collections.abc import Callable, Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

from app.audit.schemas import Actor
from app.audit.service import AuditLog
from app.core.compare_and_set import Keep, Write, compare_and_set
from app.core.metrics import PAYMENT_DECLINES, PAYMENTS_FINAL, PAYMENTS_RECOVERED, THREE_D_SECURE
from app.infra.stripe_errors import StripeFailure
from app.infra.stripe_gateway import StripeGateway
from app.payments.errors import PaymentBusy
from app.payments.intent_checks import (
    AmountChanged,
    ObjectRejected,
    Rejection,
    StrayIntent,
    check_intent,
)
from app.payments.loading import load_payment
from app.payments.models import FINAL_STATUSES, Payment, PaymentStatus
from app.payments.order_totals import OrderTotals
from app.payments.received import plan_amount_changed
from app.payments.repository import PaymentRepository
from app.payments.stray_intents import cancel_stray
from app.payments.transitions import (
    SUCCEEDED_AFTER_CANCEL,
    PlannedUpdate,
    card_from_payment_method,
    plan_intent_update,
    status_for_intent,
)

logger = logging.getLogger(__name__)
Update = dict[str, Any]
# How long after a change the repair job asks Stripe, in case no webhook tells us more.
CHECK_DELAY = timedelta(minutes=2)


class IntentSync:
    def __init__(
        self,
        repository: PaymentRepository,
        totals: OrderTotals,
        audit: AuditLog,
        stripe: StripeGateway,
        check_delay: timedelta = CHECK_DELAY,
    ) -> None:
        self.check_delay = check_delay
        self._repository = repository
        self._totals = totals
        self._audit = audit
        self._stripe = stripe

    async def apply(self, payment: Payment, intent: Mapping[str, Any], actor: Actor) -> Payment:
        """Applies what Stripe says about the payment's intent, once `check_intent` finds it
        this payment's, on every path (webhook, confirm, cancel, capture, the repair job): an
        amount changed at Stripe is recorded as what Stripe received, and an intent that is not
        the payment's raises `ObjectRejected` and moves nothing. A stray (it names the payment,
        which cannot hold it) is canceled at Stripe, and the payment is left as it is."""
        verdict = check_intent(payment, intent, our_livemode=self._stripe.livemode)
        if isinstance(verdict, Rejection):
            raise ObjectRejected(verdict)
        if isinstance(verdict, StrayIntent):
            await cancel_stray(self._stripe, self._audit, payment, intent, verdict, actor)
            return payment
        if isinstance(verdict, AmountChanged):
            change = verdict
            return await self.write(
                payment, lambda current: plan_amount_changed(current, change), actor, intent
            )
        intent = await self._with_card(payment, intent)
        return await self.write(
            payment, lambda current: plan_intent_update(current, intent), actor, intent
        )

    async def write(
        self,
        payment: Payment,
        planner: Callable[[Payment], PlannedUpdate | None],
        actor: Actor,
        intent: Mapping[str, Any] | None = None,
    ) -> Payment:
        """Writes the planned change with a compare-and-set, re-planning on the fresh payment
        after a conflict; audits and counts a status change; always reconciles the order."""
        updated = await self._write_payment(payment, planner, actor, intent)
        await self._totals.recompute(updated.order_id, actor)
        return updated

    async def _write_payment(
        self,
        payment: Payment,
        planner: Callable[[Payment], PlannedUpdate | None],
        actor: Actor,
        intent: Mapping[str, Any] | None,
    ) -> Payment:
        def plan(current: Payment) -> Keep[Payment] | Write[tuple[PlannedUpdate | None, Update]]:
            planned = planner(current)
            stores_intent = intent is not None and current.payment_intent_id is None
            if planned is None and not stores_intent:
                return Keep(current)
            update = _update_for(
                current, planned or PlannedUpdate(), intent or {}, actor, self.check_delay
            )
            return Write((planned, update))

        async def write(
            current: Payment, change: tuple[PlannedUpdate | None, Update]
        ) -> Payment | None:
            planned, update = change
            document = await self._repository.compare_and_set(current.id, current.version, update)
            if document is None:
                return None
            updated = Payment.from_document(document)
            if current.payment_intent_id is None and updated.payment_intent_id is not None:
                await self._intent_stored(updated, actor)
            if planned is not None and planned.status is not None:
                await self._after_transition(current, updated, actor, planned)
            return updated

        return await compare_and_set(
            load=lambda: load_payment(self._repository, payment.id),
            plan=plan,
            write=write,
            busy=PaymentBusy,
            first=payment,
        )

    async def _with_card(self, payment: Payment, intent: Mapping[str, Any]) -> Mapping[str, Any]:
        """A succeeded intent from a webhook names its card only by id: fetch brand and last 4.

        Best effort: without them the payment is still recorded, just without card details.
        """
        if payment.card is not None or status_for_intent(intent) is not PaymentStatus.COMPLETED:
            return intent
        method = intent.get("payment_method")
        if not isinstance(method, str):
            return intent
        try:
            payment_method = await self._stripe.retrieve_payment_method(method)
        except StripeFailure as exc:
            logger.warning(
                "card details unavailable", extra={"payment_id": payment.id, "error": exc.code}
            )
            return intent
        if card_from_payment_method(payment_method) is None:
            return intent
        return {**intent, "payment_method": payment_method}

    async def _intent_stored(self, payment: Payment, actor: Actor) -> None:
        """An observation (an event, the repair job) stored the intent before create-intent
        did: audited as create-intent would have, so each intent has its entry once."""
        await self._audit.record(
            actor=actor,
            action="payment.intent_created",
            entity_type="payment",
            entity_id=payment.id,
            order_id=payment.order_id,
            after={
                "payment_intent_id": payment.payment_intent_id,
                "amount_minor": payment.amount_minor,
                "currency": payment.currency,
            },
        )

    async def _after_transition(
        self, before: Payment, after: Payment, actor: Actor, plan: PlannedUpdate
    ) -> None:
        _count(before, after)
        if plan.reason == SUCCEEDED_AFTER_CANCEL:
            PAYMENTS_RECOVERED.labels(before.status.value).inc()
            logger.warning(
                "Stripe took money on a payment canceled here; it now counts as paid",
                extra={"payment_id": after.id, "order_id": after.order_id},
            )
        await self._audit.record(
            actor=actor,
            action=(
                "payment.succeeded_after_cancel"
                if plan.reason == SUCCEEDED_AFTER_CANCEL
                else "payment.status_changed"
            ),
            entity_type="payment",
            entity_id=after.id,
            order_id=after.order_id,
            before={"status": before.status.value},
            after={
                "status": after.status.value,
                "card": after.card.model_dump() if after.card else None,
                "failure": after.failure.model_dump() if after.failure else None,
            },
        )


def _update_for(
    payment: Payment,
    plan: PlannedUpdate,
    intent: Mapping[str, Any],
    actor: Actor,
    check_delay: timedelta,
) -> dict[str, Any]:
    now = datetime.now(UTC)
    fields: dict[str, Any] = {**plan.fields, "updated_at": now}
    if payment.payment_intent_id is None and isinstance(intent.get("id"), str):
        # The event arrived before create-intent stored the intent on the payment.
        fields["payment_intent_id"] = intent["id"]
        if payment.client_secret is None and isinstance(intent.get("client_secret"), str):
            fields["client_secret"] = intent["client_secret"]
    update: dict[str, Any] = {"$set": fields}
    status = plan.status or payment.status
    closed = bool(fields.get("intent_closed", payment.intent_closed))
    over = status in (PaymentStatus.CANCELED, PaymentStatus.FAILED) and closed
    if status is PaymentStatus.COMPLETED or over:
        update["$unset"] = {"check_after": ""}
    elif plan.status is not None:
        fields["check_after"] = now + check_delay
    if plan.status is not None:
        if plan.status in FINAL_STATUSES or plan.release_slot:
            fields["open_order_key"] = payment.id
        update["$push"] = {
            "history": {
                "from_status": payment.status.value,
                "to_status": plan.status.value,
                "at": now,
                "actor": actor.model_dump(mode="json"),
                "reason": plan.reason,
            }
        }
    return update


def _count(before: Payment, after: Payment) -> None:
    status = after.status
    if status in (PaymentStatus.COMPLETED, PaymentStatus.CANCELED, PaymentStatus.FAILED):
        PAYMENTS_FINAL.labels(status.value).inc()
    if status is PaymentStatus.FAILED and after.failure is not None:
        PAYMENT_DECLINES.labels(after.failure.decline_code or after.failure.code).inc()
    if status is PaymentStatus.REQUIRES_ACTION:
        THREE_D_SECURE.labels("required").inc()
    elif before.status is PaymentStatus.REQUIRES_ACTION and status in (
        PaymentStatus.PROCESSING,
        PaymentStatus.COMPLETED,
    ):
        THREE_D_SECURE.labels("completed").inc()
