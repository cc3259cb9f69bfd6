"""The MongoDB 7 features the storage code may use, checked against the local server.

FerretDB 1.24, the server before this one, answered 0 for a second `$sum` in one `$group`,
ignored `$slice` in `$push`, and had no TTL or partial indexes and no transactions.
"""

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from pymongo import AsyncMongoClient
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

pytestmark = pytest.mark.asyncio(loop_scope="function")

Database = AsyncDatabase[dict[str, Any]]


async def test_group_with_two_sums(local_mongo_db: Database) -> None:
    await local_mongo_db.pay.insert_many(
        [{"s": "a", "amount": 100}, {"s": "a", "amount": 250}, {"s": "b", "amount": 7}]
    )
    rows = await (
        await local_mongo_db.pay.aggregate(
            [
                {"$group": {"_id": "$s", "n": {"$sum": 1}, "total": {"$sum": "$amount"}}},
                {"$sort": {"_id": 1}},
            ]
        )
    ).to_list()
    assert rows == [{"_id": "a", "n": 2, "total": 350}, {"_id": "b", "n": 1, "total": 7}]


async def test_push_with_slice_keeps_the_last_entries(local_mongo_db: Database) -> None:
    await local_mongo_db.hist.insert_one({"_id": 1, "h": []})
    for i in range(5):
        await local_mongo_db.hist.update_one(
            {"_id": 1}, {"$push": {"h": {"$each": [i], "$slice": -3}}}
        )
    assert await local_mongo_db.hist.find_one({"_id": 1}) == {"_id": 1, "h": [2, 3, 4]}


async def test_partial_unique_index_ignores_documents_outside_its_filter(
    local_mongo_db: Database,
) -> None:
    coll = local_mongo_db.slots
    await coll.create_index(
        "order_id", unique=True, partialFilterExpression={"open": True}, name="one_open"
    )
    await coll.insert_many([{"order_id": "o1", "open": False}, {"order_id": "o1", "open": False}])
    await coll.insert_one({"order_id": "o1", "open": True})
    with pytest.raises(DuplicateKeyError):
        await coll.insert_one({"order_id": "o1", "open": True})


async def test_expr_compares_two_fields(local_mongo_db: Database) -> None:
    await local_mongo_db.orders.insert_many(
        [{"_id": 1, "total": 100, "paid": 100}, {"_id": 2, "total": 100, "paid": 40}]
    )
    found = await local_mongo_db.orders.find({"$expr": {"$lt": ["$paid", "$total"]}}).to_list()
    assert [d["_id"] for d in found] == [2]


async def test_ttl_index_removes_expired_documents(local_mongo_db: Database) -> None:
    coll = local_mongo_db.keys
    await coll.create_index("expires_at", expireAfterSeconds=0)
    now = datetime.now(UTC)
    await coll.insert_many(
        [
            {"_id": "old", "expires_at": now - timedelta(hours=1)},
            {"_id": "new", "expires_at": now + timedelta(hours=1)},
        ]
    )
    for _ in range(150):  # MongoDB's TTL monitor runs every 60 s; allow a little more
        if await coll.count_documents({"_id": "old"}) == 0:
            break
        await asyncio.sleep(0.5)
    assert [d["_id"] for d in await coll.find({}).to_list()] == ["new"]


async def test_transaction_commits_both_writes_or_neither(
    local_mongodb_url: str, local_mongo_db: Database
) -> None:
    client: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(local_mongodb_url)
    db = client[local_mongo_db.name]
    try:
        await db.a.insert_one({"_id": "x", "n": 0})
        await db.b.insert_one({"_id": "x", "n": 0})

        async with client.start_session() as session, await session.start_transaction():
            await db.a.update_one({"_id": "x"}, {"$inc": {"n": 1}}, session=session)
            await db.b.update_one({"_id": "x"}, {"$inc": {"n": 1}}, session=session)

        with pytest.raises(RuntimeError):
            async with client.start_session() as session, await session.start_transaction():
                await db.a.update_one({"_id": "x"}, {"$inc": {"n": 10}}, session=session)
                raise RuntimeError("abort")

        assert (await db.a.find_one({"_id": "x"}), await db.b.find_one({"_id": "x"})) == (
            {"_id": "x", "n": 1},
            {"_id": "x", "n": 1},
        )
    finally:
        await client.close()
