"""The reads behind the payment statistics, over the payments and refunds collections.

Each `$match` is answered by an index: the payments' `newest_first` (a `created_at` range) and
the refunds' `status_created` (the counted statuses, then the range), declared here. What needs
a payment's history (3D Secure, every declined attempt, the day it completed) is projected here
and counted by the service, which keeps the pipelines to `$match`, `$group`, `$sort`, `$project`.
"""

from datetime import datetime
from typing import Any

from pymongo import ASCENDING
from pymongo.asynchronous.database import AsyncDatabase

from app.payments.repository import PAYMENTS
from app.refund_records.repository import REFUNDS

Document = dict[str, Any]
COUNTED_REFUND_STATUSES = ["pending", "succeeded"]
REFUNDS_BY_STATUS = "status_created"


class ReportsRepository:
    def __init__(self, database: AsyncDatabase[Document]) -> None:
        self._payments = database[PAYMENTS]
        self._refunds = database[REFUNDS]

    @staticmethod
    async def ensure_indexes(database: AsyncDatabase[Document]) -> None:
        """The refunds index `refund_totals` needs (payments' `newest_first` serves the rest)."""
        await database[REFUNDS].create_index(
            [("status", ASCENDING), ("created_at", ASCENDING)], name=REFUNDS_BY_STATUS
        )

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
                    "amount_received_minor": 1,
                    "amount_refunded_minor": 1,
                    "created_at": 1,
                    "history.to_status": 1,
                    "history.reason": 1,
                    "history.at": 1,
                }
            },
        ]
        return await (await self._payments.aggregate(pipeline)).to_list()

    async def authorizations(self, expiring_before: datetime) -> list[Document]:
        """Authorized payments now, per currency: how many, what they hold, how many expire
        before `expiring_before` (the payments' `status_newest` index answers the match)."""
        expiring = {"$lt": ["$authorization_expires_at", expiring_before]}
        pipeline: list[Document] = [
            {"$match": {"status": "authorized"}},
            {
                "$group": {
                    "_id": "$currency",
                    "count": {"$sum": 1},
                    "amount_minor": {"$sum": "$amount_capturable_minor"},
                    "expiring": {"$sum": {"$cond": [expiring, 1, 0]}},
                }
            },
            {"$sort": {"_id": 1}},
        ]
        cursor = await self._payments.aggregate(pipeline)
        return [
            {
                "currency": str(row["_id"]),
                "count": int(row["count"]),
                "amount_minor": int(row["amount_minor"]),
                "expiring": int(row["expiring"]),
            }
            for row in await cursor.to_list()
        ]

    async def refund_reasons(self, start: datetime, end: datetime) -> list[Document]:
        """The same refunds counted per reason code (older records hold the code in `reason`)."""
        grouped = await self._counted_refunds(
            start, end, {"_id": {"$ifNull": ["$reason_code", "$reason"]}, "count": {"$sum": 1}}
        )
        return [{"reason_code": code, "count": sums["count"]} for code, sums in grouped.items()]

    async def refund_totals(self, start: datetime, end: datetime) -> list[Document]:
        """Refunds requested in [start, end) that were not refused: count and sum per currency."""
        grouped = await self._counted_refunds(
            start,
            end,
            {"_id": "$currency", "count": {"$sum": 1}, "amount_minor": {"$sum": "$amount_minor"}},
        )
        return [{"currency": str(currency), **sums} for currency, sums in sorted(grouped.items())]

    async def _counted_refunds(
        self, start: datetime, end: datetime, group: Document
    ) -> dict[Any, dict[str, int]]:
        """`group` over the counted refunds in [start, end), one status at a time, added up.

        One `$match` per status (an equality, then the range) is answered within the index's
        bounds on every server. SecantusDB plans a collection scan for an `$in` beside a range,
        and with a hint walks the whole index (see docs/local-mongodb.md)."""
        totals: dict[Any, dict[str, int]] = {}
        for status in COUNTED_REFUND_STATUSES:
            match = {"status": status, "created_at": {"$gte": start, "$lt": end}}
            cursor = await self._refunds.aggregate([{"$match": match}, {"$group": group}])
            for row in await cursor.to_list():
                sums = totals.setdefault(row["_id"], {})
                for name, value in row.items():
                    if name != "_id":
                        sums[name] = sums.get(name, 0) + int(value)
        return totals
