"""The CSV export adds up: every payment matching the filters exactly once, even while new
payments are being made between its pages."""

import asyncio
import csv
import io
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from fastapi import FastAPI
from httpx import AsyncClient

from app.payments import export
from app.payments.export import COLUMNS, PaymentExport
from app.payments.repository import PaymentRepository
from app.payments.schemas import PaymentFilters
from tests.integration.conftest import Headers
from tests.integration.stripe_support import create_intent, create_order

EXPORT_URL = "/api/v1/payments/stripe/payments/export.csv"


async def _payment(api: AsyncClient, headers: Headers, customer_id: str, total: str) -> str:
    order = await create_order(api, headers, customer_id, total=total)
    response = await create_intent(api, headers, order["id"])
    assert response.status_code == 200, response.text
    payment_id: str = response.json()["payment_id"]
    return payment_id


def _rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


async def test_payments_made_during_an_export_neither_repeat_nor_drop_rows(
    api: AsyncClient,
    stripe_app: FastAPI,
    as_role: Callable[..., Headers],
    customer_id: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    sales = as_role("sales")
    # Not a second earlier: the previous test's payments must stay outside the window.
    began = datetime.now(UTC).replace(microsecond=0) + timedelta(seconds=1)
    await asyncio.sleep((began - datetime.now(UTC)).total_seconds())
    before = [await _payment(api, sales, customer_id, f"{10 + i}.00") for i in range(12)]
    monkeypatch.setattr(export, "PAGE_SIZE", 5)
    exporter = PaymentExport(PaymentRepository(stripe_app.state.database))
    filters = exporter.bounded(PaymentFilters(created_from=began))

    chunks: list[str] = []
    during: list[str] = []
    async for chunk in exporter.csv_chunks(filters):
        chunks.append(chunk)
        # Newer payments arrive between pages, as they would from the sales floor.
        during.append(await _payment(api, sales, customer_id, "1.00"))

    rows = _rows("".join(chunks))
    ids = [row["payment_id"] for row in rows]
    assert sorted(ids) == sorted(before)  # each once, none of those made during the export
    assert len(chunks) == 1 + 3  # the header, then three pages
    assert sum(Decimal(row["amount"]) for row in rows) == sum(Decimal(10 + i) for i in range(12))
    assert len(set(during)) == len(during)

    listed = await api.get(
        EXPORT_URL, params={"from": began.isoformat()}, headers=as_role("finance")
    )
    assert sorted(row["payment_id"] for row in _rows(listed.text)) == sorted(before + during)


async def test_the_export_takes_the_lists_filters_and_disarms_formulas(
    api: AsyncClient,
    stripe_app: FastAPI,
    as_role: Callable[..., Headers],
    customer_id: str,
) -> None:
    sales = as_role("sales")
    first = await _payment(api, sales, customer_id, "12.34")
    await _payment(api, sales, customer_id, "56.78")
    detail = await api.get(f"/api/v1/payments/stripe/payments/{first}", headers=sales)
    order_id = detail.json()["order_id"]
    await stripe_app.state.database.payments.update_one(
        {"_id": first}, {"$set": {"failure": {"code": "card_declined", "message": "=HYPERLINK(1)"}}}
    )

    response = await api.get(EXPORT_URL, params={"order_id": order_id}, headers=sales)

    assert response.status_code == 200
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert response.headers["content-disposition"].startswith('attachment; filename="payments-')
    assert response.text.splitlines()[0] == ",".join(COLUMNS)
    [row] = _rows(response.text)
    assert (row["payment_id"], row["order_id"], row["amount"]) == (first, order_id, "12.34")
    assert (row["status"], row["currency"]) == ("pending", "USD")
    assert row["failure_message"] == "'=HYPERLINK(1)"
    none = await api.get(
        EXPORT_URL, params={"order_id": order_id, "status": "completed"}, headers=sales
    )
    assert _rows(none.text) == []
    refused = await api.get(EXPORT_URL, params={"status": "paid"}, headers=sales)
    assert refused.status_code == 422
