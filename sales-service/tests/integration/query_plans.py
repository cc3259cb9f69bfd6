"""Records the queries a repository method sends, and judges whether each one uses an index.

A repository's collections are swapped for recording stand-ins that pass every call through to
the real collection, so the queries judged are the ones the code sends. Each is explained; a
plan with a COLLSCAN at any depth is then timed, because the local server's explain is not
always right: it reports every `update`/`delete` as a scan of an empty filter (so a write is
explained as the find of its filter), and some filters (`_id` beside `$exists` or `$not`) as a
scan that the query itself does not run. The timing runs the query once its collection holds
SHADOW_DOCUMENTS more documents, and calls it a scan when it costs more than the geometric mean of a
lookup by `_id` and a real scan there.
"""

import math
import os
import statistics
import time
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field, replace
from typing import Any

from pymongo import ReturnDocument
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.asynchronous.cursor import AsyncCursor

Document = dict[str, Any]
Collection = AsyncCollection[Document]
# 20,000 answers beyond doubt; filling that many into collections with five or more indexes
# takes SecantusDB about a minute each, so a routine run uses 2,000 (a scan still costs ~20x a
# lookup by `_id` there). QUERY_PLAN_DOCUMENTS=20000 runs the full check.
SHADOW_DOCUMENTS = int(os.environ.get("QUERY_PLAN_DOCUMENTS", "2000"))
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


async def explain(query: Query) -> Document:
    coll = query.collection
    if query.kind == "count":
        pipeline = [{"$match": query.filter}, {"$group": {"_id": 1, "n": {"$sum": 1}}}]
        return await coll.database.command(
            "explain", {"aggregate": coll.name, "pipeline": pipeline, "cursor": {}}
        )
    if query.kind == "aggregate":
        command: Document = {"aggregate": coll.name, "pipeline": query.pipeline, "cursor": {}}
        if query.hint:
            command["hint"] = query.hint
        return await coll.database.command("explain", command)
    if query.kind == "find_one_and_update":
        modify: Document = {"findAndModify": coll.name, "query": query.filter}
        modify.update(update=query.update, upsert=query.upsert)
        if query.sort:
            modify["sort"] = dict(query.sort)
        if query.hint:
            modify["hint"] = query.hint
        return await coll.database.command("explain", modify)
    # A find, or a write explained as the find of its filter (the server's own explain of an
    # update or delete ignores the filter).
    cursor = coll.find(query.filter, query.projection)
    if query.sort:
        cursor = cursor.sort(query.sort)
    if query.hint:
        cursor = cursor.hint(query.hint)
    return await cursor.skip(query.skip).limit(query.limit or 0).explain()


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


class Shadow:
    """Times queries on their own collection once it holds SHADOW_DOCUMENTS more (filler) ones."""

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
        for start in range(0, SHADOW_DOCUMENTS, BATCH):
            await coll.insert_many(
                [
                    {"_id": f"filler-{i:06d}", "filler": i}
                    | dict.fromkeys(unique_fields, f"filler-{i:06d}")
                    for i in range(start, min(start + BATCH, SHADOW_DOCUMENTS))
                ]
            )
        self._filled.add(coll.full_name)

    async def _median_seconds(self, run: Callable[[], Awaitable[Any]], times: int = 3) -> float:
        samples = []
        for _ in range(times):
            started = time.perf_counter()
            await run()
            samples.append(time.perf_counter() - started)
        return statistics.median(samples)

    async def timings(self, query: Query) -> tuple[float, float, float]:
        """Seconds for (the same kind of query by `_id`, the query, the same kind scanning),
        at SHADOW_DOCUMENTS more documents: a write is compared with writes, a read with reads."""
        await self.fill(query.collection)
        kind = query.kind if query.kind in WRITES or query.kind == "find_one_and_update" else "find"
        like = replace(query, kind=kind, sort=[], skip=0, limit=1, hint=None, pipeline=[])
        by_id = replace(like, filter={"_id": "no-such-record"})
        scan = replace(like, filter={"no_such_field": 1})
        return (
            await self._median_seconds(lambda: _run(by_id), 5),
            await self._median_seconds(lambda: _run(query)),
            await self._median_seconds(lambda: _run(scan)),
        )


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


def looks_like_a_scan(by_id: float, took: float, scan: float) -> bool:
    return took > math.sqrt(by_id * scan)
