"""The needs-attention list and the entries other parts record into it.

One page spans the sources in a fixed order (rejected events and open disputes, then flagged
payments, then refunds long pending at Stripe, each newest first; then authorizations about to
expire, soonest first), so pages never overlap.
"""

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from app.attention.repository import AttentionRepository
from app.attention.schemas import AttentionItem, AttentionKind
from app.core.pagination import PageRequest
from app.payments.models import Dispute, Payment
from app.payments.received import AMOUNT_CHANGED_AT_STRIPE
from app.payments.transitions import SUCCEEDED_AFTER_CANCEL

Document = dict[str, Any]
# A refund Stripe has not settled within a day is stuck, not slow.
REFUND_PENDING_LIMIT = timedelta(days=1)
# An authorization Stripe cancels within this long must be captured or released now.
AUTHORIZATION_EXPIRY_WARNING = timedelta(hours=24)


@dataclass(frozen=True)
class RejectedEvent:
    event_id: str
    event_type: str
    object_id: str | None
    reason: str
    message: str
    payment_id: str | None
    order_id: str | None


@dataclass(frozen=True)
class _Source:
    count: Callable[[], Awaitable[int]]
    fetch: Callable[[int, int], Awaitable[list[AttentionItem]]]


class AttentionService:
    def __init__(
        self,
        repository: AttentionRepository,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self._repository = repository
        self._clock = clock

    async def record_rejected_event(self, event: RejectedEvent) -> None:
        await self._repository.record_rejected_event(
            {
                "_id": f"event:{event.event_id}",
                "kind": AttentionKind.EVENT_REJECTED.value,
                "open": True,
                "at": self._clock(),
                "reason": event.reason,
                "summary": f"{event.event_type} not applied: {event.message}",
                "event_id": event.event_id,
                "event_type": event.event_type,
                "object_id": event.object_id,
                "payment_id": event.payment_id,
                "order_id": event.order_id,
            }
        )

    async def record_disputes(self, payment: Payment) -> None:
        for dispute in payment.disputes.values():
            await self._repository.record_dispute(_dispute_document(payment, dispute))

    async def page(self, page: PageRequest) -> tuple[list[AttentionItem], int]:
        cutoff = self._clock() - REFUND_PENDING_LIMIT
        expiring = self._clock() + AUTHORIZATION_EXPIRY_WARNING
        sources = [
            _Source(self._repository.count_open_items, self._open_items),
            _Source(self._repository.count_flagged_payments, self._flagged_payments),
            _Source(
                lambda: self._repository.count_refunds_pending_since(cutoff),
                lambda offset, limit: self._pending_refunds(cutoff, offset, limit),
            ),
            _Source(
                lambda: self._repository.count_authorizations_expiring_before(expiring),
                lambda offset, limit: self._expiring_authorizations(expiring, offset, limit),
            ),
        ]
        items: list[AttentionItem] = []
        total = 0
        offset, wanted = page.offset, page.page_size
        for source in sources:
            count = await source.count()
            total += count
            if wanted > 0 and offset < count:
                found = await source.fetch(offset, wanted)
                items.extend(found)
                wanted -= len(found)
            offset = max(offset - count, 0)
        return items, total

    async def _open_items(self, offset: int, limit: int) -> list[AttentionItem]:
        return [_item(d) for d in await self._repository.open_items(offset, limit)]

    async def _flagged_payments(self, offset: int, limit: int) -> list[AttentionItem]:
        documents = await self._repository.flagged_payments(offset, limit)
        return [_flagged(Payment.from_document(d), d) for d in documents]

    async def _pending_refunds(
        self, cutoff: datetime, offset: int, limit: int
    ) -> list[AttentionItem]:
        documents = await self._repository.refunds_pending_since(cutoff, offset, limit)
        return [_pending_refund(d) for d in documents]

    async def _expiring_authorizations(
        self, cutoff: datetime, offset: int, limit: int
    ) -> list[AttentionItem]:
        documents = await self._repository.authorizations_expiring_before(cutoff, offset, limit)
        return [_expiring(Payment.from_document(d)) for d in documents]


def _expiring(payment: Payment) -> AttentionItem:
    expires_at = payment.authorization_expires_at or payment.updated_at
    return AttentionItem.with_amount(
        payment.authorized_minor,
        payment.currency,
        id=f"authorization:{payment.id}",
        kind=AttentionKind.AUTHORIZATION_EXPIRING,
        at=expires_at,
        summary=f"Authorization expires at {expires_at.isoformat(timespec='minutes')}: "
        "capture or release it",
        order_id=payment.order_id,
        payment_id=payment.id,
    )


def _item(document: Mapping[str, Any]) -> AttentionItem:
    return AttentionItem.with_amount(
        document.get("amount_minor"),
        document.get("currency"),
        id=document["_id"],
        kind=AttentionKind(document["kind"]),
        at=document["at"],
        summary=document["summary"],
        reason=document.get("reason"),
        order_id=document.get("order_id"),
        payment_id=document.get("payment_id"),
        dispute_id=document.get("dispute_id"),
        event_id=document.get("event_id"),
        event_type=document.get("event_type"),
    )


def _flagged(payment: Payment, document: Mapping[str, Any]) -> AttentionItem:
    reasons = {t.reason for t in payment.history}
    if AMOUNT_CHANGED_AT_STRIPE in reasons:
        kind = AttentionKind.AMOUNT_CHANGED_AT_STRIPE
        requested = document.get("amount_requested_minor")
        summary = (
            f"Stripe took {payment.amount_minor} (minor units) on a payment asked for "
            f"{requested}: the intent was changed at Stripe"
        )
    else:
        kind = AttentionKind.SUCCEEDED_AFTER_CANCEL
        summary = "Stripe took money on a payment canceled here; it now counts as paid"
    at = max((t.at for t in payment.history if t.reason in (SUCCEEDED_AFTER_CANCEL,
             AMOUNT_CHANGED_AT_STRIPE)), default=payment.updated_at)  # fmt: skip
    return AttentionItem.with_amount(
        payment.amount_minor,
        payment.currency,
        id=f"payment:{payment.id}",
        kind=kind,
        at=at,
        summary=summary,
        reason=kind.value,
        order_id=payment.order_id,
        payment_id=payment.id,
    )


def _pending_refund(document: Mapping[str, Any]) -> AttentionItem:
    return AttentionItem.with_amount(
        document.get("amount_minor"),
        document.get("currency"),
        id=f"refund:{document['_id']}",
        kind=AttentionKind.REFUND_PENDING_AT_STRIPE,
        at=document["created_at"],
        summary="Refund still pending at Stripe after more than a day",
        order_id=document.get("order_id"),
        payment_id=document.get("payment_id"),
        refund_id=document["_id"],
    )


def _dispute_document(payment: Payment, dispute: Dispute) -> Document:
    return {
        "_id": f"dispute:{dispute.id}",
        "kind": AttentionKind.DISPUTE_OPEN.value,
        "open": dispute.open,
        "at": dispute.updated_at,
        "reason": dispute.reason,
        "summary": f"Dispute {dispute.status}" + (f" ({dispute.reason})" if dispute.reason else ""),
        "dispute_id": dispute.id,
        "payment_id": payment.id,
        "order_id": payment.order_id,
        "amount_minor": dispute.amount_minor,
        "currency": payment.currency,
    }
