"""The MongoDB client (PyMongo's async API) and the request dependency that hands out the database.

The storage code runs on MongoDB 7 and on the local SecantusDB, so it uses what both do (TTL and
partial indexes, `$expr`, transactions included) and every query uses an index; where the two
differ, docs/local-mongodb.md says how the code works around it.
"""

import asyncio
from typing import Annotated, Any

from fastapi import Depends, Request
from pymongo import AsyncMongoClient
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


def get_database(request: Request) -> AsyncDatabase[Document]:
    database: AsyncDatabase[Document] = request.app.state.database
    return database


Database = Annotated[AsyncDatabase[Document], Depends(get_database)]
