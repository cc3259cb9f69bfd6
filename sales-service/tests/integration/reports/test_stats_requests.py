from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from httpx import AsyncClient

from tests.integration.conftest import Headers

STATS = "/api/v1/payments/stripe/stats"


class TestPeriod:
    async def test_defaults_to_the_last_thirty_days(
        self, client: AsyncClient, as_role: Callable[..., Headers]
    ) -> None:
        before = datetime.now(UTC).date()
        response = await client.get(STATS, headers=as_role("finance"))
        assert response.status_code == 200
        body = response.json()
        today = datetime.fromisoformat(body["to"]).date()
        assert today in (before, before + timedelta(days=1))  # a test run may cross midnight
        assert body["from"] == (today - timedelta(days=29)).isoformat()

    async def test_from_alone_covers_thirty_days_from_it(
        self, client: AsyncClient, as_role: Callable[..., Headers]
    ) -> None:
        response = await client.get(STATS, params={"from": "2001-02-01"}, headers=as_role("admin"))
        assert response.status_code == 200
        assert (response.json()["from"], response.json()["to"]) == ("2001-02-01", "2001-03-02")

    @pytest.mark.parametrize(
        ("params", "field", "message"),
        [
            (
                {"from": "2001-02-02", "to": "2001-02-01"},
                "from",
                "`from` must be on or before `to`.",
            ),
            ({"from": "2000-01-01", "to": "2001-01-01"}, "to", "A period covers at most 366 days."),
        ],
    )
    async def test_an_impossible_period_is_refused(
        self,
        client: AsyncClient,
        as_role: Callable[..., Headers],
        params: dict[str, str],
        field: str,
        message: str,
    ) -> None:
        response = await client.get(STATS, params=params, headers=as_role("finance"))
        assert response.status_code == 422
        error = response.json()["error"]
        assert error["code"] == "validation_error"
        assert error["details"] == [
            {"field": field, "location": "query", "message": message, "type": "period_invalid"}
        ]

    async def test_a_malformed_day_is_a_validation_error(
        self, client: AsyncClient, as_role: Callable[..., Headers]
    ) -> None:
        response = await client.get(STATS, params={"from": "yesterday"}, headers=as_role("finance"))
        assert response.status_code == 422
        [detail] = response.json()["error"]["details"]
        assert (detail["field"], detail["location"]) == ("from", "query")

    @pytest.mark.parametrize(
        "day", ["0", "1767225600", "2026-03-01T00:00:00Z", "2026-3-1", "0000-01-01"]
    )
    async def test_a_day_is_a_full_date_and_nothing_else(
        self, client: AsyncClient, as_role: Callable[..., Headers], day: str
    ) -> None:
        # `to=0` was once read as the Unix epoch's day and answered 200.
        response = await client.get(STATS, params={"to": day}, headers=as_role("finance"))
        assert response.status_code == 422
        [detail] = response.json()["error"]["details"]
        assert (detail["field"], detail["location"], detail["type"]) == (
            "to",
            "query",
            "date_parsing",
        )

    @pytest.mark.parametrize(
        ("params", "field"), [({"from": "9999-12-20"}, "from"), ({"to": "0001-01-05"}, "to")]
    )
    async def test_thirty_days_that_leave_the_calendar_are_a_period_invalid(
        self,
        client: AsyncClient,
        as_role: Callable[..., Headers],
        params: dict[str, str],
        field: str,
    ) -> None:
        response = await client.get(STATS, params=params, headers=as_role("finance"))
        assert response.status_code == 422
        [detail] = response.json()["error"]["details"]
        assert (detail["field"], detail["type"]) == (field, "period_invalid")

    async def test_the_calendar_s_last_day_is_a_period_end(
        self, client: AsyncClient, as_role: Callable[..., Headers]
    ) -> None:
        params = {"from": "9999-12-01", "to": "9999-12-31"}
        response = await client.get(STATS, params=params, headers=as_role("finance"))
        assert response.status_code == 200
        assert response.json()["to"] == "9999-12-31"


class TestAccess:
    @pytest.mark.parametrize(
        ("roles", "scope"),
        [(("finance",), None), (("admin",), None), (("service",), "reports:read")],
    )
    async def test_finance_admin_and_report_readers_may_read(
        self,
        client: AsyncClient,
        as_role: Callable[..., Headers],
        roles: tuple[str, ...],
        scope: str | None,
    ) -> None:
        response = await client.get(STATS, headers=as_role(*roles, scope=scope))
        assert response.status_code == 200

    async def test_sales_may_not(
        self, client: AsyncClient, as_role: Callable[..., Headers]
    ) -> None:
        response = await client.get(STATS, headers=as_role("sales"))
        assert response.status_code == 403
        assert response.json()["error"]["message"] == "This needs the reports:read permission."

    async def test_anonymous_callers_must_sign_in(self, client: AsyncClient) -> None:
        response = await client.get(STATS)
        assert response.status_code == 401
        assert response.json()["error"]["code"] == "unauthorized"
