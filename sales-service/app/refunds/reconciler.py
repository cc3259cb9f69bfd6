"""Settles refunds left pending: a lost webhook, or a Stripe call that never got an answer.

For each refund still reserved well after it was last sent, ask Stripe: if Stripe has it, apply
it; if Stripe has no such refund, nothing was refunded, so release the reservation. The release
is a compare-and-set on the payment version read *before* asking Stripe, so a retry that sends
the refund again meanwhile (it bumps that version first) wins, and nothing is refunded while
our records say it was given back. Safe to run on several replicas at once.
"""

import logging
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from app.audit.schemas import SYSTEM_ACTOR
from app.core.periodic import PeriodicTask
from app.infra.stripe_errors import StripeFailure
from app.infra.stripe_gateway import StripeGateway
from app.payments.models import LedgerState, Payment
from app.payments.repository import PaymentRepository
from app.refunds.models import Refund, RefundFailure
from app.refunds.repository import RefundRepository
from app.refunds.sync import RefundSync

logger = logging.getLogger(__name__)
STALE_AFTER = timedelta(minutes=10)
INTERVAL_SECONDS = 60.0
BATCH = 100
NOT_AT_STRIPE = RefundFailure(
    code="not_at_stripe",
    message="Stripe has no record of this refund: nothing was refunded, the amount is released.",
)


class RefundReconciler:
    def __init__(
        self,
        refunds: RefundRepository,
        payments: PaymentRepository,
        sync: RefundSync,
        stripe: StripeGateway,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self._refunds = refunds
        self._payments = payments
        self._sync = sync
        self._stripe = stripe
        self._clock = clock

    async def reconcile(self, stale_after: timedelta = STALE_AFTER) -> int:
        """Looks at pending refunds older than `stale_after`; returns how many it settled."""
        cutoff = self._clock() - stale_after
        settled = 0
        for document in await self._refunds.find_pending_before(cutoff, BATCH):
            refund = Refund.from_document(document)
            try:
                if await self._reconcile_one(refund, cutoff):
                    settled += 1
            except StripeFailure as exc:
                logger.warning(
                    "refund reconciliation postponed",
                    extra={"refund_id": refund.id, "error": exc.code},
                )
        return settled

    async def _reconcile_one(self, refund: Refund, cutoff: datetime) -> bool:
        payment_document = await self._payments.get(refund.payment_id)
        if payment_document is None:
            return False
        payment = Payment.from_document(payment_document)
        entry = payment.refund_ledger.get(refund.id)
        if entry is None or entry.state is not LedgerState.RESERVED:
            # The ledger moved but the record was left behind: bring it level.
            updated = await self._sync.project(refund.id, SYSTEM_ACTOR)
            return updated.status != refund.status
        if entry.sent_at is not None and entry.sent_at > cutoff:
            return False
        stripe_refund = await self._find_at_stripe(refund, payment)
        if stripe_refund is not None:
            updated = await self._sync.apply(refund, stripe_refund, SYSTEM_ACTOR)
            return updated.status != refund.status
        failed = await self._sync.fail(
            refund, NOT_AT_STRIPE, SYSTEM_ACTOR, expected_payment_version=payment.version
        )
        return failed is not None

    async def _find_at_stripe(self, refund: Refund, payment: Payment) -> dict[str, object] | None:
        if refund.stripe_refund_id is not None:
            return await self._stripe.retrieve_refund(refund.stripe_refund_id)
        if payment.payment_intent_id is None:
            return None
        for stripe_refund in await self._stripe.list_refunds(
            payment_intent=payment.payment_intent_id
        ):
            metadata = stripe_refund.get("metadata") or {}
            if metadata.get("refund_id") == refund.id:
                return stripe_refund
        return None


def start_background_reconciler(
    build: Callable[[], RefundReconciler], interval_seconds: float = INTERVAL_SECONDS
) -> PeriodicTask:
    """Reconciles every `interval_seconds` for the app's lifetime."""

    async def reconcile_round() -> None:
        settled = await build().reconcile()
        if settled:
            logger.info("refunds reconciled", extra={"settled": settled})

    task = PeriodicTask("refund reconciliation", interval_seconds, reconcile_round)
    task.start()
    return task
