"""Refund rules: reserve on the payment, record the refund, ask Stripe, then settle or release.

reserve (compare-and-set on the payment) -> refund record `pending`
  -> Stripe, idempotency key = refund id
       answered     -> apply Stripe's refund (settle, keep reserved while pending, release)
       refused      -> release, record `failed`, 409 (Stripe's word for this key)
       anything else (timeout, 5xx, 429, 401, key busy): the outcome is unknown, since an
                       earlier attempt under the same call may have reached Stripe. It stays
                       reserved and `pending`, the caller's Idempotency-Key stays bound; 5xx
                       saying so. A webhook, a retry with the same Idempotency-Key, or the
                       reconciler settles it from what Stripe says.

A retry with the same key never trusts the stored record: it re-sends the refund under the same
Stripe key (Stripe answers with the refund it made, or makes it), or re-reads it from Stripe,
and answers with that.
"""

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from app.audit.schemas import Actor
from app.audit.service import AuditLog
from app.core.auth import Principal
from app.core.idempotency import IdempotencyStore, fingerprint
from app.core.money import MoneyError, to_minor
from app.infra.stripe_errors import (
    StripeFailure,
    StripeNotConfigured,
    StripeProblem,
    StripeRejected,
)
from app.infra.stripe_gateway import StripeGateway
from app.payments.errors import InvalidPaymentRequest
from app.payments.loading import payment_named
from app.payments.models import Payment, PaymentStatus
from app.payments.repository import PaymentRepository
from app.refund_records.models import Refund, RefundFailure, RefundStatus
from app.refund_records.repository import RefundRepository
from app.refunds.errors import (
    PaymentNotRefundable,
    RefundExceedsRefundable,
    RefundOutcomeUnknown,
    RefundRejectedByStripe,
)
from app.refunds.ledger import RefundLedger, Word
from app.refunds.records import refund_document
from app.refunds.schemas import RefundCreate
from app.refunds.stripe_params import refund_create_params
from app.refunds.sync import RefundSync

IDEMPOTENCY_SCOPE = "POST /api/v1/payments/stripe/refund"


def new_refund_id() -> str:
    return f"ref_{uuid.uuid4().hex}"


@dataclass(frozen=True)
class CreatedRefund:
    refund: Refund
    replayed: bool


class RefundService:
    def __init__(
        self,
        refunds: RefundRepository,
        payments: PaymentRepository,
        ledger: RefundLedger,
        sync: RefundSync,
        idempotency: IdempotencyStore,
        audit: AuditLog,
        stripe: StripeGateway,
    ) -> None:
        self._refunds = refunds
        self._payments = payments
        self._ledger = ledger
        self._sync = sync
        self._idempotency = idempotency
        self._audit = audit
        self._stripe = stripe

    async def create(
        self,
        payment_id: str,
        data: RefundCreate,
        principal: Principal,
        idempotency_key: str | None = None,
    ) -> CreatedRefund:
        payment = await self._payment(payment_id)
        amount_minor = self._amount_minor(data, payment)
        actor = Actor.from_principal(principal)
        scope = f"{principal.subject} {IDEMPOTENCY_SCOPE}"
        refund_id = new_refund_id()
        if idempotency_key is not None:
            request = {
                "payment_id": payment_id,
                "amount_minor": amount_minor,
                "reason": data.reason,
                "reason_code": data.code.value,
                "notes": data.notes,
            }
            refund_id = await self._idempotency.claim(
                scope=scope,
                key=idempotency_key,
                request_hash=fingerprint(request),
                resource_id=refund_id,
            )
        try:
            existing = await self._refunds.get(refund_id)
            if existing is not None:
                resumed = await self._resume(Refund.from_document(existing), actor)
                return CreatedRefund(resumed, replayed=True)
            refund, reserved_now = await self._reserve_and_record(
                refund_id, payment, amount_minor, data, principal, actor
            )
            if not reserved_now:  # an earlier attempt reserved it: it may have been sent
                return CreatedRefund(await self._resume(refund, actor), replayed=False)
            return CreatedRefund(await self._send(refund, payment, actor), replayed=False)
        except (RefundRejectedByStripe, StripeNotConfigured):
            # Certainly nothing was refunded: like Stripe, let a retry with this key run anew.
            # Never on an unknown outcome: the retry must reach this very refund.
            if idempotency_key is not None:
                await self._idempotency.release(
                    scope=scope, key=idempotency_key, resource_id=refund_id
                )
            raise

    async def sync_stripe_refund(self, refund: Mapping[str, Any], actor: Actor) -> Refund | None:
        """refund.created/.updated/.failed: match by Stripe id, else metadata.refund_id, else
        record it as made in the Stripe Dashboard; settle or fail it; never count it twice."""
        return await self._sync.sync_stripe_refund(refund, actor)

    async def sync_charge_refunds(self, charge: Mapping[str, Any], actor: Actor) -> None:
        """charge.refunded: every refund of the charge, as Stripe lists them, synced."""
        await self._sync.sync_charge_refunds(charge, actor)

    async def _payment(self, payment_id: str) -> Payment:
        return await payment_named(self._payments, payment_id)

    @staticmethod
    def _amount_minor(data: RefundCreate, payment: Payment) -> int | None:
        if data.amount is None:
            return None
        try:
            return to_minor(data.amount, payment.currency)
        except MoneyError as exc:
            raise InvalidPaymentRequest("amount", str(exc), exc.type) from None

    async def _reserve_and_record(
        self,
        refund_id: str,
        payment: Payment,
        amount_minor: int | None,
        data: RefundCreate,
        principal: Principal,
        actor: Actor,
    ) -> tuple[Refund, bool]:
        if payment.status is not PaymentStatus.COMPLETED:
            raise PaymentNotRefundable(payment.status.value)
        if amount_minor is None:
            amount_minor = payment.refundable_minor
            if amount_minor == 0:
                raise RefundExceedsRefundable(0, payment.currency)
        payment, reserved_now = await self._ledger.reserve(payment, refund_id, amount_minor)
        entry = payment.refund_ledger[refund_id]
        document = refund_document(
            refund_id,
            payment,
            entry.amount_minor,
            reason=data.reason,
            reason_code=data.code.value,
            notes=data.notes,
            requested_by=principal.subject,
        )
        if await self._refunds.insert(document):
            await self._audit.record(
                actor=actor,
                action="refund.requested",
                entity_type="refund",
                entity_id=refund_id,
                order_id=payment.order_id,
                after={
                    "payment_id": payment.id,
                    "amount_minor": entry.amount_minor,
                    "reason_code": data.code.value,
                    "reason": data.reason,
                },
            )
            return Refund.from_document(document), reserved_now
        stored = await self._refunds.get(refund_id)
        assert stored is not None  # noqa: S101 - the insert just found it there
        return Refund.from_document(stored), reserved_now

    async def _resume(self, refund: Refund, actor: Actor) -> Refund:
        """A retry of a refund asked before: answer what Stripe says, never the stored guess."""
        if refund.stripe_refund_id is not None:
            if refund.status is not RefundStatus.PENDING:
                # Settled already; its order may have been left behind by a crash.
                await self._sync.recompute_order(refund.order_id, actor)
                return refund
            return await self._sync.apply(
                refund, await self._stripe.retrieve_refund(refund.stripe_refund_id), actor
            )
        if await self._ledger.mark_sent(refund.payment_id, refund.id):
            return await self._send(refund, await self._payment(refund.payment_id), actor)
        # Settled or released already, the record left behind by a crash: ask Stripe.
        payment = await self._payment(refund.payment_id)
        return await self._sync.refresh(refund, payment.payment_intent_id, actor)

    async def _send(self, refund: Refund, payment: Payment, actor: Actor) -> Refund:
        try:
            stripe_refund = await self._stripe.create_refund(
                refund_create_params(refund, payment), idempotency_key=refund.id
            )
        except StripeRejected as exc:
            failure = RefundFailure(code=exc.stripe_code or exc.code, message=exc.stripe_message)
            await self._sync.fail(refund, failure, actor, Word.STRIPE_REFUSED)
            raise RefundRejectedByStripe(exc.stripe_message, refund.id) from None
        except StripeNotConfigured:
            failure = RefundFailure(code="stripe_not_configured", message="Nothing was sent.")
            await self._sync.fail(refund, failure, actor, Word.NOT_AT_STRIPE)
            raise
        except StripeFailure as exc:
            await self._refunds.record_stripe_problem(refund.id, StripeProblem.of(exc).model_dump())
            raise RefundOutcomeUnknown(exc, refund.id) from None
        return await self._sync.apply(refund, stripe_refund, actor)
