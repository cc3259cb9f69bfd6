"""Query times are read as the document states them (RFC 3339), never as Unix times or guesses."""

from datetime import UTC, date, datetime

import pytest
from pydantic_core import PydanticCustomError

from app.core.timestamps import parse_day, parse_instant


@pytest.mark.parametrize(
    ("raw", "instant"),
    [
        ("2026-03-01T00:00:00Z", datetime(2026, 3, 1, tzinfo=UTC)),
        ("2026-03-01t00:00:00z", datetime(2026, 3, 1, tzinfo=UTC)),
        ("2026-03-01T10:30:00+02:00", datetime(2026, 3, 1, 8, 30, tzinfo=UTC)),
        ("2026-03-01T00:00:00.25-01:00", datetime(2026, 3, 1, 1, 0, 0, 250000, tzinfo=UTC)),
        # Finer than a microsecond: rounded up, so `created >= from` and `created < to` select
        # the same whole-microsecond records as the exact time would.
        ("2026-03-01T00:00:00.0000001Z", datetime(2026, 3, 1, 0, 0, 0, 1, tzinfo=UTC)),
        ("2026-03-01T00:00:00.1234560000Z", datetime(2026, 3, 1, 0, 0, 0, 123456, tzinfo=UTC)),
    ],
)
def test_rfc3339_date_times_are_read_exactly(raw: str, instant: datetime) -> None:
    assert parse_instant(raw) == instant


@pytest.mark.parametrize(
    "raw",
    [
        "0.5",  # what pydantic's lax parsing took for a Unix time
        "0",
        "1767225600",
        "2026-03-01",  # a day is not an instant
        "2026-03-01T00:00:00",  # no offset: which zone?
        "2026-03-01 00:00:00Z",
        "2026-03-01T00:00Z",
        "2026-02-30T00:00:00Z",
        "2026-03-01T24:00:00Z",
        "2026-03-01T00:00:60Z",
        "2026-03-01T00:00:00+24:00",
        "2026-03-01T00:00:00Z\n",
        " 2026-03-01T00:00:00Z",
        "0000-01-01T00:00:00Z",
    ],
)
def test_anything_else_is_refused(raw: str) -> None:
    with pytest.raises(PydanticCustomError) as caught:
        parse_instant(raw)
    assert caught.value.type == "datetime_parsing"


def test_an_offset_past_the_calendar_selects_as_its_end_would() -> None:
    assert parse_instant("0001-01-01T00:00:00+01:00") == datetime.min.replace(tzinfo=UTC)
    assert parse_instant("9999-12-31T23:30:00-01:00") == datetime.max.replace(tzinfo=UTC)


def test_days_are_full_dates_only() -> None:
    assert parse_day("2026-03-01") == date(2026, 3, 1)
    for raw in ["0", "20260301", "2026-3-1", "2026-03-01T00:00:00Z", "2026-02-30", "0000-01-01"]:
        with pytest.raises(PydanticCustomError) as caught:
            parse_day(raw)
        assert caught.value.type == "date_parsing"
