"""Capturing an authorized (manual-capture) payment, all or part of it.

The amount is first recorded on the payment (`capture_requested_minor`, a compare-and-set that
only one capture wins), then asked of Stripe under a key derived from the payment and that
amount, then Stripe's intent is applied through `IntentSync` like any other observation. So:

- twin requests for the same amount send one request to Stripe (same key); another amount
  while one is under way is refused (409) instead of racing it;
- a lost answer leaves the request recorded: the caller's retry, or the repair job, sends the
  very same request again, and Stripe answers it for that key (I2);
- a refusal from Stripe is applied from the intent as Stripe shows it (canceled, expired,
  already captured) and frees the request, so another amount may be tried;
- the capture's own webhook and this answer are the same transition: it counts once.
"""

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

from app.audit.schemas import Actor
from app.audit.service import AuditLog
from app.core.auth import Principal
from app.core.idempotency import IdempotencyStore, fingerprint
from app.core.money import MoneyError, to_minor
from app.infra.stripe_errors import StripeFailure, StripeProblem, StripeRejected
from app.infra.stripe_gateway import StripeGateway
from app.payments.errors import (
    AmountExceedsCapturable,
    CaptureInProgress,
    InvalidPaymentRequest,
    PaymentNotCapturable,
)
from app.payments.intent_sync import IntentSync
from app.payments.models import Payment, PaymentStatus
from app.payments.repository import PaymentRepository
from app.payments.schemas import CaptureRequest
from app.payments.stripe_params import INTENT_EXPAND, capture_idempotency_key

IDEMPOTENCY_SCOPE = "POST /api/v1/payments/stripe/capture"


@dataclass(frozen=True)
class Captured:
    payment: Payment
    replayed: bool


class PaymentCapture:
    def __init__(
        self,
        payments: PaymentRepository,
        sync: IntentSync,
        idempotency: IdempotencyStore,
        audit: AuditLog,
        stripe: StripeGateway,
    ) -> None:
        self._payments = payments
        self._sync = sync
        self._idempotency = idempotency
        self._audit = audit
        self._stripe = stripe

    async def capture(
        self,
        payment: Payment,
        data: CaptureRequest,
        principal: Principal,
        idempotency_key: str | None,
    ) -> Captured:
        requested = _requested_minor(data, payment)
        replayed = False
        if idempotency_key is not None:
            attempt = uuid.uuid4().hex
            bound = await self._idempotency.claim(
                scope=f"{principal.subject} {IDEMPOTENCY_SCOPE}",
                key=idempotency_key,
                request_hash=fingerprint({"payment_id": payment.id, "amount_minor": requested}),
                resource_id=attempt,
            )
            replayed = bound != attempt
            if replayed and payment.status is not PaymentStatus.AUTHORIZED:
                return Captured(payment, replayed=True)
        return Captured(await self._capture(payment, requested, principal), replayed)

    async def resend(self, payment: Payment, actor: Actor) -> Payment:
        """Sends a recorded capture whose answer never came (the repair job's part)."""
        if payment.capture_requested_minor is None or payment.payment_intent_id is None:
            return payment
        return await self._send(payment, payment.capture_requested_minor, actor)

    async def _capture(
        self, payment: Payment, requested: int | None, principal: Principal
    ) -> Payment:
        actor = Actor.from_principal(principal)
        if payment.status is not PaymentStatus.AUTHORIZED or payment.payment_intent_id is None:
            raise PaymentNotCapturable(payment.status.value)
        amount = payment.amount_capturable_minor if requested is None else requested
        if amount > payment.amount_capturable_minor:
            raise AmountExceedsCapturable(payment.amount_capturable_minor, payment.currency)
        recorded = await self._record_request(payment, amount)
        if recorded is None:  # this very capture is under way already: ask Stripe again
            return await self._send(payment, amount, actor)
        await self._audit.record(
            actor=actor,
            action="payment.capture_requested",
            entity_type="payment",
            entity_id=payment.id,
            order_id=payment.order_id,
            after={"amount_minor": amount, "authorized_minor": payment.amount_capturable_minor},
        )
        return await self._send(recorded, amount, actor)

    async def _record_request(self, payment: Payment, amount: int) -> Payment | None:
        """The payment with `amount` recorded as its capture; None when it already was."""
        if payment.capture_requested_minor == amount:
            return None
        if payment.capture_requested_minor is not None:
            raise CaptureInProgress(payment.capture_requested_minor, payment.currency)
        document = await self._payments.update_where(
            {
                "_id": payment.id,
                "status": PaymentStatus.AUTHORIZED.value,
                "capture_requested_minor": None,
            },
            {"$set": {"capture_requested_minor": amount, "updated_at": datetime.now(UTC)}},
        )
        if document is not None:
            return Payment.from_document(document)
        fresh = await self._reload(payment.id)
        if fresh.status is not PaymentStatus.AUTHORIZED:
            raise PaymentNotCapturable(fresh.status.value)
        if fresh.capture_requested_minor != amount:
            raise CaptureInProgress(fresh.capture_requested_minor or 0, fresh.currency)
        return None

    async def _send(self, payment: Payment, amount: int, actor: Actor) -> Payment:
        assert payment.payment_intent_id is not None  # noqa: S101 - authorized payments have one
        try:
            intent = await self._stripe.capture_payment_intent(
                payment.payment_intent_id,
                amount_to_capture=amount,
                idempotency_key=capture_idempotency_key(payment, amount),
                expand=INTENT_EXPAND,
            )
        except StripeRejected:
            # Stripe's word: it moved on (captured, canceled, expired) or refused this amount.
            intent = await self._stripe.retrieve_payment_intent(
                payment.payment_intent_id, expand=INTENT_EXPAND
            )
            updated = await self._sync.apply(payment, intent, actor)
            if intent.get("status") == "requires_capture":
                updated = await self._forget_request(updated, amount)
            if updated.status is not PaymentStatus.COMPLETED:
                raise PaymentNotCapturable(updated.status.value) from None
            return updated
        except StripeFailure as exc:
            # Unknown outcome: the request stays recorded until Stripe answers for its key.
            await self._payments.record_stripe_problem(
                payment.id, StripeProblem.of(exc).model_dump()
            )
            raise
        return await self._sync.apply(payment, intent, actor)

    async def _forget_request(self, payment: Payment, amount: int) -> Payment:
        document = await self._payments.update_where(
            {"_id": payment.id, "capture_requested_minor": amount},
            {"$set": {"capture_requested_minor": None, "updated_at": datetime.now(UTC)}},
        )
        return Payment.from_document(document) if document is not None else payment

    async def _reload(self, payment_id: str) -> Payment:
        document = await self._payments.get(payment_id)
        assert document is not None  # noqa: S101 - payments are never deleted
        return Payment.from_document(document)


def _requested_minor(data: CaptureRequest, payment: Payment) -> int | None:
    if data.amount is None:
        return None
    try:
        return to_minor(data.amount, payment.currency)
    except MoneyError as exc:
        raise InvalidPaymentRequest("amount", str(exc), exc.type) from None
