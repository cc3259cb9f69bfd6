"""The local MongoDB-compatible server (SecantusDB): the guarantees the money rules rely on.

Single-document updates must be atomic under concurrency (the refund reservation and every state
transition are compare-and-sets on one document), a slow client must not block the others, and
a write acknowledged before `kill -9` must be there after a restart.
"""

import asyncio
import struct
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import bson
import pytest
from localdb_process import LocalDb, free_port
from pymongo import AsyncMongoClient, ReturnDocument
from pymongo.asynchronous.database import AsyncDatabase

pytestmark = pytest.mark.asyncio(loop_scope="function")

Database = AsyncDatabase[dict[str, Any]]

OP_MSG = 2013
# A blocked client would wait for ever; a busy machine may take seconds. The bound only ends
# the wait, it does not judge speed.
OTHER_CLIENT_BUDGET_S = 15.0


def op_msg(request_id: int, command: dict[str, Any]) -> bytes:
    body = struct.pack("<IB", 0, 0) + bson.encode(command)
    return struct.pack("<iiii", 16 + len(body), request_id, 0, OP_MSG) + body


async def open_raw(url: str) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
    parts = urlsplit(url)
    return await asyncio.open_connection(parts.hostname, parts.port or 27017)


async def answered(coro: Any) -> None:
    await asyncio.wait_for(coro, OTHER_CLIENT_BUDGET_S)


async def test_concurrent_inc_loses_no_update(local_mongo_db: Database) -> None:
    counters = local_mongo_db.counters
    await counters.insert_one({"_id": "a", "n": 0})

    results = await asyncio.gather(
        *(counters.update_one({"_id": "a"}, {"$inc": {"n": 1}}) for _ in range(100))
    )

    assert [r.modified_count for r in results] == [1] * 100
    assert await counters.find_one({"_id": "a"}) == {"_id": "a", "n": 100}


async def test_concurrent_find_one_and_update_returns_each_value_once(
    local_mongo_db: Database,
) -> None:
    counters = local_mongo_db.counters
    await counters.insert_one({"_id": "a", "n": 0})

    docs = await asyncio.gather(
        *(
            counters.find_one_and_update(
                {"_id": "a"}, {"$inc": {"n": 1}}, return_document=ReturnDocument.AFTER
            )
            for _ in range(100)
        )
    )

    assert sorted(doc["n"] for doc in docs if doc is not None) == list(range(1, 101))


async def test_concurrent_compare_and_set_has_exactly_one_winner(local_mongo_db: Database) -> None:
    records = local_mongo_db.records
    await records.insert_one({"_id": "a", "version": 0})

    results = await asyncio.gather(
        *(
            records.update_one({"_id": "a", "version": 0}, {"$inc": {"version": 1}})
            for _ in range(20)
        )
    )

    assert sorted(r.modified_count for r in results) == [0] * 19 + [1]
    assert await records.find_one({"_id": "a"}) == {"_id": "a", "version": 1}


async def test_half_sent_message_does_not_block_other_clients(
    local_mongodb_url: str, local_mongo_db: Database
) -> None:
    request = op_msg(1, {"insert": "half", "documents": [{"_id": 1}], "$db": local_mongo_db.name})
    _, writer = await open_raw(local_mongodb_url)
    try:
        writer.write(request[: len(request) // 2])
        await writer.drain()

        await answered(local_mongo_db.other.insert_one({"_id": "other"}))
    finally:
        writer.close()
        await writer.wait_closed()

    assert await local_mongo_db.other.find_one({"_id": "other"}) == {"_id": "other"}
    assert await local_mongo_db.half.count_documents({}) == 0


async def test_client_leaving_before_its_reply_does_not_block_other_clients(
    local_mongodb_url: str, local_mongo_db: Database
) -> None:
    _, writer = await open_raw(local_mongodb_url)
    command = {"insert": "abandoned", "documents": [{"_id": 1}], "$db": local_mongo_db.name}
    writer.write(op_msg(1, command))
    await writer.drain()
    writer.close()
    await writer.wait_closed()

    await answered(local_mongo_db.other.insert_one({"_id": "other"}))

    # the server had the whole request, so it still ran, once
    for _ in range(40):
        if await local_mongo_db.abandoned.count_documents({}) > 0:
            break
        await asyncio.sleep(0.05)
    assert await local_mongo_db.abandoned.find({}).to_list() == [{"_id": 1}]


async def test_unacknowledged_writes_keep_the_connection_in_step(
    local_mongodb_url: str, local_mongo_db: Database
) -> None:
    # A server that answered fire-and-forget (moreToCome) requests would have that answer read
    # as the reply to the connection's next command.
    client: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(
        local_mongodb_url, w=0, maxPoolSize=1
    )
    try:
        items = client[local_mongo_db.name].items
        for i in range(5):
            await items.insert_one({"_id": i})
        assert await items.count_documents({}) == 5
        assert await items.find_one({"_id": 3}) == {"_id": 3}
    finally:
        await client.close()


async def test_data_survives_a_stop_and_start(localdb_serve: Path, restart_dir: Path) -> None:
    server = LocalDb(localdb_serve, free_port(), restart_dir / "data", restart_dir / "server.log")
    async with server:
        client: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(server.url)
        await client.survive.docs.insert_many([{"_id": i, "n": i * i} for i in range(10)])
        await client.survive.docs.update_one({"_id": 3}, {"$set": {"tag": "kept"}})
        await client.close()

        assert await server.stop() == 0
        await server.start()

        client = AsyncMongoClient(server.url)
        docs = await client.survive.docs.find({}).sort("_id", 1).to_list()
        await client.close()

    expected: list[dict[str, Any]] = [{"_id": i, "n": i * i} for i in range(10)]
    expected[3]["tag"] = "kept"
    assert docs == expected


async def test_write_acknowledged_before_kill_9_is_there_after_restart(
    localdb_serve: Path, restart_dir: Path
) -> None:
    server = LocalDb(localdb_serve, free_port(), restart_dir / "data", restart_dir / "server.log")
    async with server:
        client: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(server.url)
        await client.durable.docs.insert_one({"_id": "acked", "amount": 4000})
        await client.durable.docs.update_one({"_id": "acked"}, {"$inc": {"amount": 1}})
        await server.kill()
        await client.close()

        await server.start()
        client = AsyncMongoClient(server.url)
        doc = await client.durable.docs.find_one({"_id": "acked"})
        await client.close()

    assert doc == {"_id": "acked", "amount": 4001}


async def test_time_of_300_sequential_inserts(
    local_mongo_db: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    items = local_mongo_db.timed
    await items.insert_one({"_id": "warm-up"})

    start = time.perf_counter()
    for i in range(300):
        await items.insert_one({"_id": i, "payload": "x" * 100})
    elapsed = time.perf_counter() - start

    with capsys.disabled():
        print(f"\n300 sequential inserts: {elapsed:.3f} s")
    assert await items.count_documents({}) == 301
