"""The MongoDB client (PyMongo's async API) and the request dependency that hands out the database.

The storage code runs on MongoDB 7 and on the local SecantusDB, so it uses what both do (TTL and
partial indexes, `$expr`, transactions included) and every query uses an index; where the two
differ, docs/local-mongodb.md says how the code works around it.
"""

import asyncio
from typing import Annotated, Any

from fastapi import Depends, Request
from pymongo import AsyncMongoClient
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import PyMongoError

Document = dict[str, Any]
PING_TIMEOUT_SECONDS = 2.0


def create_mongo_client(url: str) -> AsyncMongoClient[Document]:
    """Connects lazily; requests fail after a few seconds (not thirty) when MongoDB is down."""
    return AsyncMongoClient(
        url,
        tz_aware=True,
        appname="sales-service",
        serverSelectionTimeoutMS=3000,
        connectTimeoutMS=3000,
    )


async def ping(database: AsyncDatabase[Document]) -> bool:
    try:
        await asyncio.wait_for(database.command("ping"), PING_TIMEOUT_SECONDS)
    except (PyMongoError, TimeoutError):
        return False
    return True


async def get_database(request: Request) -> AsyncDatabase[Document]:
    database: AsyncDatabase[Document] = request.app.state.database
    return database


Database = Annotated[AsyncDatabase[Document], Depends(get_database)]


async def update_by_id(
    collection: AsyncCollection[Document],
    query: Document,
    update: Document,
    *,
    upsert: bool = False,
) -> Document | None:
    """`update_one` on a query naming `_id`, then the document as it is now; None if nothing
    matched. Used instead of `find_one_and_update` for compare-and-sets: SecantusDB answers a
    `find_one_and_update` that matches by scanning the whole collection (see
    docs/local-mongodb.md). The document read back holds this write and possibly a later one,
    which is all a compare-and-set's caller needs: a fresh state to plan from."""
    result = await collection.update_one(query, update, upsert=upsert)
    if result.matched_count == 0 and result.upserted_id is None:
        return None
    return await collection.find_one({"_id": query["_id"]})
