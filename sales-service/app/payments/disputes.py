"""Records a dispute (chargeback) on its payment; an open or lost one marks the order disputed.

A closed dispute (won, lost, ...) is final: a late `created` snapshot cannot reopen it.
"""

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from app.audit.schemas import Actor
from app.audit.service import AuditLog
from app.core.compare_and_set import Keep, Write, compare_and_set
from app.payments.errors import PaymentBusy
from app.payments.loading import load_payment
from app.payments.models import Dispute, Payment
from app.payments.order_totals import OrderTotals
from app.payments.repository import PaymentRepository

Update = dict[str, Any]


class DisputeSync:
    def __init__(self, repository: PaymentRepository, totals: OrderTotals, audit: AuditLog) -> None:
        self._repository = repository
        self._totals = totals
        self._audit = audit

    async def apply(self, payment: Payment, dispute: Mapping[str, Any], actor: Actor) -> Payment:
        incoming = Dispute(
            id=str(dispute["id"]),
            status=str(dispute.get("status") or "needs_response"),
            reason=dispute.get("reason") if isinstance(dispute.get("reason"), str) else None,
            amount_minor=int(dispute.get("amount") or 0),
            updated_at=datetime.now(UTC),
        )
        update: Update = {
            "$set": {
                f"disputes.{incoming.id}": incoming.model_dump(),
                "updated_at": incoming.updated_at,
            }
        }

        def plan(current: Payment) -> Keep[Payment] | Write[Update]:
            known = current.disputes.get(incoming.id)
            if known is not None and (not known.open or known.status == incoming.status):
                return Keep(current)
            return Write(update)

        async def write(current: Payment, change: Update) -> Payment | None:
            document = await self._repository.compare_and_set(current.id, current.version, change)
            if document is None:
                return None
            known = current.disputes.get(incoming.id)
            await self._audit.record(
                actor=actor,
                action="payment.dispute_updated",
                entity_type="payment",
                entity_id=current.id,
                order_id=current.order_id,
                before={"dispute": known.model_dump(mode="json")} if known else None,
                after={"dispute": incoming.model_dump(mode="json")},
            )
            await self._totals.recompute(current.order_id, actor)
            return Payment.from_document(document)

        return await compare_and_set(
            load=lambda: load_payment(self._repository, payment.id),
            plan=plan,
            write=write,
            busy=PaymentBusy,
            first=payment,
        )
