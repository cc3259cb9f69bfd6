"""Starting a payment: the record, then its commitment on the order, then the mark that it is
sent to Stripe, then the PaymentIntent, then the intent on the record.

The intent is created with the payment id as Stripe's idempotency key and parameters built from
the record alone, so however often this runs for one payment (retries, concurrent requests for
the same order and amount) Stripe makes one intent. No intent is created before the payment
holds its commitment on the order (I1): that compare-and-set on the order document is the one
atomic decision that the amount still fits under the total, whatever was read before it.
An order has at most one open payment (a unique key, see the repository): asking again with the
same amount returns it; another amount is refused until it is paid or canceled.

Which payments may be sent to Stripe: a create is sent only for a payment marked
`sent_to_stripe` by a compare-and-set that requires it still open (not canceled, completed, or
closed). So a payment closed here before the mark (refused over the total, canceled, or
abandoned by a request that died) is never sent by any path, and can be closed with no call to
Stripe; a marked one may have an intent at Stripe, and only Stripe's answer for its key closes it.
"""

import logging
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from pymongo.errors import DuplicateKeyError

from app.audit.schemas import Actor
from app.audit.service import AuditLog
from app.core.auth import Principal
from app.core.errors import AppError
from app.core.idempotency import IdempotencyStore, fingerprint
from app.core.money import MoneyError, to_minor
from app.infra.stripe_errors import StripeFailure, StripeProblem, StripeRejected
from app.infra.stripe_gateway import StripeGateway
from app.orders.errors import OrderNotFound
from app.orders.repository import OrderRepository
from app.orders.schemas import Order
from app.orders.service import ORDER_ID
from app.payments.errors import (
    AmountExceedsOutstanding,
    InvalidPaymentRequest,
    OpenPaymentExists,
    OrderAlreadyPaid,
    PaymentBusy,
    PaymentCanceled,
)
from app.payments.intent_sync import IntentSync
from app.payments.models import Failure, Payment, PaymentStatus
from app.payments.repository import PaymentRepository
from app.payments.schemas import CreateIntentRequest
from app.payments.stripe_params import cancel_idempotency_key, intent_create_params
from app.payments.transitions import (
    PlannedUpdate,
    never_sent,
    plan_cancel_without_intent,
    plan_refused_here,
    plan_rejected_intent,
)

logger = logging.getLogger(__name__)
IDEMPOTENCY_SCOPE = "POST /api/v1/payments/stripe/create-intent"
MAX_OPEN_ATTEMPTS = 5
# Longer than any create-intent request can take: after it, a payment still without an intent
# is one whose request died, and the repair job settles it.
INTENTLESS_GRACE = timedelta(minutes=15)
OVER_TOTAL = Failure(
    code="amount_exceeds_outstanding",
    message="Other payments already hold the order's total; this one was not sent to Stripe.",
)


def new_payment_id() -> str:
    return f"pay_{uuid.uuid4().hex}"


@dataclass(frozen=True)
class CreatedIntent:
    payment: Payment
    replayed: bool


class IntentCreation:
    def __init__(
        self,
        payments: PaymentRepository,
        orders: OrderRepository,
        sync: IntentSync,
        idempotency: IdempotencyStore,
        audit: AuditLog,
        stripe: StripeGateway,
        intentless_grace: timedelta = INTENTLESS_GRACE,
    ) -> None:
        self._intentless_grace = intentless_grace
        self._payments = payments
        self._orders = orders
        self._sync = sync
        self._idempotency = idempotency
        self._audit = audit
        self._stripe = stripe

    async def create(
        self, data: CreateIntentRequest, principal: Principal, idempotency_key: str | None
    ) -> CreatedIntent:
        order = await self._order(data.order_id)
        requested_minor = _requested_amount(data, order)
        actor = Actor.from_principal(principal)
        payment_id = new_payment_id()
        if idempotency_key is not None:
            request = {
                "order_id": order.id,
                "customer_id": data.customer_id,
                "amount_minor": requested_minor,
                "currency": data.currency,
                "description": data.description,
                "receipt_email": data.receipt_email,
                "capture": data.capture.value,
            }
            payment_id = await self._idempotency.claim(
                scope=f"{principal.subject} {IDEMPOTENCY_SCOPE}",
                key=idempotency_key,
                request_hash=fingerprint(request),
                resource_id=payment_id,
            )
            existing = await self._payments.get(payment_id)
            if existing is not None:
                payment = Payment.from_document(existing)
                return CreatedIntent(await self.ensure_intent(payment, actor), replayed=True)

        amount_minor = requested_minor if requested_minor is not None else order.outstanding_minor
        if amount_minor == 0:
            raise OrderAlreadyPaid()
        payment = await self._open_payment(payment_id, order, amount_minor, data, principal)
        if idempotency_key is not None and payment.id != payment_id:
            # The order's open payment answered: a retry with this key must get it again.
            await self._idempotency.rebind(
                scope=f"{principal.subject} {IDEMPOTENCY_SCOPE}",
                key=idempotency_key,
                resource_id=payment_id,
                to_resource_id=payment.id,
            )
        return CreatedIntent(await self.ensure_intent(payment, actor), replayed=False)

    async def ensure_intent(self, payment: Payment, actor: Actor) -> Payment:
        """The payment with its intent, creating the intent at Stripe if it has none yet."""
        if payment.status is PaymentStatus.CANCELED:
            if payment.payment_intent_id is not None and not payment.intent_closed:
                await self._cancel_orphan(payment, actor)
            raise PaymentCanceled()
        if payment.payment_intent_id is not None and payment.client_secret is not None:
            return payment
        if payment.status is PaymentStatus.FAILED and payment.failure is not None:
            raise InvalidPaymentRequest("amount", payment.failure.message, payment.failure.code)
        await self._commit(payment, actor)
        payment = await self._mark_sent(payment)
        try:
            intent = await self._stripe.create_payment_intent(
                intent_create_params(payment), idempotency_key=payment.id
            )
        except StripeRejected as exc:
            failure = Failure(code=exc.stripe_code or exc.code, message=exc.stripe_message)
            await self._sync.write(
                payment, lambda current: plan_rejected_intent(current, failure), actor
            )
            raise _rejection(exc) from None
        except StripeFailure as exc:
            await self._payments.record_stripe_problem(
                payment.id, StripeProblem.of(exc).model_dump()
            )
            raise
        now = datetime.now(UTC)
        stored = await self._payments.set_intent(
            payment.id, intent["id"], intent.get("client_secret"), now
        )
        if stored is not None:
            await self._audit.record(
                actor=actor,
                action="payment.intent_created",
                entity_type="payment",
                entity_id=payment.id,
                order_id=payment.order_id,
                after={
                    "payment_intent_id": intent["id"],
                    "amount_minor": payment.amount_minor,
                    "currency": payment.currency,
                },
            )
        current = Payment.from_document(stored or await self._reload(payment.id))
        if current.status is PaymentStatus.CANCELED:
            await self._cancel_orphan(current, actor)
            raise PaymentCanceled()
        return current

    async def _commit(self, payment: Payment, actor: Actor) -> None:
        """Takes the payment's commitment on its order, or fails the payment (never sent to
        Stripe) when the order's total is already held by others."""
        order = await self._order(payment.order_id)
        if await self._orders.take_commitment(
            order.id, payment.id, payment.amount_minor, order.total_minor, force=False
        ):
            return
        await self._sync.write(
            payment, lambda current: plan_refused_here(current, OVER_TOTAL), actor
        )
        fresh = await self._order(payment.order_id)
        raise AmountExceedsOutstanding(fresh.uncommitted_minor, fresh.currency)

    async def _mark_sent(self, payment: Payment) -> Payment:
        """The payment marked as sent to Stripe, written before its create is sent: from here on
        an intent may exist for it. Refused when it was closed here meanwhile (a cancel, or the
        repair job settling a request it took for dead): then nothing may be sent for it."""
        if payment.sent_to_stripe:
            return payment
        marked = await self._payments.mark_sent(payment.id)
        if marked is not None:
            return Payment.from_document(marked)
        current = Payment.from_document(await self._reload(payment.id))
        if current.status is PaymentStatus.CANCELED:
            raise PaymentCanceled()
        if current.failure is not None and current.status is PaymentStatus.FAILED:
            raise InvalidPaymentRequest("amount", current.failure.message, current.failure.code)
        raise PaymentBusy()

    async def open_for(
        self,
        payment_id: str,
        order_id: str,
        amount_minor: int,
        *,
        created_by: str,
        receipt_email: str | None = None,
    ) -> Payment:
        """For a record that starts payments of its own (a payment link): the payment under an
        id the caller chose and kept before it exists, so a retry after a crash makes this very
        one; its intent comes from `ensure_intent`. Like `create`, the order's open payment
        answers instead when another holds the order with the same amount (the caller compares
        ids), and OpenPaymentExists when with another."""
        order = await self._order(order_id)
        data = CreateIntentRequest(order_id=order.id, receipt_email=receipt_email)
        # Only its subject is read (as `created_by`): the caller is no signed-in principal.
        creator = Principal(created_by, frozenset(), frozenset(), frozenset())
        return await self._open_payment(payment_id, order, amount_minor, data, creator)

    async def close_intentless(self, payment: Payment, actor: Actor) -> Payment:
        """Settles a payment with no intent on record, canceled here or whose request died.

        One never sent to Stripe is closed here, with no call to Stripe: no intent exists for
        it, and the mark every create needs can no longer be written. One that may have been
        sent (its request may have died after Stripe made the intent) is closed only on
        Stripe's answer for its key: the same idempotency key and parameters bring that intent
        back (or make it; Stripe keeps a key 24 hours), and it is canceled at Stripe, so nothing
        can be paid through it; Stripe's refusal to make it means there never was one. A failed
        call leaves the payment as it was, open to the repair job."""
        if payment.intent_closed or payment.payment_intent_id is not None:
            return payment
        if never_sent(payment):
            return await self._sync.write(
                payment, lambda current: plan_cancel_without_intent(current, "abandoned"), actor
            )
        try:
            intent = await self._stripe.create_payment_intent(
                intent_create_params(payment), idempotency_key=payment.id
            )
        except StripeRejected as exc:
            failure = Failure(code=exc.stripe_code or exc.code, message=exc.stripe_message)
            if payment.status is PaymentStatus.CANCELED:
                return await self._sync.write(
                    payment, lambda _: PlannedUpdate(fields={"intent_closed": True}), actor
                )
            return await self._sync.write(
                payment, lambda current: plan_rejected_intent(current, failure), actor
            )
        # A replayed create answers the intent as it was made: its status may be old news.
        if intent.get("status") not in ("succeeded", "canceled"):
            try:
                intent = await self._stripe.cancel_payment_intent(
                    intent["id"],
                    idempotency_key=cancel_idempotency_key(payment),
                    reason="abandoned",
                )
            except StripeRejected:
                # It moved on at Stripe (paid, or canceled already): take Stripe's word for it.
                intent = await self._stripe.retrieve_payment_intent(intent["id"])
        return await self._sync.apply(payment, intent, actor)

    async def _order(self, order_id: str) -> Order:
        document = await self._orders.get(order_id) if ORDER_ID.match(order_id) else None
        if document is None:
            raise OrderNotFound()
        return Order.from_document(document)

    async def _open_payment(
        self,
        payment_id: str,
        order: Order,
        amount_minor: int,
        data: CreateIntentRequest,
        principal: Principal,
    ) -> Payment:
        now = datetime.now(UTC)
        document: dict[str, Any] = {
            "_id": payment_id,
            "order_id": order.id,
            "order_number": order.number,
            "customer_id": order.customer_id,
            "amount_minor": amount_minor,
            "currency": order.currency,
            "description": data.description,
            "receipt_email": data.receipt_email,
            "status": PaymentStatus.PENDING.value,
            "open_order_key": order.id,
            "payment_intent_id": None,
            "client_secret": None,
            "capture_method": data.capture.value,
            "amount_refunded_minor": 0,
            "refund_reserved_minor": 0,
            "refund_ledger": {},
            "disputes": {},
            "history": [],
            "intent_closed": False,
            "sent_to_stripe": False,
            "check_after": now + self._intentless_grace,
            "version": 0,
            "created_by": principal.subject,
            "created_at": now,
            "updated_at": now,
        }
        for _ in range(MAX_OPEN_ATTEMPTS):
            try:
                await self._payments.insert(document)
            except DuplicateKeyError:
                same = await self._payments.get(payment_id)
                if same is not None:  # a concurrent retry with the same Idempotency-Key
                    return Payment.from_document(same)
                open_document = await self._payments.get_open_for_order(order.id)
                if open_document is None:
                    continue  # it closed meanwhile; try again
                open_payment = Payment.from_document(open_document)
                same_capture = open_payment.capture_method is data.capture
                if open_payment.amount_minor == amount_minor and same_capture:
                    return open_payment
                raise OpenPaymentExists(
                    open_payment.id, open_payment.amount_minor, open_payment.currency
                ) from None
            return Payment.from_document(document)
        raise PaymentBusy()

    async def _cancel_orphan(self, payment: Payment, actor: Actor) -> None:
        """The payment was canceled while its intent was being made: nobody may pay that. Until
        Stripe confirms the cancel, the payment keeps its commitment and the repair job retries."""
        assert payment.payment_intent_id is not None  # noqa: S101 - just stored
        try:
            intent = await self._stripe.cancel_payment_intent(
                payment.payment_intent_id, idempotency_key=cancel_idempotency_key(payment)
            )
        except StripeRejected:
            # It moved on at Stripe (paid, or canceled already): take Stripe's word for it.
            intent = await self._stripe.retrieve_payment_intent(payment.payment_intent_id)
        except StripeFailure as exc:
            logger.warning(
                "intent of a canceled payment not canceled at Stripe",
                extra={"payment_id": payment.id, "error": exc.code},
            )
            return
        await self._sync.apply(payment, intent, actor)

    async def _reload(self, payment_id: str) -> dict[str, Any]:
        document = await self._payments.get(payment_id)
        assert document is not None  # noqa: S101 - payments are never deleted
        return document


def _requested_amount(data: CreateIntentRequest, order: Order) -> int | None:
    """The amount asked for, in minor units, checked against the order; None for the default."""
    if data.currency is not None and data.currency != order.currency:
        raise InvalidPaymentRequest(
            "currency",
            f"The order is in {order.currency.upper()}; its payments must be too.",
            "currency_mismatch",
        )
    if data.customer_id is not None and data.customer_id != order.customer_id:
        raise InvalidPaymentRequest(
            "customer_id", "This is not the order's customer.", "customer_mismatch"
        )
    if data.amount is None:
        return None
    try:
        amount_minor = to_minor(data.amount, order.currency)
    except MoneyError as exc:
        raise InvalidPaymentRequest("amount", str(exc), exc.type) from None
    if amount_minor > order.outstanding_minor:
        raise AmountExceedsOutstanding(order.outstanding_minor, order.currency)
    return amount_minor


def _rejection(exc: StripeRejected) -> AppError:
    """Stripe refusing an amount or currency (e.g. below its minimum) is the caller's input."""
    if exc.param in ("amount", "currency"):
        return InvalidPaymentRequest(exc.param, exc.stripe_message, exc.stripe_code or exc.code)
    return exc
