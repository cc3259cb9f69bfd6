"""One compare-and-set retry loop for every document written with a `version` check.

A change to a document that others may change at the same moment is: read it, decide from what
was read, write only if the document is still as read, and on a miss start over from a fresh
read. Every such loop in the service is this one:

    result = await compare_and_set(
        load=lambda: repository.get(record_id),       # the current state
        plan=lambda state: Keep(answer) or Write(change),
        write=lambda state, change: repository.compare_and_set(...),  # None when it missed
        busy=RecordBusy,                               # raised after `attempts` misses
    )

`plan` must be a pure function of the state it is given: it runs again on every retry, so what it
decides always holds for the version that is written. Returning `Keep` ends the loop without a
write (the change is already there, or is not allowed). `first` skips the initial load when the
caller already holds a state it read.

`write` answers None for a miss: the state it was planned from changed meanwhile. What must
follow a landed write exactly once (an audit record, a recount) goes in `write` after the write
lands, since the loop ends there; what follows either outcome goes after the call.
"""

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

State = TypeVar("State")
Change = TypeVar("Change")
Result = TypeVar("Result")

DEFAULT_ATTEMPTS = 50


@dataclass(frozen=True)
class Keep(Generic[Result]):
    """Nothing to write: the loop answers `result`."""

    result: Result


@dataclass(frozen=True)
class Write(Generic[Change]):
    """Try to write `change` over the state it was planned from."""

    change: Change


async def compare_and_set(
    *,
    load: Callable[[], Awaitable[State]],
    plan: Callable[[State], Keep[Result] | Write[Change]],
    write: Callable[[State, Change], Awaitable[Result | None]],
    busy: Callable[[], BaseException],
    attempts: int = DEFAULT_ATTEMPTS,
    first: State | None = None,
) -> Result:
    """Plans and writes until a write lands or the plan says `Keep`; raises `busy()` after
    `attempts` writes that missed (the document kept changing under us)."""
    state = first if first is not None else await load()
    for attempt in range(attempts):
        if attempt:
            state = await load()
        decision = plan(state)
        if isinstance(decision, Keep):
            return decision.result
        written = await write(state, decision.change)
        if written is not None:
            return written
    raise busy()
