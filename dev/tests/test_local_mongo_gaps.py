"""Where SecantusDB 0.7.0b3 differs from MongoDB 7: each test shows one gap as it is today.

They are listed in docs/local-mongodb.md with the workaround the storage code uses (one that
also runs on MongoDB 7). A test here that fails means SecantusDB changed: update that list.
MongoDB 7 answers each of these filters with an index scan.
"""

import time
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from conftest import rows_read
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.asynchronous.database import AsyncDatabase

pytestmark = pytest.mark.asyncio(loop_scope="function")

Database = AsyncDatabase[dict[str, Any]]
Collection = AsyncCollection[dict[str, Any]]
NOW = datetime.now(UTC)
BUMP = {"$inc": {"bumps": 1}}


def winning_stage(explained: dict[str, Any]) -> str:
    plan = explained["queryPlanner"]["winningPlan"]
    while (
        plan.get("stage") in ("LIMIT", "FETCH", "SORT", "PROJECTION_SIMPLE")
        and "inputStage" in plan
    ):
        plan = plan["inputStage"]
    return str(plan["stage"])


async def filled(database: Database) -> Collection:
    coll = database.gaps
    await coll.insert_many(
        [
            {
                "_id": f"d{i:05d}",
                "status": ["pending", "succeeded", "failed"][i % 3],
                "created_at": NOW - timedelta(minutes=i),
                "n": i,
            }
            for i in range(2000)
        ]
    )
    await coll.create_index([("status", 1), ("created_at", 1)], name="status_created")
    await coll.create_index("n", name="n")
    return coll


async def test_an_or_is_answered_by_a_scan_even_beside_an_id(local_mongo_db: Database) -> None:
    coll = await filled(local_mongo_db)
    with_or = {"_id": "d00005", "$or": [{"n": {"$lte": 10}}, {"n": {"$exists": False}}]}
    assert winning_stage(await coll.find(with_or).explain()) == "COLLSCAN"
    assert winning_stage(await coll.find({"$or": [{"_id": "d1"}, {"n": 7}]}).explain()) == (
        "COLLSCAN"
    )


async def test_an_in_beside_a_range_scans_unless_hinted(local_mongo_db: Database) -> None:
    coll = await filled(local_mongo_db)
    query = {"status": {"$in": ["pending", "succeeded"]}, "created_at": {"$gte": NOW}}
    assert winning_stage(await coll.find(query).explain()) == "COLLSCAN"
    assert winning_stage(await coll.find(query).hint("status_created").explain()) == "IXSCAN"


async def test_a_regex_never_uses_an_index_even_anchored(local_mongo_db: Database) -> None:
    coll = await filled(local_mongo_db)
    await coll.create_index("status", name="status")
    assert winning_stage(await coll.find({"status": {"$regex": "^pend"}}).explain()) == "COLLSCAN"


async def test_explain_of_an_update_ignores_its_filter(local_mongo_db: Database) -> None:
    coll = await filled(local_mongo_db)
    explained = await local_mongo_db.command(
        "explain", {"update": coll.name, "updates": [{"q": {"_id": "d1"}, "u": {"$set": {"x": 1}}}]}
    )
    assert explained["queryPlanner"]["parsedQuery"] == {}
    assert explained["queryPlanner"]["winningPlan"]["stage"] == "COLLSCAN"


async def test_the_ttl_pass_reads_every_document_of_a_ttl_collection(
    local_mongo_db: Database,
) -> None:
    """Nothing expires, yet the pass costs about as much as reading the whole collection.

    Printed, never asserted on time: run with -s to see the figures.
    """
    coll = await filled(local_mongo_db)
    client = local_mongo_db.client
    started = time.perf_counter()
    await client.admin.command("secantusAdmin.pruneTtl")
    without = time.perf_counter() - started
    await coll.create_index("created_at", expireAfterSeconds=30 * 86400, name="ttl")
    started = time.perf_counter()
    answer = await client.admin.command("secantusAdmin.pruneTtl")
    with_ttl = time.perf_counter() - started
    print(
        f"\nTTL pass over 2,000 documents: {with_ttl * 1000:.0f} ms (without: {without * 1000:.0f})"
    )
    assert answer["pruned"] == 0
    assert await coll.count_documents({}) == 2000


async def test_a_matching_find_one_and_update_scans_even_by_id(counting_db: Database) -> None:
    coll = await filled(counting_db)
    query = {"_id": "d00005", "n": 5}

    by_update_one = await rows_read(counting_db, lambda: coll.update_one(query, BUMP))
    by_find_one_and_update = await rows_read(
        counting_db, lambda: coll.find_one_and_update(query, BUMP)
    )

    # Both change one document by `_id`; only one of them reads the whole collection.
    assert by_update_one < 10, by_update_one
    assert by_find_one_and_update >= 2000, by_find_one_and_update


async def test_a_hinted_query_walks_the_whole_index(counting_db: Database) -> None:
    """Explain reads the same either way; only counting shows the hint ignoring the bounds."""
    coll = await filled(counting_db)
    query = {"status": "pending", "created_at": {"$gte": NOW - timedelta(minutes=30)}}
    unhinted = await rows_read(counting_db, lambda: coll.find(query).to_list())
    hinted = await rows_read(counting_db, lambda: coll.find(query).hint("status_created").to_list())
    assert winning_stage(await coll.find(query).hint("status_created").explain()) == "IXSCAN"
    assert unhinted < 100, unhinted  # the 11 pending of the last 30 minutes, twice
    assert hinted >= 2000, hinted


async def test_a_limit_does_not_stop_an_index_walk(counting_db: Database) -> None:
    coll = await filled(counting_db)
    page = await rows_read(counting_db, lambda: coll.find({}).sort("n", -1).limit(5).to_list())
    assert page >= 2000, page


async def test_a_one_sided_range_reads_the_documents_missing_the_field(
    counting_db: Database,
) -> None:
    """`{$lte: date}` bounds a MongoDB 7 index scan to dates; SecantusDB also walks the null
    keys of every document without the field. A lower bound (`$gte` a date) restores it."""
    coll = await filled(counting_db)
    await coll.insert_many([{"_id": f"c{i}", "check_after": NOW} for i in range(5)])
    await coll.create_index("check_after", name="check_after")
    one_sided = {"check_after": {"$lte": NOW}}
    both = {"check_after": {"$gte": datetime(1970, 1, 1, tzinfo=UTC), "$lte": NOW}}
    assert await rows_read(counting_db, lambda: coll.find(one_sided).to_list()) >= 2000
    assert await rows_read(counting_db, lambda: coll.find(both).to_list()) < 20


async def test_a_range_on_id_is_a_collection_scan(counting_db: Database) -> None:
    coll = await filled(counting_db)
    page = coll.find({"_id": {"$gt": "d01000"}}, {"_id": 1}).sort("_id", 1).limit(100)
    assert winning_stage(await page.explain()) == "COLLSCAN"
    assert await rows_read(counting_db, page.to_list) >= 2000


async def test_explain_of_an_id_beside_exists_reports_a_scan_it_does_not_run(
    counting_db: Database,
) -> None:
    coll = await filled(counting_db)
    query = {"_id": "d00005", "missing": {"$exists": False}, "n": {"$not": {"$gt": 9}}}
    assert winning_stage(await coll.find(query).explain()) == "COLLSCAN"
    assert await rows_read(counting_db, lambda: coll.find(query).to_list()) < 10


async def test_every_write_is_its_own_commit(local_mongo_db: Database) -> None:
    """One insert at a time pays a commit (an fsync with --sync-on-commit) each; a batch pays
    one. Printed, never asserted on time: run with -s to see the figures (`make bench` has
    the inbox's figures)."""
    coll = local_mongo_db.commits
    documents = [{"_id": f"c{i:04d}", "pad": "p" * 2000} for i in range(128)]
    started = time.perf_counter()
    for document in documents[:64]:
        await coll.insert_one(document)
    one_by_one = time.perf_counter() - started
    started = time.perf_counter()
    await coll.insert_many(documents[64:])
    batched = time.perf_counter() - started
    print(
        f"\n64 inserts one by one: {one_by_one * 1000:.0f} ms; "
        f"as one batch: {batched * 1000:.0f} ms"
    )
    assert await coll.count_documents({}) == len(documents)
