"""Applies a Stripe refund to our records: the one path our refund requests and webhooks share.

First the amount moves on the payment's ledger (see `ledger.py`), then the refund record takes
the status that matches where its amount now sits. The ledger moves only forward and the
record is re-derived from it, so repeated, late or racing applications settle the same way.
"""

import hashlib
import logging
import re
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from app.audit.schemas import Actor
from app.audit.service import AuditLog
from app.core.compare_and_set import Keep, Write, compare_and_set
from app.core.metrics import REFUNDED_MINOR, REFUNDS
from app.infra.stripe_errors import StripeRejected
from app.infra.stripe_gateway import StripeGateway
from app.payments.errors import PaymentBusy
from app.payments.intent_checks import ObjectRejected, Rejection, check_notice, check_refund
from app.payments.intent_sync import IntentSync
from app.payments.models import LedgerEntry, LedgerState, Payment
from app.payments.order_totals import OrderTotals
from app.payments.repository import PaymentRepository
from app.payments.stripe_params import INTENT_EXPAND
from app.refund_records.models import Refund, RefundFailure, RefundStatus
from app.refund_records.repository import RefundRepository
from app.refunds.ledger import RefundLedger, Word
from app.refunds.lookup import find_at_stripe
from app.refunds.records import foreign_document, orphan_document
from app.refunds.stripe_params import LEDGER_STATE, status_for_state

logger = logging.getLogger(__name__)
REFUND_ID = re.compile(r"^ref_[0-9a-f]{32}$")
MAX_WRITE_ATTEMPTS = 50
Fields = dict[str, Any]
_ACTIONS = {
    RefundStatus.SUCCEEDED: "refund.settled",
    RefundStatus.FAILED: "refund.failed",
    RefundStatus.CANCELED: "refund.canceled",
    RefundStatus.PENDING: "refund.pending",
}


def foreign_refund_id(stripe_refund_id: str) -> str:
    """Our id for a refund made in Stripe itself: derived, so it is recorded only once."""
    return f"ref_{hashlib.sha256(stripe_refund_id.encode()).hexdigest()[:32]}"


class RefundSync:
    def __init__(
        self,
        refunds: RefundRepository,
        payments: PaymentRepository,
        ledger: RefundLedger,
        totals: OrderTotals,
        audit: AuditLog,
        stripe: StripeGateway,
        intents: IntentSync,
    ) -> None:
        self._refunds = refunds
        self._payments = payments
        self._ledger = ledger
        self._totals = totals
        self._intents = intents
        self._audit = audit
        self._stripe = stripe

    async def sync_stripe_refund(
        self, stripe_refund: Mapping[str, Any], actor: Actor
    ) -> Refund | None:
        """A webhook's refund is only a notice: the refund is fetched from Stripe and what
        Stripe says now is applied, so a late or reordered event cannot move it backwards.
        `ObjectRejected` when the notice claims what Stripe's refund does not say."""
        notice = stripe_refund
        refund = await self._find(notice)
        if refund is None and not await self._ours(notice):
            return None
        stripe_id = notice.get("id")
        if isinstance(stripe_id, str):
            try:
                stripe_refund = await self._stripe.retrieve_refund(stripe_id)
            except StripeRejected as exc:
                if exc.resource_missing:  # Stripe has no such refund: nothing to apply
                    return None
                raise
            differs = check_notice(notice, stripe_refund)
            if differs is not None:
                raise ObjectRejected(await self._about(differs, notice, refund))
        return await self._sync_fresh(stripe_refund, actor, refund)

    async def sync_charge_refunds(self, charge: Mapping[str, Any], actor: Actor) -> None:
        charge_id = charge.get("id")
        if not isinstance(charge_id, str):
            return
        for stripe_refund in await self._stripe.list_refunds(charge=charge_id):
            await self.sync_found(stripe_refund, actor)

    async def sync_found(self, stripe_refund: Mapping[str, Any], actor: Actor) -> Refund | None:
        """A refund just read from Stripe (by its key's answer, by id, or listed)."""
        return await self._sync_fresh(stripe_refund, actor, await self._find(stripe_refund))

    async def _sync_fresh(
        self, stripe_refund: Mapping[str, Any], actor: Actor, refund: Refund | None
    ) -> Refund | None:
        refund = refund or await self._record_missing(stripe_refund, actor)
        if refund is None:
            return None
        return await self.apply(refund, stripe_refund, actor)

    async def apply(self, refund: Refund, stripe_refund: Mapping[str, Any], actor: Actor) -> Refund:
        """Stripe's refund object, as Stripe sent it for this refund's key or listed it."""
        stripe_status = stripe_refund.get("status")
        target = LEDGER_STATE.get(stripe_status) if isinstance(stripe_status, str) else None
        if target is not None:
            await self._ledger.move(
                refund.payment_id, refund.id, refund.amount_minor, target, Word.STRIPE_OBJECT
            )
        reason = stripe_refund.get("failure_reason")
        failure = (
            RefundFailure(
                code=reason, message=f"Stripe reports the refund {stripe_status}: {reason}."
            )
            if isinstance(reason, str)
            else None
        )
        # The order before the record: while the record is still `pending`, the reconciler
        # comes back to it, so a crash between these writes heals. Recomputed whether or not
        # this move changed anything: a crash after an earlier move may have left it behind.
        await self._totals.recompute(refund.order_id, actor)
        return await self.project(
            refund.id,
            actor,
            stripe_refund_id=stripe_refund.get("id"),
            stripe_status=stripe_status if isinstance(stripe_status, str) else None,
            failure=failure,
        )

    async def refresh(self, refund: Refund, payment_intent_id: str | None, actor: Actor) -> Refund:
        """Re-reads the refund from Stripe (by Stripe id, else by metadata) and applies it; only
        levels the record with its ledger entry when Stripe has no such refund."""
        stripe_refund = await find_at_stripe(
            self._stripe, refund.id, refund.stripe_refund_id, payment_intent_id
        )
        if stripe_refund is not None:
            return await self.apply(refund, stripe_refund, actor)
        await self._totals.recompute(refund.order_id, actor)
        return await self.project(refund.id, actor)

    async def recompute_order(self, order_id: str, actor: Actor) -> None:
        await self._totals.recompute(order_id, actor)

    async def fail(
        self,
        refund: Refund,
        failure: RefundFailure,
        actor: Actor,
        word: Word,
        *,
        expected_payment_version: int | None = None,
    ) -> Refund | None:
        """Releases the reservation of a refund Stripe refused or does not have (never one
        Stripe settled); None if the payment moved on (only with `expected_payment_version`)."""
        _, moved = await self._ledger.move(
            refund.payment_id,
            refund.id,
            refund.amount_minor,
            LedgerState.RELEASED,
            word,
            expected_version=expected_payment_version,
        )
        if not moved and expected_payment_version is not None:
            return None
        await self._totals.recompute(refund.order_id, actor)
        return await self.project(refund.id, actor, failure=failure)

    async def project(
        self,
        refund_id: str,
        actor: Actor,
        *,
        stripe_refund_id: Any = None,
        stripe_status: str | None = None,
        failure: RefundFailure | None = None,
    ) -> Refund:
        """Gives the refund record the status its ledger entry says (read after the record, so
        a slower writer's compare-and-set fails rather than writing an older status)."""

        async def load() -> tuple[Refund, LedgerEntry | None]:
            refund = await self._load(refund_id)
            payment = await self._payments.get(refund.payment_id)
            ledger = Payment.from_document(payment).refund_ledger if payment else {}
            return refund, ledger.get(refund_id)

        def plan(state: tuple[Refund, LedgerEntry | None]) -> Keep[Refund] | Write[Fields]:
            refund, entry = state
            status = status_for_state(entry.state, stripe_status) if entry else refund.status
            fields: Fields = {}
            if status is not refund.status:
                fields["status"] = status.value
                fields["stripe_status"] = stripe_status
                settled = status in (RefundStatus.FAILED, RefundStatus.CANCELED)
                if not settled:
                    fields["failure"] = None
                elif failure is not None:
                    fields["failure"] = failure.model_dump()
            if refund.stripe_refund_id is None and isinstance(stripe_refund_id, str):
                fields["stripe_refund_id"] = stripe_refund_id
                fields["stripe_status"] = stripe_status
                fields["stripe_problem"] = None
            if not fields:
                return Keep(refund)
            fields["updated_at"] = datetime.now(UTC)
            return Write(fields)

        async def write(state: tuple[Refund, LedgerEntry | None], fields: Fields) -> Refund | None:
            refund = state[0]
            document = await self._refunds.compare_and_set(
                refund.id, refund.version, {"$set": fields}
            )
            if document is None:
                return None
            updated = Refund.from_document(document)
            if updated.status is not refund.status:
                await self._record_status_change(refund, updated, actor)
            return updated

        return await compare_and_set(
            load=load, plan=plan, write=write, busy=PaymentBusy, attempts=MAX_WRITE_ATTEMPTS
        )

    async def _record_status_change(self, before: Refund, after: Refund, actor: Actor) -> None:
        if after.status is not RefundStatus.PENDING:
            REFUNDS.labels(after.status.value).inc()
        if after.status is RefundStatus.SUCCEEDED:
            REFUNDED_MINOR.labels(after.currency).inc(after.amount_minor)
        await self._audit.record(
            actor=actor,
            action=_ACTIONS[after.status],
            entity_type="refund",
            entity_id=after.id,
            order_id=after.order_id,
            before={"status": before.status.value},
            after={
                "status": after.status.value,
                "amount_minor": after.amount_minor,
                "stripe_refund_id": after.stripe_refund_id,
                "failure": after.failure.model_dump() if after.failure else None,
            },
        )

    async def _find(self, stripe_refund: Mapping[str, Any]) -> Refund | None:
        stripe_id = stripe_refund.get("id")
        if not isinstance(stripe_id, str):
            return None
        document = await self._refunds.get_by_stripe_id(stripe_id)
        if document is None:
            metadata = stripe_refund.get("metadata") or {}
            refund_id = metadata.get("refund_id") if isinstance(metadata, Mapping) else None
            if isinstance(refund_id, str) and REFUND_ID.match(refund_id):
                document = await self._refunds.get(refund_id)
        if document is None:
            return None
        refund = Refund.from_document(document)
        if refund.stripe_refund_id not in (None, stripe_id):
            logger.warning(
                "stripe refund names a refund of ours that has another stripe id",
                extra={"refund_id": refund.id, "stripe_refund_id": stripe_id},
            )
            return None
        return refund

    async def _ours(self, stripe_refund: Mapping[str, Any]) -> bool:
        """A refund on one of our payments (so worth asking Stripe about)."""
        intent_id = stripe_refund.get("payment_intent")
        return (
            isinstance(intent_id, str) and await self._payments.get_by_intent(intent_id) is not None
        )

    async def _record_missing(
        self, stripe_refund: Mapping[str, Any], actor: Actor
    ) -> Refund | None:
        """A Stripe refund on a payment of ours that we hold no record of: our own, if its
        `metadata.refund_id` names a reservation on the payment (a crash came between
        reserving and writing the record), else one made in the Stripe Dashboard."""
        stripe_id, intent_id = stripe_refund.get("id"), stripe_refund.get("payment_intent")
        if not isinstance(stripe_id, str) or not isinstance(intent_id, str):
            return None
        payment_document = await self._payments.get_by_intent(intent_id)
        if payment_document is None:
            return None
        payment = Payment.from_document(payment_document)
        metadata = stripe_refund.get("metadata") or {}
        refund_id = metadata.get("refund_id") if isinstance(metadata, Mapping) else None
        entry = payment.refund_ledger.get(refund_id) if isinstance(refund_id, str) else None
        if isinstance(refund_id, str) and entry is not None:
            document = orphan_document(refund_id, payment, entry, stripe_refund)
        else:
            payment = await self._caught_up(payment, actor)
            rejection = check_refund(payment, stripe_refund)
            if rejection is not None:
                raise ObjectRejected(rejection)
            document = foreign_document(foreign_refund_id(stripe_id), payment, stripe_refund)
        if await self._refunds.insert(document):
            await self._audit.record(
                actor=actor,
                action="refund.recorded",
                entity_type="refund",
                entity_id=document["_id"],
                order_id=payment.order_id,
                after={
                    "amount_minor": document["amount_minor"],
                    "stripe_refund_id": stripe_id,
                    "requested_by": document["requested_by"],
                },
            )
        return await self._load(document["_id"])

    async def _caught_up(self, payment: Payment, actor: Actor) -> Payment:
        """Stripe holds a refund of a payment not paid here: the intent's own news (a lost or
        late webhook) has not reached us yet. Stripe is asked for the intent first, so the
        refund is checked against the payment as Stripe has it."""
        if payment.captured_minor > 0 or payment.payment_intent_id is None:
            return payment
        intent = await self._stripe.retrieve_payment_intent(
            payment.payment_intent_id, expand=INTENT_EXPAND
        )
        return await self._intents.apply(payment, intent, actor)

    async def _about(
        self, rejection: Rejection, notice: Mapping[str, Any], refund: Refund | None
    ) -> Rejection:
        """The rejection, naming the payment and order the refund is of."""
        if refund is not None:
            return Rejection(
                rejection.reason, rejection.message, refund.payment_id, refund.order_id
            )
        intent_id = notice.get("payment_intent")
        document = (
            await self._payments.get_by_intent(intent_id) if isinstance(intent_id, str) else None
        )
        if document is None:
            return rejection
        return Rejection(rejection.reason, rejection.message, document["_id"], document["order_id"])

    async def _load(self, refund_id: str) -> Refund:
        document = await self._refunds.get(refund_id)
        if document is None:  # pragma: no cover - refunds are never deleted
            raise LookupError(refund_id)
        return Refund.from_document(document)
