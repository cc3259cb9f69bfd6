"""Settles every refund left unsettled: a lost webhook, a Stripe call that never got an answer,
or a crash between any two writes.

Each round walks, with a cursor, (1) every payment holding a reservation (see
`reservations.py`) and (2) every `pending` refund record, so nothing is starved by older
entries. A reservation still unsettled well after it was last sent (`STALE_AFTER`, longer than
any request can be in flight: 3 attempts of 20 s, backoff and two 429 waits are under 4
minutes) is looked up at Stripe by its record's Stripe id or, in the intent's refunds, by
`metadata.refund_id`: if Stripe has it, it is applied (and its record written if a crash never
wrote it); if Stripe has nothing, nothing was refunded, so the reservation is released. The
release is a compare-and-set on the payment version read *before* asking Stripe, so a retry
that sends the refund again meanwhile (it bumps that version first) wins, and nothing is
refunded while our records say it was given back. Safe to run on several replicas at once.
"""

import logging
from collections.abc import Awaitable, Callable, Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

from app.audit.schemas import SYSTEM_ACTOR
from app.core.periodic import PeriodicTask
from app.infra.stripe_errors import StripeFailure
from app.infra.stripe_gateway import StripeGateway
from app.payments.models import LedgerEntry, LedgerState, Payment
from app.payments.order_totals import OrderTotals
from app.payments.repository import PaymentRepository
from app.refund_records.models import Refund, RefundFailure, RefundStatus
from app.refund_records.repository import RefundRepository
from app.refunds.ledger import RefundLedger, Word
from app.refunds.lookup import find_at_stripe
from app.refunds.reservations import ReservationRepository
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
        reservations: ReservationRepository,
        ledger: RefundLedger,
        sync: RefundSync,
        totals: OrderTotals,
        stripe: StripeGateway,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self._refunds = refunds
        self._payments = payments
        self._reservations = reservations
        self._ledger = ledger
        self._sync = sync
        self._totals = totals
        self._stripe = stripe
        self._clock = clock

    async def reconcile(self, stale_after: timedelta = STALE_AFTER) -> int:
        """One full walk; returns how many refunds or reservations it settled."""
        cutoff = self._clock() - stale_after
        settled = 0
        after: str | None = None
        while page := await self._reservations.page(after, BATCH):
            for document in page:
                for refund_id in _reserved(Payment.from_document(document)):
                    settled += await self._guarded(
                        self._settle_reservation, refund_id, document, cutoff
                    )
            after = str(page[-1]["_id"])
        after = None
        while page := await self._refunds.pending_page(after, BATCH):
            for document in page:
                settled += await self._guarded(
                    self._level_record, str(document["_id"]), document, cutoff
                )
            after = str(page[-1]["_id"])
        return settled

    async def _guarded(
        self,
        step: Callable[[str, Mapping[str, Any], datetime], Awaitable[bool]],
        refund_id: str,
        document: Mapping[str, Any],
        cutoff: datetime,
    ) -> int:
        try:
            return 1 if await step(refund_id, document, cutoff) else 0
        except StripeFailure as exc:
            logger.warning(
                "refund reconciliation postponed", extra={"refund_id": refund_id, "error": exc.code}
            )
            return 0

    async def _settle_reservation(
        self, refund_id: str, payment_document: Mapping[str, Any], cutoff: datetime
    ) -> bool:
        fresh = await self._payments.get(str(payment_document["_id"]))
        if fresh is None:
            return False
        payment = Payment.from_document(fresh)  # its version guards the release below
        entry = payment.refund_ledger.get(refund_id)
        if entry is None or entry.state is not LedgerState.RESERVED:
            return False
        if entry.sent_at is not None and entry.sent_at > cutoff:
            return False  # may still be in flight
        record = await self._refunds.get(refund_id)
        refund = Refund.from_document(record) if record is not None else None
        stripe_refund = await find_at_stripe(
            self._stripe,
            refund_id,
            refund.stripe_refund_id if refund is not None else None,
            payment.payment_intent_id,
        )
        if stripe_refund is not None:
            synced = await self._sync.sync_found(stripe_refund, SYSTEM_ACTOR)
            return synced is not None and synced.status is not RefundStatus.PENDING
        if refund is not None:
            failed = await self._sync.fail(
                refund,
                NOT_AT_STRIPE,
                SYSTEM_ACTOR,
                Word.NOT_AT_STRIPE,
                expected_payment_version=payment.version,
            )
            return failed is not None
        return await self._release_orphan(payment, refund_id, entry)

    async def _release_orphan(self, payment: Payment, refund_id: str, entry: LedgerEntry) -> bool:
        """A reservation whose record was never written and that Stripe never saw."""
        _, moved = await self._ledger.move(
            payment.id,
            refund_id,
            entry.amount_minor,
            LedgerState.RELEASED,
            Word.NOT_AT_STRIPE,
            expected_version=payment.version,
        )
        if moved:
            logger.info("released a reservation without a refund", extra={"refund_id": refund_id})
            await self._totals.recompute(payment.order_id, SYSTEM_ACTOR)
        return moved

    async def _level_record(
        self, refund_id: str, document: Mapping[str, Any], cutoff: datetime
    ) -> bool:
        """A pending record whose ledger entry moved on (a crash between the two writes), or a
        Dashboard refund recorded before its ledger entry was written."""
        refund = Refund.from_document(dict(document))
        payment_document = await self._payments.get(refund.payment_id)
        if payment_document is None:
            return False
        payment = Payment.from_document(payment_document)
        entry = payment.refund_ledger.get(refund_id)
        if entry is not None and entry.state is LedgerState.RESERVED:
            return False  # a reservation: the walk over payments settles it
        updated = await self._sync.refresh(refund, payment.payment_intent_id, SYSTEM_ACTOR)
        return updated.status is not refund.status


def _reserved(payment: Payment) -> list[str]:
    return [
        refund_id
        for refund_id, entry in payment.refund_ledger.items()
        if entry.state is LedgerState.RESERVED
    ]


def start_background_reconciler(
    build: Callable[[], RefundReconciler],
    interval_seconds: float = INTERVAL_SECONDS,
    stale_after: timedelta = STALE_AFTER,
) -> PeriodicTask:
    """Reconciles every `interval_seconds` for the app's lifetime."""

    async def reconcile_round() -> None:
        settled = await build().reconcile(stale_after)
        if settled:
            logger.info("refunds reconciled", extra={"settled": settled})

    task = PeriodicTask("refund reconciliation", interval_seconds, reconcile_round)
    task.start()
    return task
