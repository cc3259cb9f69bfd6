"""JSON logs: one object per line, carrying the request id of the request being served.

Every request writes one access line, so the formatter is on the hot path: orjson encodes it,
and the time's text is rebuilt once a second, not per line.
"""

import logging
import sys
import time
from typing import Any

import orjson

from app.core.request_id import current_request_id

# Attributes every LogRecord has; anything else on a record came from `extra=` and is logged.
_STANDARD_ATTRS = frozenset(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {
    "message",
    "asctime",
    "taskName",
    "color_message",  # uvicorn's ANSI-coloured copy of the message
}


def _default(value: Any) -> str:
    return str(value)


class JsonFormatter(logging.Formatter):
    def __init__(self) -> None:
        super().__init__()
        self._second = -1
        self._second_text = ""

    def _time(self, created: float) -> str:
        """`2026-01-02T03:04:05.678+00:00`, as `isoformat(timespec="milliseconds")` wrote it."""
        second = int(created)
        if second != self._second:
            self._second_text = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(second))
            self._second = second
        return f"{self._second_text}.{int((created - second) * 1000):03d}+00:00"

    def format(self, record: logging.LogRecord) -> str:
        payload: dict[str, Any] = {
            "time": self._time(record.created),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        request_id = current_request_id()
        if request_id is not None:
            payload["request_id"] = request_id
        attributes = vars(record)
        for key in attributes.keys() - _STANDARD_ATTRS:
            value = attributes[key]
            if value is not None:
                payload[key] = value
        if record.exc_info:
            payload["exception"] = self.formatException(record.exc_info)
        try:
            return orjson.dumps(payload, default=_default).decode()
        except TypeError:  # what orjson refuses (e.g. ints past 64 bits, non-str keys)
            return orjson.dumps({k: _plain(v) for k, v in payload.items()}).decode()


def _plain(value: Any) -> Any:
    if isinstance(value, int) and not -(2**63) <= value < 2**64:
        return str(value)
    return value if isinstance(value, str | int | float) or value is None else str(value)


class _JsonStdoutHandler(logging.StreamHandler):  # type: ignore[type-arg]
    pass


def configure_logging(level: str = "INFO") -> None:
    """Route the root logger and uvicorn's loggers through one JSON handler on stdout."""
    handler = _JsonStdoutHandler(sys.stdout)
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    # Replace only our own handler, so building the app twice does not log every line twice.
    root.handlers = [h for h in root.handlers if not isinstance(h, _JsonStdoutHandler)]
    root.addHandler(handler)
    root.setLevel(level)
    # The JSON lines show none of these, so no record pays for gathering them.
    logging.logThreads = False
    logging.logProcesses = False
    logging.logMultiprocessing = False
    for name in ("uvicorn", "uvicorn.error"):
        uvicorn_logger = logging.getLogger(name)
        uvicorn_logger.handlers = []
        uvicorn_logger.propagate = True
    # The request middleware writes the access line (with request id and duration) instead.
    logging.getLogger("uvicorn.access").disabled = True
