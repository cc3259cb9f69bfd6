"""uvicorn's HTTP protocol, with its one answer of its own in the service's error shape.

A request whose request line or headers cannot be parsed (a control character in a header
value, a malformed header line) never reaches the app: uvicorn answers it with a plain-text
400 itself. Every error of this service is JSON in one shape with a request id, so this
protocol writes that 400 as `{"error": {"code": "bad_request", ...}}` with an `X-Request-ID`
and logs it under that id. Start uvicorn with
`--http app.core.http_protocol:JsonErrorHttpProtocol`.
"""

import json
import logging
import os

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from app.core.errors import BadRequest, error_payload
from app.core.request_id import REQUEST_ID_HEADER

PROTOCOL = "app.core.http_protocol:JsonErrorHttpProtocol"
MESSAGE = (
    "The request could not be parsed: its request line or a header is malformed "
    "(e.g. a control character in a header value)."
)
logger = logging.getLogger("app.errors")


def bad_request_response(request_id: str) -> bytes:
    """The whole HTTP/1.1 answer, closing the connection (the stream cannot be trusted)."""
    body = json.dumps(
        error_payload(BadRequest.code, MESSAGE, request_id), separators=(",", ":")
    ).encode()
    head = (
        "HTTP/1.1 400 Bad Request\r\n"
        "content-type: application/json\r\n"
        f"content-length: {len(body)}\r\n"
        f"{REQUEST_ID_HEADER.lower()}: {request_id}\r\n"
        "connection: close\r\n\r\n"
    )
    return head.encode("ascii") + body


class JsonErrorHttpProtocol(HttpToolsProtocol):
    def send_400_response(self, msg: str) -> None:
        request_id = os.urandom(16).hex()
        logger.warning("unparseable request refused", extra={"request_id": request_id})
        self.transport.write(bad_request_response(request_id))
        self.transport.close()
