"""The HTTP client under the Stripe SDK, against a local socket that answers badly: whatever goes
wrong after the request was sent is the SDK's APIConnectionError (retried, an unknown outcome)."""

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable

import pytest
import stripe

from app.infra.stripe_http import StripeHTTPClient

Answer = Callable[[asyncio.StreamReader, asyncio.StreamWriter], Awaitable[None]]


async def _read_request(reader: asyncio.StreamReader) -> None:
    await reader.readuntil(b"\r\n\r\n")


async def cut_mid_body(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    await _read_request(reader)
    writer.write(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 64\r\n\r\n")
    writer.write(b'{"id": "pi_')
    await writer.drain()
    writer.close()


async def stall_mid_body(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    await _read_request(reader)
    writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 64\r\n\r\n{")
    await writer.drain()
    await asyncio.sleep(5)


async def answer_whole(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    await _read_request(reader)
    writer.write(b'HTTP/1.1 200 OK\r\nContent-Length: 11\r\n\r\n{"id":"x"}\n')
    await writer.drain()
    writer.close()


@pytest.fixture
def serve() -> Callable[[Answer], Awaitable[str]]:
    servers: list[asyncio.Server] = []

    async def start(answer: Answer) -> str:
        server = await asyncio.start_server(answer, "127.0.0.1", 0)
        servers.append(server)
        port = server.sockets[0].getsockname()[1]
        return f"http://127.0.0.1:{port}/v1/payment_intents/pi_1"

    yield start
    for server in servers:
        server.close()


@pytest.fixture
async def client() -> AsyncIterator[StripeHTTPClient]:
    http = StripeHTTPClient(timeout_seconds=0.5)
    yield http
    await http.close_async()


@pytest.mark.parametrize("answer", [cut_mid_body, stall_mid_body], ids=["cut", "stalled"])
async def test_a_failure_after_the_status_line_is_a_connection_error(
    serve: Callable[[Answer], Awaitable[str]], client: StripeHTTPClient, answer: Answer
) -> None:
    url = await serve(answer)
    with pytest.raises(stripe.APIConnectionError) as raised:
        await client.request_async("get", url, {})
    assert raised.value.should_retry


async def test_a_whole_answer_is_its_body_and_status(
    serve: Callable[[Answer], Awaitable[str]], client: StripeHTTPClient
) -> None:
    body, status, _ = await client.request_async("get", await serve(answer_whole), {})
    assert (status, body) == (200, b'{"id":"x"}\n')
