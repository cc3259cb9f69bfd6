"""A small HTTP/1.1 load generator: one keep-alive connection per simulated client.

Written on raw asyncio streams because a full HTTP client costs more CPU per request than the
bare endpoint we compare against, and the client shares the machine with the servers.
"""

import asyncio
import contextlib
import json
import statistics
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

RequestFactory = Callable[[int], bytes]
# Recorded as the status of a request that got no answer (connection refused, reset or closed).
NO_ANSWER = 0


def http_request(
    method: str, path: str, port: int, body: Any = None, headers: dict[str, str] | None = None
) -> bytes:
    """Raw request bytes; `body` is JSON-encoded unless it is already bytes."""
    payload = (
        b"" if body is None else body if isinstance(body, bytes) else json.dumps(body).encode()
    )
    lines = [f"{method} {path} HTTP/1.1", f"Host: 127.0.0.1:{port}", "Connection: keep-alive"]
    for name, value in (headers or {}).items():
        lines.append(f"{name}: {value}")
    if body is not None:
        lines.append(f"Content-Length: {len(payload)}")
        if "Content-Type" not in (headers or {}):
            lines.append("Content-Type: application/json")
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + payload


@dataclass
class Response:
    status: int
    body: bytes


class Connection:
    """`source`: the local address to send from (a gateway limits each address on its own)."""

    def __init__(self, port: int, source: str | None = None) -> None:
        self._port = port
        self._local_addr = None if source is None else (source, 0)
        self._reader: asyncio.StreamReader | None = None
        self._writer: asyncio.StreamWriter | None = None

    async def send(self, raw: bytes) -> Response:
        if self._reader is None or self._writer is None:
            self._reader, self._writer = await asyncio.open_connection(
                "127.0.0.1", self._port, local_addr=self._local_addr
            )
        self._writer.write(raw)
        await self._writer.drain()
        head = await self._reader.readuntil(b"\r\n\r\n")
        status_line, *header_lines = head.decode("latin-1").split("\r\n")
        length = 0
        for line in header_lines:
            name, _, value = line.partition(":")
            if name.strip().lower() == "content-length":
                length = int(value.strip())
            elif name.strip().lower() == "transfer-encoding":
                raise RuntimeError("chunked responses are not supported by the bench client")
        body = await self._reader.readexactly(length)
        return Response(int(status_line.split(" ", 2)[1]), body)

    async def close(self) -> None:
        if self._writer is not None:
            writer, self._reader, self._writer = self._writer, None, None
            writer.close()
            with contextlib.suppress(OSError):  # already reset by the server
                await writer.wait_closed()


def client_address(number: int) -> str:
    """A loopback address per simulated client (Linux answers on all of 127.0.0.0/8)."""
    return f"127.0.{1 + number // 250}.{1 + number % 250}"


async def request_once(port: int, raw: bytes) -> Response:
    connection = Connection(port)
    try:
        return await connection.send(raw)
    finally:
        await connection.close()


@dataclass
class LoadResult:
    concurrency: int
    elapsed: float
    latencies: list[float] = field(default_factory=list)
    statuses: Counter[int] = field(default_factory=Counter)

    @property
    def requests(self) -> int:
        return len(self.latencies)

    @property
    def errors(self) -> int:
        """Every request not answered 2xx/3xx, including those with no answer at all."""
        return sum(
            count for status, count in self.statuses.items() if status >= 400 or status == NO_ANSWER
        )

    @property
    def server_errors(self) -> int:
        return sum(count for status, count in self.statuses.items() if status >= 500)

    @property
    def unavailable(self) -> int:
        return self.statuses[503]

    @property
    def no_answer(self) -> int:
        return self.statuses[NO_ANSWER]

    @property
    def succeeded(self) -> int:
        return sum(count for status, count in self.statuses.items() if 200 <= status < 400)

    @property
    def rps(self) -> float:
        return self.requests / self.elapsed if self.elapsed else 0.0

    def percentile_ms(self, share: float) -> float:
        if not self.latencies:
            return 0.0
        if len(self.latencies) == 1:
            return self.latencies[0] * 1000
        cuts = statistics.quantiles(self.latencies, n=100, method="inclusive")
        return cuts[round(share * 100) - 1] * 1000


async def run_load(
    port: int,
    make_request: RequestFactory,
    *,
    concurrency: int,
    max_requests: int,
    max_seconds: float,
    own_addresses: bool = False,
) -> LoadResult:
    """`concurrency` clients send requests back to back until either limit is reached;
    `own_addresses`: each client from a loopback address of its own, as users behind a gateway."""
    result = LoadResult(concurrency=concurrency, elapsed=0.0)
    next_index = 0
    started = time.perf_counter()
    deadline = started + max_seconds

    async def client(number: int) -> None:
        nonlocal next_index
        connection = Connection(port, client_address(number) if own_addresses else None)
        try:
            while next_index < max_requests and time.perf_counter() < deadline:
                raw = make_request(next_index)
                next_index += 1
                sent = time.perf_counter()
                try:
                    status = (await connection.send(raw)).status
                except (OSError, asyncio.IncompleteReadError):
                    status = NO_ANSWER
                    await connection.close()  # the next request opens a new connection
                result.latencies.append(time.perf_counter() - sent)
                result.statuses[status] += 1
        finally:
            await connection.close()

    await asyncio.gather(*(client(number) for number in range(concurrency)))
    result.elapsed = time.perf_counter() - started
    return result
