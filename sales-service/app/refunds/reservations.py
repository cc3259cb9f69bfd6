"""Finds every payment that holds a refund reservation, for the reconciler to walk.

A reservation is written on the payment before anything else (before the refund record, before
Stripe is called), so the payments with `refund_reserved_minor > 0` are where every unsettled
refund can be found, even one whose record a crash never wrote. A partial index holds only
those payments: a small set however many payments there are, paged by `_id` with a cursor.
"""

from typing import Any

from pymongo import ASCENDING
from pymongo.asynchronous.database import AsyncDatabase

Document = dict[str, Any]
PAYMENTS = "payments"
HOLDS_RESERVATION = {"refund_reserved_minor": {"$gt": 0}}


class ReservationRepository:
    def __init__(self, database: AsyncDatabase[Document]) -> None:
        self._payments = database[PAYMENTS]

    @staticmethod
    async def ensure_indexes(database: AsyncDatabase[Document]) -> None:
        await database[PAYMENTS].create_index(
            [("refund_reserved_minor", ASCENDING), ("_id", ASCENDING)],
            name="holds_refund_reservation",
            partialFilterExpression=HOLDS_RESERVATION,
        )

    async def page(self, after: str | None, limit: int) -> list[Document]:
        """Payments holding a reservation, in `_id` order, after the cursor `after`."""
        query: Document = dict(HOLDS_RESERVATION)
        if after is not None:
            query["_id"] = {"$gt": after}
        cursor = self._payments.find(query).sort([("_id", ASCENDING)]).limit(limit)
        return await cursor.to_list()
