"""Payment statistics for finance: success, 3D Secure and refund rates, volume, declines.

A payment counts in the period it was created in (UTC days). "Attempted" means its card was
tried at least once: its history reached `requires_action`, `processing`, `completed` or
`failed`. Payments nobody tried to pay, or canceled before any attempt, are left out of the rates.
"""

from collections import Counter
from collections.abc import Callable, Iterable
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from app.core.money import from_minor
from app.payments.models import PaymentStatus
from app.refund_records.models import RefundReason, reason_code_of
from app.reports.errors import InvalidPeriod
from app.reports.repository import ReportsRepository
from app.reports.schemas import (
    AuthorizationFigures,
    CurrencyAmount,
    DayVolume,
    DeclineReason,
    PaymentCounts,
    PaymentStats,
    Period,
    RefundFigures,
    RefundReasonCount,
    ThreeDSecure,
)

Document = dict[str, Any]
DEFAULT_DAYS = 30
MAX_DAYS = 366
TOP_DECLINES = 10
ATTEMPT_STATUSES = frozenset(
    {
        PaymentStatus.REQUIRES_ACTION.value,
        PaymentStatus.PROCESSING.value,
        PaymentStatus.COMPLETED.value,
        PaymentStatus.FAILED.value,
    }
)


def today_utc() -> date:
    return datetime.now(UTC).date()


def resolve_period(
    first_day: date | None, last_day: date | None, today: Callable[[], date] = today_utc
) -> Period:
    """Defaults: the 30 days up to today, or 30 days from/to whichever end was given."""
    span = timedelta(days=DEFAULT_DAYS - 1)
    try:
        if last_day is None:
            last_day = first_day + span if first_day is not None else today()
        if first_day is None:
            first_day = last_day - span
    except OverflowError:
        field = "from" if last_day is None else "to"  # the one that was given
        raise InvalidPeriod(
            field, "The 30 days from or up to this day leave the calendar."
        ) from None
    if first_day > last_day:
        raise InvalidPeriod("from", "`from` must be on or before `to`.")
    if (last_day - first_day).days + 1 > MAX_DAYS:
        raise InvalidPeriod("to", f"A period covers at most {MAX_DAYS} days.")
    return Period(first_day=first_day, last_day=last_day)


# The dashboard warns about authorizations Stripe will cancel within this long.
EXPIRY_WARNING = timedelta(hours=24)


class ReportsService:
    def __init__(
        self,
        repository: ReportsRepository,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self._repository = repository
        self._clock = clock

    async def payment_stats(self, period: Period) -> PaymentStats:
        start = datetime.combine(period.first_day, time(), tzinfo=UTC)
        # The end is exclusive; the last day of the calendar has no next day, so it ends at its
        # last microsecond (stored times are whole microseconds: nothing is left out).
        end = (
            datetime.combine(period.last_day + timedelta(days=1), time(), tzinfo=UTC)
            if period.last_day < date.max
            else datetime.max.replace(tzinfo=UTC)
        )
        outlines = await self._repository.payment_outlines(start, end)
        refund_totals = await self._repository.refund_totals(start, end)
        refund_reasons = await self._repository.refund_reasons(start, end)
        authorizations = await self._repository.authorizations(self._clock() + EXPIRY_WARNING)

        attempted = [p for p in outlines if _was_attempted(p)]
        completed = [p for p in outlines if p.get("status") == PaymentStatus.COMPLETED.value]
        failed = sum(1 for p in outlines if p.get("status") == PaymentStatus.FAILED.value)
        three_ds = sum(1 for p in attempted if _reached(p, PaymentStatus.REQUIRES_ACTION.value))
        refunded = sum(1 for p in completed if int(p.get("amount_refunded_minor") or 0) > 0)

        return PaymentStats(
            first_day=period.first_day,
            last_day=period.last_day,
            payments=PaymentCounts(
                attempted=len(attempted),
                completed=len(completed),
                failed=failed,
                success_rate=_rate(len(completed), len(attempted)),
            ),
            three_d_secure=ThreeDSecure(required=three_ds, rate=_rate(three_ds, len(attempted))),
            refunds=RefundFigures(
                count=sum(int(row["count"]) for row in refund_totals),
                refunded_payments=refunded,
                refund_rate=_rate(refunded, len(completed)),
                by_currency=[
                    CurrencyAmount.of(row["currency"], row["amount_minor"], row["count"])
                    for row in refund_totals
                ],
                by_reason=_by_reason(refund_reasons),
            ),
            volume_by_day=_volume_by_day(completed),
            top_decline_reasons=_decline_reasons(outlines),
            authorizations=AuthorizationFigures(
                held=[
                    CurrencyAmount.of(row["currency"], row["amount_minor"], row["count"])
                    for row in authorizations
                ],
                expiring_within_24h=sum(row["expiring"] for row in authorizations),
            ),
        )


def _steps(payment: Document) -> Iterable[Document]:
    history = payment.get("history")
    return history if isinstance(history, list) else []


def _reached(payment: Document, status: str) -> bool:
    return any(step.get("to_status") == status for step in _steps(payment))


def _was_attempted(payment: Document) -> bool:
    if payment.get("status") in ATTEMPT_STATUSES:
        return True
    return any(step.get("to_status") in ATTEMPT_STATUSES for step in _steps(payment))


def _rate(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def _completed_on(payment: Document) -> date:
    """The UTC day the payment completed (its creation day for records without that step)."""
    moments = [
        step["at"]
        for step in _steps(payment)
        if step.get("to_status") == PaymentStatus.COMPLETED.value
        and isinstance(step.get("at"), datetime)
    ]
    moment: datetime = moments[-1] if moments else payment["created_at"]
    return moment.astimezone(UTC).date()


def _volume_by_day(completed: list[Document]) -> list[DayVolume]:
    sums: Counter[tuple[date, str]] = Counter()
    counts: Counter[tuple[date, str]] = Counter()
    for payment in completed:
        key = (_completed_on(payment), str(payment["currency"]))
        received = payment.get("amount_received_minor")
        sums[key] += int(payment["amount_minor"] if received is None else received)
        counts[key] += 1
    return [
        DayVolume(
            date=day,
            currency=currency,
            amount=from_minor(sums[(day, currency)], currency),
            amount_minor=sums[(day, currency)],
            payments=counts[(day, currency)],
        )
        for day, currency in sorted(sums)
    ]


def _by_reason(rows: list[Document]) -> list[RefundReasonCount]:
    counts: Counter[RefundReason] = Counter()
    for row in rows:
        code = row["reason_code"]
        counts[reason_code_of(code if isinstance(code, str) else None)] += int(row["count"])
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0].value))
    return [RefundReasonCount(reason_code=code, count=count) for code, count in ranked]


def _decline_reasons(outlines: list[Document]) -> list[DeclineReason]:
    """Every failed attempt counts, including those later paid with another card."""
    reasons: Counter[str] = Counter()
    for payment in outlines:
        for step in _steps(payment):
            if step.get("to_status") == PaymentStatus.FAILED.value:
                reasons[str(step.get("reason") or "unknown")] += 1
    ranked = sorted(reasons.items(), key=lambda item: (-item[1], item[0]))
    return [DeclineReason(reason=reason, count=count) for reason, count in ranked[:TOP_DECLINES]]
