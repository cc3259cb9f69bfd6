"""A test-only fault hook at the storage boundary: the process dies (or the task is cancelled)
right after its Nth write.

Swap it in for the app's database (`crash_after(app, n)`), run one request, and the Nth write
to MongoDB is applied and then `Crash` is raised; in "crash" mode every later database call
fails too, as nothing runs after a kill. In "cancel" mode the Nth write raises
`asyncio.CancelledError` and later calls go through, as `finally` blocks of a cancelled task do.
Counting the writes of one run (`count_writes`) gives the points to sweep. `pausing` holds a
chosen write until the test lets it go, to force one interleaving of two requests.

Only the task that entered the block (and tasks it starts inside it) sees the faulty database:
the app's background jobs, started before, read the same `app.state.database` but pass
straight through, so a sweep neither counts their writes nor kills them.
"""

import asyncio
import contextlib
import contextvars
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass
from typing import Any, Literal

from fastapi import FastAPI
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.asynchronous.database import AsyncDatabase

Mode = Literal["crash", "cancel"]
Document = dict[str, Any]

WRITE_METHODS = frozenset(
    {
        "insert_one",
        "insert_many",
        "update_one",
        "update_many",
        "replace_one",
        "delete_one",
        "delete_many",
        "find_one_and_update",
        "find_one_and_replace",
        "find_one_and_delete",
        "bulk_write",
    }
)


_ACTIVE: contextvars.ContextVar["WriteCounter | None"] = contextvars.ContextVar(
    "crash_points_counter", default=None
)


class Crash(BaseException):
    """The process died here: a BaseException, so no `except Exception` in the app sees it."""


BeforeWrite = Callable[[str, str], Awaitable[None]]


@dataclass
class WriteCounter:
    crash_at: int | None
    mode: Mode
    before_write: BeforeWrite | None = None
    writes: int = 0
    dead: bool = False

    def before_call(self) -> None:
        if self.dead and self.mode == "crash":
            raise Crash("the process is gone")

    def after_write(self) -> None:
        self.writes += 1
        if self.crash_at is not None and self.writes == self.crash_at:
            self.dead = True
            if self.mode == "crash":
                raise Crash(f"killed after write {self.writes}")
            raise asyncio.CancelledError(f"cancelled after write {self.writes}")


class _Collection:
    def __init__(self, inner: AsyncCollection[Document], counter: WriteCounter) -> None:
        self._inner = inner
        self._counter = counter

    def __getattr__(self, name: str) -> Any:
        attr = getattr(self._inner, name)
        if not callable(attr) or name.startswith("_") or _ACTIVE.get() is not self._counter:
            return attr
        counter = self._counter

        if name in WRITE_METHODS:
            collection_name = self._inner.name

            async def write(*args: Any, **kwargs: Any) -> Any:
                counter.before_call()
                if counter.before_write is not None:
                    await counter.before_write(collection_name, name)
                result = await attr(*args, **kwargs)
                counter.after_write()
                return result

            return write

        def call(*args: Any, **kwargs: Any) -> Any:
            counter.before_call()
            return attr(*args, **kwargs)

        return call


class CrashingDatabase:
    """Stands in for an AsyncDatabase; collections come back wrapped."""

    def __init__(self, inner: AsyncDatabase[Document], counter: WriteCounter) -> None:
        self._inner = inner
        self.counter = counter

    def __getitem__(self, name: str) -> _Collection:
        return _Collection(self._inner[name], self.counter)

    def get_collection(self, name: str, **kwargs: Any) -> _Collection:
        return _Collection(self._inner.get_collection(name, **kwargs), self.counter)

    def __getattr__(self, name: str) -> Any:
        if name in ("client", "name", "codec_options", "read_preference", "write_concern"):
            return getattr(self._inner, name)
        if name.startswith("_"):
            raise AttributeError(name)
        attr = getattr(self._inner, name)
        if isinstance(attr, AsyncCollection):
            return _Collection(attr, self.counter)
        return attr


@contextlib.contextmanager
def crashing(
    app: FastAPI,
    crash_at: int | None,
    mode: Mode = "crash",
    before_write: BeforeWrite | None = None,
) -> Iterator[WriteCounter]:
    """Within the block, the app's requests use a database that dies after write `crash_at`."""
    real = app.state.database
    counter = WriteCounter(crash_at=crash_at, mode=mode, before_write=before_write)
    app.state.database = CrashingDatabase(real, counter)
    token = _ACTIVE.set(counter)
    try:
        yield counter
    finally:
        _ACTIVE.reset(token)
        app.state.database = real


def crashed(exc: BaseException) -> bool:
    """True when `exc` is (or wraps, as an exception group may) the simulated crash or cancel."""
    if isinstance(exc, Crash | asyncio.CancelledError):
        return True
    if isinstance(exc, BaseExceptionGroup):
        return all(crashed(inner) for inner in exc.exceptions)
    return False


async def run_until_crash(operation: Awaitable[Any]) -> Any | None:
    """Runs the request; returns its response, or None if the simulated crash ended it."""
    try:
        return await operation
    except BaseException as exc:
        if crashed(exc):
            return None
        raise


async def count_writes(app: FastAPI, operation: Callable[[], Awaitable[Any]]) -> int:
    """How many writes one undisturbed run of `operation` makes."""
    with crashing(app, None) as counter:
        await operation()
    return counter.writes


class Pause:
    """Holds the first `method` write to `collection` (after `skip` such writes) until
    `release()`; `reached` tells when."""

    def __init__(self, collection: str, method: str, skip: int = 0) -> None:
        self.collection = collection
        self.method = method
        self.reached = asyncio.Event()
        self._go = asyncio.Event()
        self._used = False
        self._skip = skip

    async def __call__(self, collection: str, method: str) -> None:
        if self._used or (collection, method) != (self.collection, self.method):
            return
        if self._skip > 0:
            self._skip -= 1
            return
        self._used = True
        self.reached.set()
        await self._go.wait()

    def release(self) -> None:
        self._go.set()


@contextlib.contextmanager
def pausing(app: FastAPI, pause: Pause) -> Iterator[Pause]:
    with crashing(app, None, before_write=pause):
        yield pause
