"""Payment rules: start, confirm and cancel payments, read them, and apply what Stripe reports.

`confirm` and the webhooks go through the same `IntentSync`, so a payment confirmed by both at
once, or told the same thing five times, moves once.
"""

import contextlib
from collections.abc import Mapping
from typing import Any

from app.audit.schemas import Actor
from app.core.auth import Principal
from app.core.pagination import PageRequest
from app.infra.stripe_errors import StripeFailure, StripeRejected
from app.infra.stripe_gateway import StripeGateway
from app.payments.capture import Captured, PaymentCapture
from app.payments.disputes import DisputeSync
from app.payments.errors import (
    IntentDoesNotMatchOrder,
    PaymentIntentNotFound,
    PaymentNotCancelable,
)
from app.payments.intent_checks import (
    ObjectRejected,
    Reason,
    Rejection,
    check_dispute,
    check_notice,
)
from app.payments.intent_creation import CreatedIntent, IntentCreation
from app.payments.intent_sync import IntentSync
from app.payments.loading import PAYMENT_ID, payment_named
from app.payments.models import Payment, PaymentStatus
from app.payments.repository import PaymentRepository
from app.payments.schemas import (
    CaptureRequest,
    ConfirmRequest,
    CreateIntentRequest,
    PaymentFilters,
)
from app.payments.stripe_params import INTENT_EXPAND, cancel_idempotency_key
from app.payments.transitions import plan_cancel_without_intent
from app.refund_records.models import Refund
from app.refund_records.repository import RefundRepository


class PaymentService:
    def __init__(
        self,
        payments: PaymentRepository,
        refunds: RefundRepository,
        creation: IntentCreation,
        sync: IntentSync,
        capture: PaymentCapture,
        disputes: DisputeSync,
        stripe: StripeGateway,
        publishable_key: str | None,
    ) -> None:
        self._payments = payments
        self._refunds = refunds
        self._creation = creation
        self._sync = sync
        self._capture = capture
        self._disputes = disputes
        self._stripe = stripe
        self.publishable_key = publishable_key

    async def create_intent(
        self, data: CreateIntentRequest, principal: Principal, idempotency_key: str | None = None
    ) -> CreatedIntent:
        return await self._creation.create(data, principal, idempotency_key)

    async def confirm(self, data: ConfirmRequest, caller: Principal | Actor) -> Payment:
        """Reads the intent from Stripe, checks it is this order's, and applies its state.

        A declined card is not an error here: the payment comes back `failed` with the reason.
        `caller` is an Actor when no signed-in principal confirms (a payment link's page).
        """
        try:
            intent = await self._stripe.retrieve_payment_intent(
                data.payment_intent_id, expand=INTENT_EXPAND
            )
        except StripeRejected as exc:
            if exc.resource_missing:
                raise PaymentIntentNotFound() from None
            raise
        payment = await self._payment_for_intent(intent)
        if payment is None:
            raise PaymentIntentNotFound()
        metadata = intent.get("metadata") or {}
        if payment.order_id != data.order_id or metadata.get("order_id") != data.order_id:
            raise IntentDoesNotMatchOrder("This PaymentIntent belongs to another order.")
        if (
            intent.get("amount") != payment.amount_minor
            or intent.get("currency") != payment.currency
        ):
            raise IntentDoesNotMatchOrder(
                "This PaymentIntent's amount or currency differs from the payment's."
            )
        actor = caller if isinstance(caller, Actor) else Actor.from_principal(caller)
        return await self._sync.apply(payment, intent, actor)

    async def capture(
        self,
        payment_id: str,
        data: CaptureRequest,
        principal: Principal,
        idempotency_key: str | None = None,
    ) -> Captured:
        """Captures all or part of an authorized payment; Stripe releases the rest."""
        payment = await self.get(payment_id)
        return await self._capture.capture(payment, data, principal, idempotency_key)

    async def cancel(self, payment_id: str, caller: Principal | Actor) -> Payment:
        """Cancels an open payment at Stripe; on an authorized one this releases the hold."""
        payment = await self.get(payment_id)
        actor = caller if isinstance(caller, Actor) else Actor.from_principal(caller)
        if payment.status is PaymentStatus.CANCELED:
            return payment
        if payment.status is PaymentStatus.COMPLETED:
            raise PaymentNotCancelable(payment.status.value)
        if payment.payment_intent_id is None:
            # No intent on record (its creation was refused, is under way, or its request died
            # after Stripe made it): cancel our record. One never sent to Stripe is then closed
            # for good, with no call to Stripe. One that may have been sent stays open until
            # Stripe answers for its key: asked now, or by the repair job if Stripe cannot be.
            canceled = await self._sync.write(payment, plan_cancel_without_intent, actor)
            if canceled.status is not PaymentStatus.CANCELED:
                return await self.cancel(payment_id, caller)
            with contextlib.suppress(StripeFailure):
                canceled = await self._creation.close_intentless(canceled, actor)
            return canceled
        try:
            intent = await self._stripe.cancel_payment_intent(
                payment.payment_intent_id,
                idempotency_key=cancel_idempotency_key(payment),
                reason="abandoned",
            )
        except StripeRejected:
            # It moved on at Stripe (paid, or already canceled): take Stripe's word for it.
            intent = await self._stripe.retrieve_payment_intent(payment.payment_intent_id)
        updated = await self._sync.apply(payment, intent, actor)
        if updated.status is not PaymentStatus.CANCELED:
            raise PaymentNotCancelable(updated.status.value)
        return updated

    async def get(self, payment_id: str) -> Payment:
        return await payment_named(self._payments, payment_id)

    async def list_page(
        self, filters: PaymentFilters, page: PageRequest
    ) -> tuple[list[Payment], int]:
        documents = await self._payments.find_page(filters, page.offset, page.page_size)
        total = await self._payments.count(filters)
        return [Payment.from_document(document) for document in documents], total

    async def refunds_for(self, payment_ids: list[str]) -> dict[str, list[Refund]]:
        grouped: dict[str, list[Refund]] = {payment_id: [] for payment_id in payment_ids}
        for document in await self._refunds.find_for_payments(payment_ids):
            refund = Refund.from_document(document)
            grouped.setdefault(refund.payment_id, []).append(refund)
        return grouped

    async def sync_intent(self, notice: Mapping[str, Any], actor: Actor) -> Payment | None:
        """Apply what Stripe says now about the PaymentIntent a notice (a webhook's
        `data.object`, or a listed event's) names: the intent is fetched from Stripe and checked
        against its payment (found by intent id, else by `metadata.payment_id`: an event may
        arrive before create-intent stored the intent id). Forward-only, idempotent; None when
        it names nothing of ours; `ObjectRejected` when it does but does not match."""
        intent_id = notice.get("id")
        if not isinstance(intent_id, str):
            return None
        claimed = await self._payment_named_by(notice)
        if claimed is None:  # names nothing of ours: not worth asking Stripe about
            return None
        try:
            intent = await self._stripe.retrieve_payment_intent(intent_id, expand=INTENT_EXPAND)
        except StripeRejected as exc:
            if not exc.resource_missing:
                raise
            missing = "Stripe has no such intent"
            raise _rejected(Reason.UNKNOWN_AT_STRIPE, missing, claimed) from None
        payment = await self._payment_named_by(intent)
        differs = check_notice(notice, intent)
        if differs is not None:
            raise _rejected(differs.reason, differs.message, claimed)
        if payment is None:
            return None
        return await self._sync.apply(payment, intent, actor)

    async def sync_dispute(self, notice: Mapping[str, Any], actor: Actor) -> Payment | None:
        """charge.dispute.created / .closed: the dispute is fetched from Stripe, checked against
        the disputed payment and recorded on it; an open (or lost) dispute makes the order
        `disputed`. None when the disputed payment is not ours."""
        dispute_id, intent_id = notice.get("id"), notice.get("payment_intent")
        if not isinstance(intent_id, str) or not isinstance(dispute_id, str):
            return None
        claimed = await self._payment_by_intent(intent_id)
        if claimed is None:
            return None
        try:
            dispute = await self._stripe.retrieve_dispute(dispute_id)
        except StripeRejected as exc:
            if not exc.resource_missing:
                raise
            missing = "Stripe has no such dispute"
            raise _rejected(Reason.UNKNOWN_AT_STRIPE, missing, claimed) from None
        differs = check_notice(notice, dispute)
        if differs is not None:
            raise _rejected(differs.reason, differs.message, claimed)
        fetched_intent = dispute.get("payment_intent")
        payment = (
            await self._payment_by_intent(fetched_intent)
            if isinstance(fetched_intent, str)
            else None
        )
        if payment is None:
            return None
        rejection = check_dispute(payment, dispute, our_livemode=self._stripe.livemode)
        if rejection is not None:
            raise ObjectRejected(rejection)
        return await self._disputes.apply(payment, dispute, actor)

    async def claimed_by(self, intent_id: str) -> Payment | None:
        """Our payment holding this intent id (for events that name it without being ours)."""
        return await self._payment_by_intent(intent_id)

    async def _payment_for_intent(self, intent: Mapping[str, Any]) -> Payment | None:
        """The payment an intent is for: its stored intent, else the one its metadata names if
        that payment has no intent yet and Stripe did not refuse to create one for it."""
        payment = await self._payment_named_by(intent)
        if payment is None or payment.payment_intent_id == intent.get("id"):
            return payment
        if payment.payment_intent_id is not None or payment.intent_closed:
            return None
        return payment

    async def _payment_named_by(self, intent: Mapping[str, Any]) -> Payment | None:
        """The payment an intent claims: by stored intent id, else by `metadata.payment_id`."""
        intent_id = intent.get("id")
        if not isinstance(intent_id, str):
            return None
        payment = await self._payment_by_intent(intent_id)
        if payment is not None:
            return payment
        metadata = intent.get("metadata") or {}
        payment_id = metadata.get("payment_id") if isinstance(metadata, Mapping) else None
        if isinstance(payment_id, str) and PAYMENT_ID.match(payment_id):
            document = await self._payments.get(payment_id)
            return Payment.from_document(document) if document is not None else None
        return None

    async def _payment_by_intent(self, intent_id: str) -> Payment | None:
        document = await self._payments.get_by_intent(intent_id)
        return Payment.from_document(document) if document is not None else None


def _rejected(reason: Reason, message: str, payment: Payment | None) -> ObjectRejected:
    return ObjectRejected(
        Rejection(
            reason,
            message,
            payment.id if payment is not None else None,
            payment.order_id if payment is not None else None,
        )
    )
