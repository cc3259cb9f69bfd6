"""Records the queries a repository method sends, and counts what each one reads.

A repository's collections are swapped for recording stand-ins that pass every call through to
the real collection, so the queries judged are the ones the code sends. Each query is then
measured once its collection holds FILLERS more documents that it does not match: one an index
bounds reads none of them, one that scans the collection (or walks a whole index) reads them
all. What it reads is counted, never timed, so a busy machine changes nothing:
- on SecantusDB, by the server itself (`dev/localdb/serve --count-reads` counts the storage
  engine's reads of documents and index entries). Its `explain` cannot be used for this: its
  `executionStats` are made from the plan, a hinted query walks the whole index yet explains
  as a bounded scan, and an update's or delete's explain ignores the filter;
- on MongoDB 7, by `explain` with `executionStats` (keys plus documents examined), for writes
  too.
"""

import os
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from pymongo import AsyncMongoClient, ReturnDocument
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.asynchronous.cursor import AsyncCursor

from tests.integration.private_mongo import PrivateMongo

Document = dict[str, Any]
Collection = AsyncCollection[Document]
# Unmatched documents added to each collection before its queries are measured: a scan reads
# them all, an index lookup none. Counting, not timing, so 2,000 tells as surely as 20,000.
FILLERS = int(os.environ.get("QUERY_PLAN_DOCUMENTS", "2000"))
BATCH = 5000
WRITES = frozenset({"update_one", "update_many", "delete_one", "delete_many"})
INSERTS = frozenset({"insert_one", "insert_many"})


@dataclass
class Query:
    collection: Collection
    kind: str  # find, count, aggregate, find_one_and_update, or one of WRITES or INSERTS
    filter: Document = field(default_factory=dict)
    projection: Any = None
    sort: list[tuple[str, int]] = field(default_factory=list)
    skip: int = 0
    limit: int = 0
    pipeline: list[Document] = field(default_factory=list)
    update: Any = None
    upsert: bool = False
    hint: str | None = None

    def describe(self) -> str:
        if self.kind == "aggregate":
            return f"{self.collection.name}.aggregate({self.pipeline})"
        sort = f" sort={self.sort}" if self.sort else ""
        return f"{self.collection.name}.{self.kind}({self.filter}){sort}"


def _sort_spec(key: Any, direction: Any = None) -> list[tuple[str, int]]:
    if isinstance(key, str):
        return [(key, 1 if direction is None else int(direction))]
    if isinstance(key, dict):
        return [(str(k), int(v)) for k, v in key.items()]
    return [(str(k), int(v)) for k, v in key]


class RecordingCursor:
    def __init__(self, real: AsyncCursor[Document], query: Query) -> None:
        self._real = real
        self._query = query

    def sort(self, key: Any, direction: Any = None) -> "RecordingCursor":
        self._query.sort = _sort_spec(key, direction)
        self._real.sort(key, direction)
        return self

    def skip(self, skip: int) -> "RecordingCursor":
        self._query.skip = skip
        self._real.skip(skip)
        return self

    def limit(self, limit: int) -> "RecordingCursor":
        self._query.limit = limit
        self._real.limit(limit)
        return self

    def hint(self, index: str) -> "RecordingCursor":
        self._query.hint = index
        self._real.hint(index)
        return self

    async def to_list(self, length: int | None = None) -> list[Document]:
        return await self._real.to_list(length)

    def __aiter__(self) -> AsyncCursor[Document]:
        return self._real.__aiter__()


class RecordingCollection:
    """Passes every call to `real`; the query-bearing ones are also appended to `log`."""

    def __init__(self, real: Collection, log: list[Query]) -> None:
        self._real = real
        self._log = log

    def __getattr__(self, name: str) -> Any:
        real = getattr(self._real, name)
        if name in WRITES:
            return self._write(name, real)
        if name in INSERTS:
            self._log.append(Query(self._real, name))
        return real

    def _write(self, kind: str, real: Callable[..., Awaitable[Any]]) -> Callable[..., Any]:
        async def call(filter: Document, *args: Any, **kwargs: Any) -> Any:
            update = args[0] if args else kwargs.get("update")
            self._log.append(Query(self._real, kind, filter, update=update))
            return await real(filter, *args, **kwargs)

        return call

    def find(
        self,
        filter: Document | None = None,
        projection: Any = None,
        *,
        sort: Any = None,
        hint: str | None = None,
    ) -> RecordingCursor:
        query = Query(self._real, "find", filter or {}, projection)
        self._log.append(query)
        cursor = RecordingCursor(self._real.find(filter, projection), query)
        if sort is not None:
            cursor.sort(sort)
        if hint is not None:
            cursor.hint(hint)
        return cursor

    async def find_one(self, filter: Document, projection: Any = None) -> Document | None:
        self._log.append(Query(self._real, "find", filter, projection, limit=1))
        return await self._real.find_one(filter, projection)

    async def count_documents(self, filter: Document, hint: str | None = None) -> int:
        self._log.append(Query(self._real, "count", filter, hint=hint))
        if hint is None:
            return await self._real.count_documents(filter)
        return await self._real.count_documents(filter, hint=hint)

    async def aggregate(self, pipeline: list[Document], hint: str | None = None) -> Any:
        self._log.append(Query(self._real, "aggregate", pipeline=pipeline, hint=hint))
        if hint is None:
            return await self._real.aggregate(pipeline)
        return await self._real.aggregate(pipeline, hint=hint)

    async def find_one_and_update(
        self,
        filter: Document,
        update: Any,
        projection: Any = None,
        sort: Any = None,
        upsert: bool = False,
        return_document: bool = ReturnDocument.BEFORE,
        hint: str | None = None,
    ) -> Document | None:
        spec = _sort_spec(sort) if sort is not None else []
        query = Query(self._real, "find_one_and_update", filter, projection, spec, update=update)
        query.upsert, query.hint = upsert, hint
        self._log.append(query)
        return await self._real.find_one_and_update(
            filter, update, projection, sort, upsert, return_document, hint=hint
        )


def record(repository: object, log: list[Query]) -> None:
    """Swaps each collection the repository holds for a recording one."""
    for name, value in list(vars(repository).items()):
        if isinstance(value, AsyncCollection):
            setattr(repository, name, RecordingCollection(value, log))


async def explain(query: Query, verbosity: str = "queryPlanner") -> Document:
    """The server's explain of the query; a write is explained as the write itself."""
    coll = query.collection
    database = coll.database
    if query.kind == "count":
        pipeline = [{"$match": query.filter}, {"$group": {"_id": 1, "n": {"$sum": 1}}}]
        command: Document = {"aggregate": coll.name, "pipeline": pipeline, "cursor": {}}
        return await database.command("explain", command, verbosity=verbosity)
    if query.kind == "aggregate":
        command = {"aggregate": coll.name, "pipeline": query.pipeline, "cursor": {}}
        if query.hint:
            command["hint"] = query.hint
        return await database.command("explain", command, verbosity=verbosity)
    if query.kind == "find_one_and_update":
        modify: Document = {"findAndModify": coll.name, "query": query.filter}
        modify.update(update=query.update, upsert=query.upsert)
        if query.sort:
            modify["sort"] = dict(query.sort)
        if query.hint:
            modify["hint"] = query.hint
        return await database.command("explain", modify, verbosity=verbosity)
    if query.kind in WRITES:
        many = query.kind.endswith("_many")
        if query.kind.startswith("update"):
            update = {"q": query.filter, "u": query.update, "multi": many, "upsert": query.upsert}
            write: Document = {"update": coll.name, "updates": [update]}
        else:
            write = {
                "delete": coll.name,
                "deletes": [{"q": query.filter, "limit": 0 if many else 1}],
            }
        return await database.command("explain", write, verbosity=verbosity)
    find: Document = {"find": coll.name, "filter": query.filter}
    if query.projection is not None:
        find["projection"] = query.projection
    if query.sort:
        find["sort"] = dict(query.sort)
    if query.hint:
        find["hint"] = query.hint
    if query.skip:
        find["skip"] = query.skip
    if query.limit:
        find["limit"] = query.limit
    return await database.command("explain", find, verbosity=verbosity)


def plan_stages(explained: Any) -> Iterator[str]:
    """Every stage of every winning plan in an explain answer (find, aggregate, command)."""
    if isinstance(explained, dict):
        for key, value in explained.items():
            if key == "rejectedPlans":
                continue
            if key == "stage" and isinstance(value, str):
                yield value
            else:
                yield from plan_stages(value)
    elif isinstance(explained, list):
        for item in explained:
            yield from plan_stages(item)


def index_names(explained: Any) -> Iterator[str]:
    if isinstance(explained, dict):
        for key, value in explained.items():
            if key == "rejectedPlans":
                continue
            if key == "indexName" and isinstance(value, str):
                yield value
            else:
                yield from index_names(value)
    elif isinstance(explained, list):
        for item in explained:
            yield from index_names(item)


class ReadMeter(Protocol):
    async def reads(self, query: Query) -> int:
        """How many documents and index entries the query reads."""
        ...


class CountingServerMeter:
    """SecantusDB started with `--count-reads`: runs the query and asks the server how many
    documents and index entries its storage engine read meanwhile. Exact and deterministic,
    where SecantusDB's own `executionStats` are made from the plan (see the module's doc)."""

    async def reads(self, query: Query) -> int:
        admin = query.collection.database.client.admin
        await admin.command("readCounts")
        await _run(query)
        counted = await admin.command("readCounts")
        return int(counted["documents"]) + int(counted["index_entries"])


class ExplainMeter:
    """MongoDB 7: `explain` with `executionStats` reports the keys and documents examined, for
    writes too (explaining a write does not apply it)."""

    async def reads(self, query: Query) -> int:
        explained = await explain(query, verbosity="executionStats")
        return sum(_examined(explained))


def _examined(explained: Any) -> Iterator[int]:
    if isinstance(explained, dict):
        for key, value in explained.items():
            if key in ("totalKeysExamined", "totalDocsExamined") and isinstance(value, int):
                yield value
            elif key not in ("allPlansExecution", "rejectedPlans"):
                yield from _examined(value)
    elif isinstance(explained, list):
        for item in explained:
            yield from _examined(item)


class Fillers:
    """Adds FILLERS documents, which no query matches, to a collection (once), so a query that
    reads its whole collection (or a whole index) reads at least that many more than one that
    an index bounds."""

    def __init__(self) -> None:
        self._filled: set[str] = set()

    async def fill(self, coll: Collection) -> None:
        if coll.full_name in self._filled:
            return
        unique_fields = [
            key
            for spec in (await coll.index_information()).values()
            if spec.get("unique")
            for key, _ in spec["key"]
            if key != "_id"
        ]
        for start in range(0, FILLERS, BATCH):
            await coll.insert_many(
                [
                    {"_id": f"filler-{i:06d}", "filler": i}
                    | dict.fromkeys(unique_fields, f"filler-{i:06d}")
                    for i in range(start, min(start + BATCH, FILLERS))
                ]
            )
        self._filled.add(coll.full_name)


@dataclass
class Server:
    """Where the measured queries run, and how what they read is counted."""

    url: str
    meter: ReadMeter
    secantus: bool


@asynccontextmanager
async def measuring_server(url: str, data_dir: Path) -> AsyncIterator[Server]:
    """MongoDB 7 where the tests are pointed at one (explain counts what a query examines);
    otherwise a private SecantusDB that counts what each query reads."""
    client: AsyncMongoClient[Document] = AsyncMongoClient(url)
    build = await client.admin.command("buildInfo")
    await client.close()
    if "secantusVersion" not in build:
        yield Server(url, ExplainMeter(), secantus=False)
        return
    private = PrivateMongo(data_dir, count_reads=True)
    await private.start()
    try:
        yield Server(private.url, CountingServerMeter(), secantus=True)
    finally:
        await private.stop()


def reads_the_fillers(reads: int) -> bool:
    """Whether a query that read `reads` rows beside FILLERS unmatched documents scans them."""
    return reads >= FILLERS // 2


async def _run(query: Query) -> Any:
    coll = query.collection
    if query.kind == "count":
        return await coll.count_documents(query.filter)
    if query.kind == "aggregate":
        if query.hint:
            return await (await coll.aggregate(query.pipeline, hint=query.hint)).to_list()
        return await (await coll.aggregate(query.pipeline)).to_list()
    if query.kind == "find_one_and_update":
        # The filter names records the fillers are not, so this changes nothing.
        return await coll.find_one_and_update(
            query.filter, query.update, sort=query.sort or None, hint=query.hint
        )
    if query.kind in WRITES:
        method = getattr(coll, query.kind)
        if "delete" in query.kind:
            return await method(query.filter)
        return await method(query.filter, query.update)
    cursor = coll.find(query.filter, query.projection)
    if query.sort:
        cursor = cursor.sort(query.sort)
    return await cursor.skip(query.skip).limit(query.limit or 0).to_list()
