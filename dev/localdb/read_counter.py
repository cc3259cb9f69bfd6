"""SecantusDB with a count of the rows each query reads: `dev/localdb/serve --count-reads`.

SecantusDB's explain cannot say what a query reads: its `executionStats` are made from the plan
(an index scan reports as many keys and documents as it returns; a hinted query walks the whole
index and still explains as a bounded scan), and its explain of an update or delete ignores the
filter. The truth is in the storage engine: every document and index entry a query touches is a
move of a WiredTiger cursor. This launcher counts those moves (`next`, `prev`, `search`,
`search_near`) on the documents and index tables, and answers them to the command
`{readCounts: 1}` as `{documents, index_entries}` (counted since the previous `readCounts`), so
a test can tell an index lookup from a scan by counting, not by timing, whatever else the
machine is doing. `serve` gives it a configuration without the TTL pass (which reads whole
collections once a minute); `secantusAdmin.pruneTtl` still runs one on demand.

Runs in the local server's own venv; nothing of the service imports it.
"""

import sys
import threading
from collections.abc import Iterator
from typing import Any

from secantus import cli, commands, storage

MOVES = frozenset({"next", "prev", "search", "search_near"})
_counts = {"documents": 0, "index_entries": 0}
_lock = threading.Lock()


def _count(kind: str) -> None:
    with _lock:
        _counts[kind] += 1


def _kind(table: str) -> str | None:
    if table.startswith(storage._DOC_TABLE):
        return "documents"
    if table.startswith(storage._IDX_ENTRIES_TABLE):
        return "index_entries"
    return None


class CountingCursor:
    """A WiredTiger cursor that counts its moves; every other call passes straight through."""

    def __init__(self, real: Any, kind: str) -> None:
        self._real = real
        self._kind = kind

    def __getattr__(self, name: str) -> Any:
        attribute = getattr(self._real, name)
        if name not in MOVES:
            return attribute

        def move(*args: Any) -> Any:
            _count(self._kind)
            return attribute(*args)

        return move

    # The mapping and iteration forms WiredTiger's Python cursors also offer.
    def __getitem__(self, key: Any) -> Any:
        _count(self._kind)
        return self._real[key]

    def __setitem__(self, key: Any, value: Any) -> None:
        self._real[key] = value

    def __delitem__(self, key: Any) -> None:
        del self._real[key]

    def __iter__(self) -> Iterator[Any]:
        for row in self._real:
            _count(self._kind)
            yield row


def _counting(open_cursor: Any) -> Any:
    def cursor(self: Any, table: str, *args: Any, **kwargs: Any) -> Any:
        real = open_cursor(self, table, *args, **kwargs)
        kind = _kind(table)
        return real if kind is None else CountingCursor(real, kind)

    return cursor


def _read_counts(_doc: dict[str, Any], _ctx: Any) -> dict[str, Any]:
    with _lock:
        answer = dict(_counts)
        _counts.update(documents=0, index_entries=0)
    return {**answer, "ok": 1.0}


def install() -> None:
    storage.Storage._cursor = _counting(storage.Storage._cursor)
    commands._HANDLERS["readCounts"] = _read_counts


if __name__ == "__main__":
    install()
    sys.exit(cli.main(sys.argv[1:]))
