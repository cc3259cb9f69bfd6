"""Where each refund's amount sits on its payment, moved by compare-and-sets on the payment.

The payment document holds `refund_ledger.{refund_id}` = {amount, state} next to the counters
`refund_reserved_minor` and `amount_refunded_minor`, and every move changes an entry and the
counters in one atomic update, so they always agree. Moves only go forward:

    (none) -> reserved -> refunded -> released
                      \\-> released

A reservation checks `amount_refunded + refund_reserved + amount <= amount` against the version
it read, so concurrent refunds can never exceed the payment. Repeating a move is a no-op, which
makes a refund's amount impossible to count twice.
"""

from datetime import UTC, datetime
from typing import Any

from app.payments.errors import PaymentBusy, PaymentNotFound
from app.payments.models import LedgerEntry, LedgerState, Payment, PaymentStatus
from app.payments.repository import PaymentRepository
from app.refunds.errors import PaymentNotRefundable, RefundExceedsRefundable

MAX_WRITE_ATTEMPTS = 100

_FORWARD: dict[LedgerState | None, frozenset[LedgerState]] = {
    None: frozenset(LedgerState),
    LedgerState.RESERVED: frozenset({LedgerState.REFUNDED, LedgerState.RELEASED}),
    LedgerState.REFUNDED: frozenset({LedgerState.RELEASED}),
    LedgerState.RELEASED: frozenset(),
}
_COUNTER = {
    LedgerState.RESERVED: "refund_reserved_minor",
    LedgerState.REFUNDED: "amount_refunded_minor",
}


def counter_changes(
    current: LedgerState | None, target: LedgerState, amount_minor: int
) -> dict[str, int]:
    """The `$inc` that moves `amount_minor` from `current`'s counter to `target`'s."""
    changes: dict[str, int] = {}
    source = _COUNTER.get(current) if current is not None else None
    destination = _COUNTER.get(target)
    if source is not None:
        changes[source] = -amount_minor
    if destination is not None:
        changes[destination] = changes.get(destination, 0) + amount_minor
    return changes


def can_move(current: LedgerState | None, target: LedgerState) -> bool:
    return target in _FORWARD[current]


class RefundLedger:
    def __init__(self, payments: PaymentRepository) -> None:
        self._payments = payments

    async def reserve(self, payment: Payment, refund_id: str, amount_minor: int) -> Payment:
        """Reserves the amount for a new refund, or raises why it cannot be refunded."""
        for _ in range(MAX_WRITE_ATTEMPTS):
            if refund_id in payment.refund_ledger:
                return payment
            if payment.status is not PaymentStatus.COMPLETED:
                raise PaymentNotRefundable(payment.status.value)
            if amount_minor > payment.refundable_minor:
                raise RefundExceedsRefundable(payment.refundable_minor, payment.currency)
            now = datetime.now(UTC)
            entry = LedgerEntry(amount_minor=amount_minor, state=LedgerState.RESERVED, sent_at=now)
            document = await self._payments.compare_and_set(
                payment.id,
                payment.version,
                {
                    "$set": {f"refund_ledger.{refund_id}": entry.model_dump(), "updated_at": now},
                    "$inc": {"refund_reserved_minor": amount_minor},
                },
            )
            if document is not None:
                return Payment.from_document(document)
            payment = await self._reload(payment.id)
        raise PaymentBusy()

    async def mark_sent(self, payment_id: str, refund_id: str) -> bool:
        """Claims the right to send a reserved refund to Stripe again (a retry).

        False when it is no longer reserved. Bumping the payment's version makes a concurrent
        reconciliation, which read the payment before asking Stripe, give up its release.
        """
        for _ in range(MAX_WRITE_ATTEMPTS):
            payment = await self._reload(payment_id)
            entry = payment.refund_ledger.get(refund_id)
            if entry is None or entry.state is not LedgerState.RESERVED:
                return False
            now = datetime.now(UTC)
            document = await self._payments.compare_and_set(
                payment.id,
                payment.version,
                {"$set": {f"refund_ledger.{refund_id}.sent_at": now, "updated_at": now}},
            )
            if document is not None:
                return True
        raise PaymentBusy()

    async def move(
        self,
        payment_id: str,
        refund_id: str,
        amount_minor: int,
        target: LedgerState,
        *,
        expected_version: int | None = None,
    ) -> tuple[Payment, bool]:
        """Moves the refund's amount to `target` if that is forward; (payment, moved).

        With `expected_version`, moves only if the payment is still at that version (one try).
        """
        for _ in range(MAX_WRITE_ATTEMPTS):
            payment = await self._reload(payment_id)
            if expected_version is not None and payment.version != expected_version:
                return payment, False
            entry = payment.refund_ledger.get(refund_id)
            current = entry.state if entry is not None else None
            if not can_move(current, target):
                return payment, False
            amount = entry.amount_minor if entry is not None else amount_minor
            now = datetime.now(UTC)
            fields: dict[str, Any] = {"updated_at": now}
            if entry is None:
                fields[f"refund_ledger.{refund_id}"] = LedgerEntry(
                    amount_minor=amount, state=target
                ).model_dump()
            else:
                fields[f"refund_ledger.{refund_id}.state"] = target.value
            update: dict[str, Any] = {"$set": fields}
            changes = counter_changes(current, target, amount)
            if changes:
                update["$inc"] = changes
            document = await self._payments.compare_and_set(payment.id, payment.version, update)
            if document is not None:
                return Payment.from_document(document), True
            if expected_version is not None:
                return payment, False
        raise PaymentBusy()

    async def _reload(self, payment_id: str) -> Payment:
        document = await self._payments.get(payment_id)
        if document is None:
            raise PaymentNotFound()
        return Payment.from_document(document)
