"""Records a dispute (chargeback) on its payment; an open or lost one marks the order disputed.

A closed dispute (won, lost, ...) is final: a late `created` snapshot cannot reopen it.
"""

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from app.audit.schemas import Actor
from app.audit.service import AuditLog
from app.payments.errors import PaymentBusy
from app.payments.models import Dispute, Payment
from app.payments.order_totals import OrderTotals
from app.payments.repository import PaymentRepository

MAX_WRITE_ATTEMPTS = 50


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
        for _ in range(MAX_WRITE_ATTEMPTS):
            known = payment.disputes.get(incoming.id)
            if known is not None and (not known.open or known.status == incoming.status):
                return payment
            document = await self._repository.compare_and_set(
                payment.id,
                payment.version,
                {
                    "$set": {
                        f"disputes.{incoming.id}": incoming.model_dump(),
                        "updated_at": incoming.updated_at,
                    }
                },
            )
            if document is not None:
                updated = Payment.from_document(document)
                await self._audit.record(
                    actor=actor,
                    action="payment.dispute_updated",
                    entity_type="payment",
                    entity_id=payment.id,
                    order_id=payment.order_id,
                    before={"dispute": known.model_dump(mode="json")} if known else None,
                    after={"dispute": incoming.model_dump(mode="json")},
                )
                await self._totals.recompute(payment.order_id, actor)
                return updated
            fresh = await self._repository.get(payment.id)
            if fresh is None:  # pragma: no cover - payments are never deleted
                return payment
            payment = Payment.from_document(fresh)
        raise PaymentBusy()
