"""A request uvicorn cannot parse is answered in the service's JSON error shape, with a request
id, by the protocol every launcher starts uvicorn with (`--http`)."""

import asyncio
import json
import re
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import uvicorn
from starlette.types import Receive, Scope, Send

from app.core.http_protocol import PROTOCOL, JsonErrorHttpProtocol

REPO_ROOT = Path(__file__).resolve().parents[4]


async def hello(scope: Scope, receive: Receive, send: Send) -> None:
    assert scope["type"] == "http"
    await send(
        {"type": "http.response.start", "status": 200, "headers": [(b"content-length", b"5")]}
    )
    await send({"type": "http.response.body", "body": b"hello"})


@pytest.fixture
async def port() -> AsyncIterator[int]:
    config = uvicorn.Config(
        hello,
        host="127.0.0.1",
        port=0,
        http=JsonErrorHttpProtocol,
        lifespan="off",
        log_level="error",
    )
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve())
    while not server.started:  # noqa: ASYNC110 - uvicorn offers no event to wait on
        await asyncio.sleep(0.01)
    yield server.servers[0].sockets[0].getsockname()[1]
    server.should_exit = True
    await task


async def exchange(port: int, request: bytes) -> tuple[str, dict[str, str], bytes]:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(request)
    await writer.drain()
    answer = await asyncio.wait_for(reader.read(), 5)
    writer.close()
    head, _, body = answer.partition(b"\r\n\r\n")
    status, *lines = head.decode("latin-1").split("\r\n")
    headers = {name.lower(): value for name, value in (line.split(": ", 1) for line in lines)}
    return status, headers, body


@pytest.mark.parametrize("value", [b"a\x7fb", b"a\x01b", b"a\x00b"])
async def test_a_control_character_in_a_header_is_a_json_400(port: int, value: bytes) -> None:
    request = b"POST /api/v1/orders HTTP/1.1\r\nHost: x\r\nIdempotency-Key: " + value
    status, headers, body = await exchange(port, request + b"\r\nContent-Length: 2\r\n\r\n{}")
    assert status == "HTTP/1.1 400 Bad Request"
    assert headers["content-type"] == "application/json"
    assert headers["connection"] == "close"
    error = json.loads(body)["error"]
    assert error["code"] == "bad_request"
    assert "header" in error["message"]
    assert re.fullmatch(r"[0-9a-f]{32}", error["request_id"])
    assert headers["x-request-id"] == error["request_id"]
    assert int(headers["content-length"]) == len(body)


async def test_a_malformed_request_line_is_a_json_400(port: int) -> None:
    status, headers, body = await exchange(port, b"GET /\x01 HTTP/1.1\r\nHost: x\r\n\r\n")
    assert status == "HTTP/1.1 400 Bad Request"
    assert json.loads(body)["error"]["request_id"] == headers["x-request-id"]


async def test_a_well_formed_request_reaches_the_app(port: int) -> None:
    status, _, body = await exchange(
        port, b"GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
    )
    assert (status, body) == ("HTTP/1.1 200 OK", b"hello")


@pytest.mark.parametrize(
    "launcher", ["dev/services.sh", "sales-service/Dockerfile", "deploy/tests/local_stack.py"]
)
def test_every_launcher_starts_uvicorn_with_the_protocol(launcher: str) -> None:
    assert PROTOCOL in (REPO_ROOT / launcher).read_text()
