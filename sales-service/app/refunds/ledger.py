"""Where each refund's amount sits on its payment, moved by compare-and-sets on the payment.

The payment document holds `refund_ledger.{refund_id}` = {amount, state, sent_at, final} next to
the counters `refund_reserved_minor` and `amount_refunded_minor`, and every move changes an
entry and the counters in one atomic update, so they always agree. Who may move what:

    (none)   -> reserved                  a refund asked here (reserve)
    (none)   -> refunded/released/...     Stripe's refund object (a Dashboard refund)
    reserved -> refunded                  Stripe's refund object says succeeded
    reserved -> released                  Stripe's object says failed/canceled, Stripe refused
                                          to make it, or Stripe has no such refund after the
                                          grace period (the reconciler)
    refunded -> released                  Stripe's object only (it failed after succeeding)
    released -> refunded/reserved         Stripe's object only, and only if the release was
                                          ours (`final` unset): Stripe made it after all

Stripe's own failed/canceled/refused is `final`: nothing moves that entry again. A reservation
checks `amount_refunded + refund_reserved + lost disputes + amount <= amount` against the version
it read, so concurrent refunds can never exceed the payment. Repeating a move is a no-op, which
makes a refund's amount impossible to count twice.
"""

from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from app.core.compare_and_set import Keep, Write, compare_and_set
from app.payments.errors import PaymentBusy
from app.payments.loading import load_payment
from app.payments.models import LedgerEntry, LedgerState, Payment, PaymentStatus
from app.payments.repository import PaymentRepository
from app.refunds.errors import PaymentNotRefundable, RefundExceedsRefundable

MAX_WRITE_ATTEMPTS = 100
Update = dict[str, Any]


class Word(StrEnum):
    """What a move rests on."""

    STRIPE_OBJECT = "stripe_object"  # Stripe's refund object, in the state it names
    STRIPE_REFUSED = "stripe_refused"  # Stripe answered our create with a refusal
    NOT_AT_STRIPE = "not_at_stripe"  # Stripe has no such refund, past the grace period


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


def plan_move(
    entry: LedgerEntry | None, target: LedgerState, amount_minor: int, word: Word
) -> LedgerEntry | None:
    """The entry after moving to `target` on `word`, or None when that move is not allowed
    (or changes nothing)."""
    from_stripe = word is Word.STRIPE_OBJECT
    final = target is LedgerState.RELEASED and word is not Word.NOT_AT_STRIPE
    if entry is None:
        if not from_stripe:
            return None
        return LedgerEntry(amount_minor=amount_minor, state=target, final=final)
    if entry.final:
        return None
    if entry.state is target:
        if final:  # our release, now confirmed by Stripe: nothing may revive it
            return entry.model_copy(update={"final": True})
        return None
    allowed = (entry.state is LedgerState.RESERVED and target is LedgerState.RELEASED) or (
        from_stripe and not (entry.state is LedgerState.REFUNDED and target is LedgerState.RESERVED)
    )
    if not allowed:
        return None
    return entry.model_copy(update={"state": target, "final": final})


def can_move(entry: LedgerEntry | None, target: LedgerState, word: Word) -> bool:
    return plan_move(entry, target, entry.amount_minor if entry else 0, word) is not None


class RefundLedger:
    def __init__(self, payments: PaymentRepository) -> None:
        self._payments = payments

    async def reserve(
        self, payment: Payment, refund_id: str, amount_minor: int
    ) -> tuple[Payment, bool]:
        """Reserves the amount for a new refund, or raises why it cannot be refunded;
        (payment, True) when this call reserved it, False when the entry was already there."""

        def plan(current: Payment) -> Keep[tuple[Payment, bool]] | Write[Update]:
            if refund_id in current.refund_ledger:
                return Keep((current, False))
            if current.status is not PaymentStatus.COMPLETED:
                raise PaymentNotRefundable(current.status.value)
            if amount_minor > current.refundable_minor:
                raise RefundExceedsRefundable(current.refundable_minor, current.currency)
            now = datetime.now(UTC)
            entry = LedgerEntry(amount_minor=amount_minor, state=LedgerState.RESERVED, sent_at=now)
            return Write(
                {
                    "$set": {f"refund_ledger.{refund_id}": entry.model_dump(), "updated_at": now},
                    "$inc": {"refund_reserved_minor": amount_minor},
                }
            )

        return await compare_and_set(
            load=lambda: load_payment(self._payments, payment.id),
            plan=plan,
            write=lambda current, update: self._write(current, update, True),
            busy=PaymentBusy,
            attempts=MAX_WRITE_ATTEMPTS,
            first=payment,
        )

    async def mark_sent(self, payment_id: str, refund_id: str) -> bool:
        """Claims the right to send a reserved refund to Stripe again (a retry).

        False when it is no longer reserved. Bumping the payment's version makes a concurrent
        reconciliation, which read the payment before asking Stripe, give up its release.
        """

        def plan(current: Payment) -> Keep[bool] | Write[Update]:
            entry = current.refund_ledger.get(refund_id)
            if entry is None or entry.state is not LedgerState.RESERVED:
                return Keep(False)
            now = datetime.now(UTC)
            return Write({"$set": {f"refund_ledger.{refund_id}.sent_at": now, "updated_at": now}})

        async def write(current: Payment, update: Update) -> bool | None:
            document = await self._payments.compare_and_set(current.id, current.version, update)
            return True if document is not None else None

        return await compare_and_set(
            load=lambda: load_payment(self._payments, payment_id),
            plan=plan,
            write=write,
            busy=PaymentBusy,
            attempts=MAX_WRITE_ATTEMPTS,
        )

    async def move(
        self,
        payment_id: str,
        refund_id: str,
        amount_minor: int,
        target: LedgerState,
        word: Word,
        *,
        expected_version: int | None = None,
    ) -> tuple[Payment, bool]:
        """Moves the refund's amount to `target` if `word` allows it; (payment, moved).

        With `expected_version`, moves only if the payment is still at that version.
        """

        def plan(current: Payment) -> Keep[tuple[Payment, bool]] | Write[Update]:
            if expected_version is not None and current.version != expected_version:
                return Keep((current, False))
            entry = current.refund_ledger.get(refund_id)
            moved = plan_move(entry, target, amount_minor, word)
            if moved is None:
                return Keep((current, False))
            update: Update = {
                "$set": {
                    f"refund_ledger.{refund_id}": moved.model_dump(),
                    "updated_at": datetime.now(UTC),
                }
            }
            changes = counter_changes(entry.state if entry else None, target, moved.amount_minor)
            if changes:
                update["$inc"] = changes
            return Write(update)

        return await compare_and_set(
            load=lambda: load_payment(self._payments, payment_id),
            plan=plan,
            write=lambda current, update: self._write(current, update, True),
            busy=PaymentBusy,
            attempts=MAX_WRITE_ATTEMPTS,
        )

    async def _write(
        self, current: Payment, update: Update, flag: bool
    ) -> tuple[Payment, bool] | None:
        document = await self._payments.compare_and_set(current.id, current.version, update)
        return (Payment.from_document(document), flag) if document is not None else None
