import json
import logging
import sys

import pytest
from httpx import ASGITransport, AsyncClient

from app.core.logging import JsonFormatter
from app.main import create_app
from tests.support import bearer, make_settings, make_token


def test_formatter_writes_one_json_object_with_extras() -> None:
    record = logging.LogRecord("app.test", logging.WARNING, __file__, 1, "hello %s", ("you",), None)
    record.order_id = "ord_1"
    line = JsonFormatter().format(record)
    payload = json.loads(line)
    assert "\n" not in line
    assert payload["level"] == "WARNING"
    assert payload["message"] == "hello you"
    assert payload["order_id"] == "ord_1"


def test_formatter_keeps_tracebacks_on_one_line() -> None:
    try:
        raise ValueError("boom")
    except ValueError:
        record = logging.LogRecord("x", logging.ERROR, __file__, 1, "failed", None, None)
        record.exc_info = sys.exc_info()
    line = JsonFormatter().format(record)
    assert "\n" not in line
    assert "ValueError: boom" in json.loads(line)["exception"]


async def test_access_log_line(capsys: pytest.CaptureFixture[str]) -> None:
    app = create_app(make_settings())
    token = make_token(sub="alice", roles=["service"])
    async with AsyncClient(transport=ASGITransport(app), base_url="http://test") as client:
        await client.get(
            "/api/v1/orders/ord_x", headers={**bearer(token), "X-Request-ID": "trace-1"}
        )
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    access = [line for line in lines if line["logger"] == "app.access"]
    assert len(access) == 1
    entry = access[0]
    assert entry["request_id"] == "trace-1"
    assert entry["method"] == "GET"
    assert entry["path"] == "/api/v1/orders/ord_x"
    assert entry["status"] == 403
    assert entry["sub"] == "alice"
    assert entry["duration_ms"] >= 0
