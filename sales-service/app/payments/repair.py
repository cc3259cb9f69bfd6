"""The repair job: settles what no request or webhook will, and heals derived figures (I3, I4).

Each round, on any replica:
- payments due a check (`check_after` passed: not final, or canceled here but not yet at
  Stripe) are compared with Stripe: the intent is fetched and applied (a lost webhook), a
  payment canceled here has its intent canceled at Stripe, and one whose request died before
  an intent was stored is closed: here, with no call to Stripe, if it was never sent there;
  else at Stripe by its own idempotency key. Those still open are looked at again later, less
  and less often;
- a capture asked of Stripe whose answer was lost is sent again under its own key;
- an intent left waiting for the customer (a card to try, a 3D Secure challenge) with no
  activity for `abandon_after` is canceled at Stripe, so an abandoned payment stops holding its
  order (`processing` for ever, or its open slot);
- a page of orders, walked by `_id` with a cursor that wraps around, is reconciled from its
  payments (totals, status, commitments), so a crash between two writes heals with no trigger.
"""

import logging
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from app.audit.schemas import SYSTEM_ACTOR
from app.core.periodic import PeriodicTask
from app.infra.stripe_errors import StripeFailure
from app.infra.stripe_gateway import StripeGateway
from app.orders.repository import OrderRepository
from app.payments.capture import PaymentCapture
from app.payments.intent_checks import ObjectRejected
from app.payments.intent_creation import IntentCreation
from app.payments.intent_sync import IntentSync
from app.payments.models import Payment, PaymentStatus
from app.payments.order_totals import OrderTotals
from app.payments.repository import PaymentRepository
from app.payments.stripe_params import INTENT_EXPAND, cancel_idempotency_key

logger = logging.getLogger(__name__)
INTERVAL_SECONDS = 15.0
PAYMENTS_PER_ROUND = 50
ORDERS_PER_ROUND = 100
LONGEST_WAIT = timedelta(hours=6)
ABANDON_AFTER = timedelta(hours=24)
WAITING_FOR_CUSTOMER = ("requires_payment_method", "requires_confirmation", "requires_action")


def next_check(
    payment: Payment, now: datetime, soonest: timedelta = timedelta(minutes=2)
) -> datetime:
    """Twice the time since its last change, between `soonest` (the check delay after a change,
    two minutes unless set) and six hours."""
    waited = now - payment.updated_at
    return now + min(max(waited * 2, soonest), LONGEST_WAIT)


class PaymentRepair:
    def __init__(
        self,
        payments: PaymentRepository,
        orders: OrderRepository,
        creation: IntentCreation,
        sync: IntentSync,
        totals: OrderTotals,
        capture: PaymentCapture,
        stripe: StripeGateway,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        abandon_after: timedelta = ABANDON_AFTER,
    ) -> None:
        self._abandon_after = abandon_after
        self._payments = payments
        self._orders = orders
        self._creation = creation
        self._sync = sync
        self._totals = totals
        self._capture = capture
        self._stripe = stripe
        self._clock = clock
        self._order_cursor: str | None = None

    async def run_once(self) -> None:
        await self.check_due_payments()
        await self.reconcile_order_page()

    async def check_due_payments(self) -> int:
        """Asks Stripe about each payment due a check; returns how many it looked at."""
        now = self._clock()
        documents = await self._payments.find_due(now, PAYMENTS_PER_ROUND)
        for document in documents:
            payment = Payment.from_document(document)
            try:
                await self._check(payment)
            except StripeFailure as exc:
                logger.warning(
                    "payment check postponed: Stripe unavailable",
                    extra={"payment_id": payment.id, "error": exc.code},
                )
            except ObjectRejected as exc:
                # Stripe's intent is no longer this payment's to apply: nothing moves here, and
                # the webhook or the events sync lists it for a person.
                logger.warning(
                    "payment check: Stripe's intent does not match the payment",
                    extra={"payment_id": payment.id, "reason": exc.rejection.reason.value},
                )
            await self._payments.postpone_check(
                payment.id, payment.version, next_check(payment, now, self._sync.check_delay)
            )
        return len(documents)

    async def reconcile_order_page(self) -> int:
        """Reconciles the next page of orders; the cursor wraps to the start after the last."""
        ids = await self._orders.ids_after(self._order_cursor, ORDERS_PER_ROUND)
        self._order_cursor = ids[-1] if len(ids) == ORDERS_PER_ROUND else None
        for order_id in ids:
            await self._totals.recompute(order_id, SYSTEM_ACTOR)
        return len(ids)

    async def _check(self, payment: Payment) -> None:
        if payment.payment_intent_id is None:
            open_here = payment.status in (PaymentStatus.PENDING, PaymentStatus.CANCELED)
            if open_here and not payment.intent_closed:
                await self._creation.close_intentless(payment, SYSTEM_ACTOR)
            return
        intent = await self._stripe.retrieve_payment_intent(
            payment.payment_intent_id, expand=INTENT_EXPAND
        )
        still_open = intent.get("status") not in ("succeeded", "canceled")
        abandoned = (
            intent.get("status") in WAITING_FOR_CUSTOMER
            and self._clock() - payment.updated_at >= self._abandon_after
        )
        if abandoned:
            logger.info("abandoned intent canceled", extra={"payment_id": payment.id})
        if (payment.status is PaymentStatus.CANCELED and still_open) or abandoned:
            intent = await self._stripe.cancel_payment_intent(
                payment.payment_intent_id,
                idempotency_key=cancel_idempotency_key(payment),
                reason="abandoned",
            )
        if intent.get("status") == "requires_capture" and payment.capture_requested_minor:
            await self._capture.resend(payment, SYSTEM_ACTOR)
            return
        await self._sync.apply(payment, intent, SYSTEM_ACTOR)


def start_payment_repair(
    repair: PaymentRepair, interval_seconds: float = INTERVAL_SECONDS
) -> PeriodicTask:
    task = PeriodicTask("payment-repair", interval_seconds, repair.run_once)
    task.start()
    return task
