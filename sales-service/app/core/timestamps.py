"""Times and days in query strings, read exactly as the OpenAPI document states them.

Pydantic's lax parsing also takes numbers as Unix times (`?to=0.5`) and dates as midnights,
which the document does not say; a filter read as something the caller did not mean is worse
than a 422. So an instant is RFC 3339's `date-time` (`2026-03-01T00:00:00Z`, or an offset) and
a day is `full-date` (`2026-03-01`), nothing else.
"""

import re
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Annotated, Any

from pydantic import BeforeValidator
from pydantic_core import PydanticCustomError

_DATE_TIME = re.compile(
    r"(?P<year>[0-9]{4})-(?P<month>[0-9]{2})-(?P<day>[0-9]{2})[Tt]"
    r"(?P<hour>[0-9]{2}):(?P<minute>[0-9]{2}):(?P<second>[0-9]{2})(?:\.(?P<fraction>[0-9]+))?"
    r"(?:(?P<utc>[Zz])|(?P<sign>[+-])(?P<offset_hour>[0-9]{2}):(?P<offset_minute>[0-9]{2}))"
)
_FULL_DATE = re.compile(r"(?P<year>[0-9]{4})-(?P<month>[0-9]{2})-(?P<day>[0-9]{2})")
_EARLIEST = datetime.min.replace(tzinfo=UTC)
_LATEST = datetime.max.replace(tzinfo=UTC)


def _refuse(kind: str, example: str) -> PydanticCustomError:
    """Pydantic's own error types, so clients branch on one name for a malformed time."""
    name = "date-time" if kind == "datetime" else "full-date"
    return PydanticCustomError(f"{kind}_parsing", f"Expected an RFC 3339 {name}, e.g. {example}.")


def parse_instant(value: Any) -> datetime:
    """An RFC 3339 date-time as an aware UTC datetime.

    Fractions finer than a microsecond are rounded up: stored times are whole microseconds, so
    `created >= t` and `created < t` select the same records as they would with `t` exact. An
    offset that takes the instant past year 1 or 9999 in UTC selects as the earliest or latest
    instant would.
    """
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value.astimezone(UTC)
    match = _DATE_TIME.fullmatch(value) if isinstance(value, str) else None
    if match is None:
        raise _refuse("datetime", "2026-03-01T00:00:00Z")
    fraction = match["fraction"] or ""
    microseconds = int((fraction + "000000")[:6])
    finer = fraction[6:].strip("0")
    try:
        local = datetime(
            int(match["year"]),
            int(match["month"]),
            int(match["day"]),
            int(match["hour"]),
            int(match["minute"]),
            int(match["second"]),
            microseconds,
        )
        offset = timedelta(0)
        if not match["utc"]:
            hours, minutes = int(match["offset_hour"]), int(match["offset_minute"])
            if hours > 23 or minutes > 59:
                raise ValueError("offset out of range")
            offset = timedelta(hours=hours, minutes=minutes)
            offset = -offset if match["sign"] == "-" else offset
    except ValueError:
        raise _refuse("datetime", "2026-03-01T00:00:00Z") from None
    try:
        instant = local.replace(tzinfo=timezone(offset)).astimezone(UTC)
    except OverflowError:
        return _EARLIEST if local.year == 1 else _LATEST
    if finer:
        instant = instant + timedelta(microseconds=1) if instant < _LATEST else instant
    return instant


def parse_day(value: Any) -> date:
    """An RFC 3339 full-date, `YYYY-MM-DD`."""
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    match = _FULL_DATE.fullmatch(value) if isinstance(value, str) else None
    if match is None:
        raise _refuse("date", "2026-03-01")
    try:
        return date(int(match["year"]), int(match["month"]), int(match["day"]))
    except ValueError:
        raise _refuse("date", "2026-03-01") from None


Instant = Annotated[datetime, BeforeValidator(parse_instant)]
"""A query parameter holding an RFC 3339 date-time (`format: date-time`)."""

Day = Annotated[date, BeforeValidator(parse_day)]
"""A query parameter holding an RFC 3339 full-date (`format: date`)."""
