"""The payment list's and export's `from` and `to` are RFC 3339 date-times, as the document says:
`?to=0.5` was once read as a Unix time and answered 200."""

from collections.abc import Callable
from datetime import datetime, timedelta, timezone

import pytest
from httpx import AsyncClient

from tests.integration.conftest import Headers
from tests.integration.stripe_support import create_intent, create_order

LIST = "/api/v1/payments/stripe/payments"
EXPORT = "/api/v1/payments/stripe/payments/export.csv"


@pytest.mark.parametrize("url", [LIST, EXPORT])
@pytest.mark.parametrize(
    "value", ["0.5", "0", "1767225600", "2026-03-01", "2026-03-01T00:00:00", "2026-13-01T00:00:00Z"]
)
async def test_anything_but_a_date_time_with_its_offset_is_refused(
    api: AsyncClient, as_role: Callable[..., Headers], url: str, value: str
) -> None:
    response = await api.get(url, params={"to": value}, headers=as_role("finance"))
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/json"
    [detail] = response.json()["error"]["details"]
    assert (detail["field"], detail["location"], detail["type"]) == (
        "to",
        "query",
        "datetime_parsing",
    )


async def test_an_offset_is_the_instant_it_names(
    api: AsyncClient, as_role: Callable[..., Headers], customer_id: str
) -> None:
    sales = as_role("sales")
    order = await create_order(api, sales, customer_id, total="12.00")
    created = await create_intent(api, sales, order["id"])
    assert created.status_code == 200, created.text
    payment = (await api.get(f"{LIST}/{created.json()['payment_id']}", headers=sales)).json()
    at = datetime.fromisoformat(payment["created_at"])
    plus_two = timezone(timedelta(hours=2))

    async def listed(**params: str) -> bool:
        response = await api.get(LIST, params={"order_id": order["id"], **params}, headers=sales)
        assert response.status_code == 200, response.text
        return [item["id"] for item in response.json()["items"]] == [payment["id"]]

    second = timedelta(seconds=1)
    assert await listed(**{"from": (at - second).astimezone(plus_two).isoformat()})
    assert not await listed(**{"from": (at + second).astimezone(plus_two).isoformat()})
    assert await listed(to=(at + second).astimezone(plus_two).isoformat())
    assert not await listed(to=(at - second).isoformat().replace("+00:00", "Z"))


async def test_an_offset_past_the_calendar_s_end_is_no_bound(
    api: AsyncClient, as_role: Callable[..., Headers], customer_id: str
) -> None:
    sales = as_role("sales")
    order = await create_order(api, sales, customer_id, total="13.00")
    assert (await create_intent(api, sales, order["id"])).status_code == 200
    params = {"order_id": order["id"], "to": "9999-12-31T23:59:59-23:59"}
    response = await api.get(LIST, params=params, headers=sales)
    assert response.status_code == 200, response.text
    assert response.json()["total"] == 1
    response = await api.get(EXPORT, params=params, headers=sales)
    assert response.status_code == 200, response.text
