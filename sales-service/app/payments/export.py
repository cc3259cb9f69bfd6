"""The payments list as CSV, streamed: every payment matching the filters exactly once.

One consistent read without a long-lived cursor or transaction: the export fixes its upper bound
(`created_at` before the moment it began) and walks newest first by keyset, (created_at, _id),
so payments made during the export are left out instead of shifting pages into duplicates or
gaps. Each row shows the payment as it was when its page was read.
"""

import csv
import io
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime
from typing import Any

from app.core.money import from_minor
from app.payments.models import Payment
from app.payments.repository import PaymentRepository
from app.payments.schemas import PaymentFilters

PAGE_SIZE = 500
COLUMNS = [
    "payment_id",
    "order_number",
    "order_id",
    "created_at",
    "status",
    "currency",
    "amount",
    "amount_refunded",
    "card_brand",
    "card_last4",
    "failure_code",
    "decline_code",
    "failure_message",
    "payment_intent_id",
]
# A cell starting with one of these is a formula to a spreadsheet; a leading quote disarms it.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: object) -> str:
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def csv_row(payment: Payment) -> list[str]:
    card, failure = payment.card, payment.failure
    values: list[Any] = [
        payment.id,
        payment.order_number,
        payment.order_id,
        payment.created_at.astimezone(UTC).isoformat().replace("+00:00", "Z"),
        payment.status.value,
        payment.currency.upper(),
        from_minor(payment.amount_minor, payment.currency),
        from_minor(payment.amount_refunded_minor, payment.currency),
        card.brand if card else None,
        card.last4 if card else None,
        failure.code if failure else None,
        failure.decline_code if failure else None,
        failure.message if failure else None,
        payment.payment_intent_id,
    ]
    return [_cell(value) for value in values]


def _lines(rows: list[list[str]]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    return buffer.getvalue()


class PaymentExport:
    def __init__(
        self, payments: PaymentRepository, clock: Callable[[], datetime] = lambda: datetime.now(UTC)
    ) -> None:
        self._payments = payments
        self._clock = clock

    def bounded(self, filters: PaymentFilters) -> PaymentFilters:
        """The filters with the export's fixed end: nothing created after it began."""
        began = self._clock()
        end = began if filters.created_to is None else min(filters.created_to, began)
        return filters.model_copy(update={"created_to": end})

    async def csv_chunks(self, filters: PaymentFilters) -> AsyncIterator[str]:
        """The header, then one chunk of rows per page. Call `bounded` first."""
        yield _lines([COLUMNS])
        before: tuple[datetime, str] | None = None
        while True:
            documents = await self._payments.find_before(filters, before, PAGE_SIZE)
            if not documents:
                return
            payments = [Payment.from_document(document) for document in documents]
            yield _lines([csv_row(payment) for payment in payments])
            last = documents[-1]
            before = (last["created_at"], str(last["_id"]))
