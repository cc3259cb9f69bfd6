"""An order's payment totals, status and commitments, reconciled from its payments.

Called after every observation of a payment, whether or not it changed anything, and by the
repair job for every order in turn (I3), so a crash between two writes heals on the next look.

Commitments (I1, see the orders repository): a payment takes its commitment before its intent is
created. Here the commitment of a payment Stripe has closed (its intent canceled at Stripe, or
never created because Stripe refused) is given back, and a completed payment that holds none
(Stripe took money on a payment canceled here, I5) takes one whatever the total says, so the
over-charge shows instead of hiding. A payment that took less than it committed (a partial
capture: Stripe released the rest) keeps only what it took.

Recomputing (rather than adding and subtracting) makes replays harmless. The write is a
compare-and-set on the order's `version`, read *before* the payments: whoever writes last has
seen every payment change that finished before its read, so the order never keeps a stale total.

- `amount_paid`: what completed payments took (a partial capture counts what it captured), less
  what lost disputes took back (I6).
- `amount_authorized`: held on cards by authorized (manual-capture) payments, not captured yet.
- `amount_refunded`: the sum of refunds Stripe has settled (reserved refunds are not counted).
- `outstanding` (derived, see `Order`): `total - amount_paid`; refunds give money back but do
  not reopen the balance.
- `payment_status`: `disputed` while a dispute is open or was lost; otherwise `refunded` /
  `partially_refunded` once anything is refunded; `paid` / `partially_paid` by what was paid;
  `authorized` when nothing is paid yet but a card is authorized; `processing` when nothing is
  paid yet but a payment awaits 3D Secure or is processing;
  `unpaid` otherwise.
"""

import logging
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from app.audit.schemas import Actor
from app.audit.service import AuditLog
from app.core.compare_and_set import Keep, Write, compare_and_set
from app.orders.repository import OrderRepository
from app.orders.schemas import Order
from app.orders.schemas import PaymentStatus as OrderPaymentStatus
from app.payments.models import Payment, PaymentStatus
from app.payments.repository import PaymentRepository

logger = logging.getLogger(__name__)
Document = dict[str, Any]
Totals = dict[str, Any]
# An order as read, with its payments read after it.
Snapshot = tuple[Document | None, list[Payment]]  # the order (None: missing), its payments
TOTAL_FIELDS = (
    "amount_paid_minor",
    "amount_refunded_minor",
    "amount_authorized_minor",
    "payment_status",
)


class OrderTotalsConflict(RuntimeError):
    """The order changed under every attempt to write it; callers surface it as a 5xx."""


def compute_totals(total_minor: int, payments: Iterable[Payment]) -> dict[str, Any]:
    payments = list(payments)
    # A lost dispute took its amount back (I6); a won one is not counted, so it gives it back.
    paid = sum(
        p.captured_minor - p.lost_dispute_minor
        for p in payments
        if p.status is PaymentStatus.COMPLETED
    )
    refunded = sum(p.amount_refunded_minor for p in payments)
    authorized = sum(p.authorized_minor for p in payments)
    disputed = any(d.open or d.lost for p in payments for d in p.disputes.values())
    underway = any(
        p.status in (PaymentStatus.REQUIRES_ACTION, PaymentStatus.PROCESSING) for p in payments
    )
    if disputed:
        status = OrderPaymentStatus.DISPUTED
    elif refunded > 0:
        status = (
            OrderPaymentStatus.REFUNDED
            if refunded >= paid
            else OrderPaymentStatus.PARTIALLY_REFUNDED
        )
    elif paid > 0:
        status = (
            OrderPaymentStatus.PAID if paid >= total_minor else OrderPaymentStatus.PARTIALLY_PAID
        )
    elif authorized > 0:
        status = OrderPaymentStatus.AUTHORIZED
    elif underway:
        status = OrderPaymentStatus.PROCESSING
    else:
        status = OrderPaymentStatus.UNPAID
    return {
        "amount_paid_minor": paid,
        "amount_refunded_minor": refunded,
        "amount_authorized_minor": authorized,
        "payment_status": status.value,
    }


class OrderTotals:
    def __init__(
        self, payments: PaymentRepository, orders: OrderRepository, audit: AuditLog
    ) -> None:
        self._payments = payments
        self._orders = orders
        self._audit = audit

    async def recompute(self, order_id: str, actor: Actor) -> None:
        order = await self._orders.get(order_id)
        if order is None:
            logger.warning("payment for a missing order", extra={"order_id": order_id})
            return
        payments = [Payment.from_document(d) for d in await self._payments.find_for_order(order_id)]
        moved = await self._reconcile_commitments(Order.from_document(order), payments, actor)
        # What was just read serves the totals too, unless a commitment write moved the order on.
        await self._write_totals(order_id, actor, first=None if moved else (order, payments))

    async def _reconcile_commitments(
        self, order: Order, payments: list[Payment], actor: Actor
    ) -> bool:
        """Whether it wrote to the order."""
        moved = False
        for payment in payments:
            held = order.commitments.get(payment.id)
            completed = payment.status is PaymentStatus.COMPLETED
            if held is not None and payment.intent_closed and not completed:
                moved = True
                await self._orders.release_commitment(order.id, payment.id, held)
            elif held is not None and completed and payment.captured_minor < held:
                moved = True
                await self._orders.shrink_commitment(
                    order.id, payment.id, held, payment.captured_minor
                )
            elif held is None and completed:
                moved = True
                await self._orders.take_commitment(
                    order.id, payment.id, payment.captured_minor, order.total_minor, force=True
                )
                await self._audit.record(
                    actor=actor,
                    action="order.commitment_recovered",
                    entity_type="order",
                    entity_id=order.id,
                    order_id=order.id,
                    after={"payment_id": payment.id, "amount_minor": payment.captured_minor},
                )
        return moved

    async def _write_totals(
        self, order_id: str, actor: Actor, first: Snapshot | None = None
    ) -> None:
        async def load() -> Snapshot:
            order = await self._orders.get(order_id)
            if order is None:
                return None, []
            documents = await self._payments.find_for_order(order_id)
            return order, [Payment.from_document(document) for document in documents]

        def plan(snapshot: Snapshot) -> Keep[bool] | Write[tuple[Document, Totals]]:
            order, payments = snapshot
            if order is None:
                return Keep(False)
            totals = compute_totals(order["total_minor"], payments)
            if all(order.get(name) == totals[name] for name in TOTAL_FIELDS):
                return Keep(False)
            return Write((order, totals))

        async def write(_: Snapshot, change: tuple[Document, Totals]) -> bool | None:
            order, totals = change
            changes = {**totals, "updated_at": datetime.now(UTC)}
            if not await self._orders.write_payment_totals(order_id, order["version"], changes):
                return None
            changed = [name for name in TOTAL_FIELDS if order.get(name) != totals[name]]
            await self._audit.record(
                actor=actor,
                action="order.payment_totals_changed",
                entity_type="order",
                entity_id=order_id,
                order_id=order_id,
                before={name: order.get(name) for name in changed},
                after={name: totals[name] for name in changed},
            )
            return True

        await compare_and_set(
            load=load,
            plan=plan,
            write=write,
            busy=lambda: OrderTotalsConflict(f"order {order_id} kept changing; totals not written"),
            first=first,
        )
