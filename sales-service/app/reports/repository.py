"""The reads behind the payment statistics, over the payments and refunds collections.

Only `$match`, `$group`, `$sum`, `$sort` and `$project`, so the same pipelines run on MongoDB 7
and on FerretDB 1.24. What needs a payment's history (3D Secure, every declined attempt, the day
it completed) is projected here and counted by the service: splitting arrays server-side would
need `$unwind`, which the storage rules leave out.
"""

from datetime import datetime
from typing import Any

from pymongo.asynchronous.database import AsyncDatabase

from app.payments.repository import PAYMENTS
from app.refunds.repository import REFUNDS

Document = dict[str, Any]
COUNTED_REFUND_STATUSES = ["pending", "succeeded"]


class ReportsRepository:
    def __init__(self, database: AsyncDatabase[Document]) -> None:
        self._payments = database[PAYMENTS]
        self._refunds = database[REFUNDS]

    async def payment_outlines(self, start: datetime, end: datetime) -> list[Document]:
        """Payments created in [start, end): status, money and the steps of their history."""
        pipeline: list[Document] = [
            {"$match": {"created_at": {"$gte": start, "$lt": end}}},
            {
                "$project": {
                    "_id": 0,
                    "status": 1,
                    "currency": 1,
                    "amount_minor": 1,
                    "amount_refunded_minor": 1,
                    "created_at": 1,
                    "history.to_status": 1,
                    "history.reason": 1,
                    "history.at": 1,
                }
            },
        ]
        return await (await self._payments.aggregate(pipeline)).to_list()

    async def refund_totals(self, start: datetime, end: datetime) -> list[Document]:
        """Refunds requested in [start, end) that were not refused: count and sum per currency."""
        match: Document = {
            "$match": {
                "created_at": {"$gte": start, "$lt": end},
                "status": {"$in": COUNTED_REFUND_STATUSES},
            }
        }
        # One accumulator per `$group`: FerretDB 1.24 answers 0 for a second `$sum` in the same
        # stage, so the count and the amount are grouped separately and joined here.
        counts = await self._group_by_currency(match, "count", 1)
        amounts = await self._group_by_currency(match, "amount_minor", "$amount_minor")
        return [
            {"currency": currency, "count": count, "amount_minor": amounts.get(currency, 0)}
            for currency, count in sorted(counts.items())
        ]

    async def _group_by_currency(
        self, match: Document, name: str, summed: object
    ) -> dict[str, int]:
        pipeline: list[Document] = [
            match,
            {"$group": {"_id": "$currency", name: {"$sum": summed}}},
            {"$sort": {"_id": 1}},
        ]
        rows = await (await self._refunds.aggregate(pipeline)).to_list()
        return {str(row["_id"]): int(row[name]) for row in rows}
