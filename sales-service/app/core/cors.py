"""CORS with refused preflights in the one error shape, instead of Starlette's plain text.

A preflight is answered here, outside the request middleware, so this names its own request id.
"""

from starlette.datastructures import Headers
from starlette.middleware.cors import CORSMiddleware
from starlette.responses import JSONResponse, Response

from app.core.errors import error_payload
from app.core.request_id import REQUEST_ID_HEADER, accepted_or_new

_DROPPED = {"content-type", "content-length"}


class JsonCORSMiddleware(CORSMiddleware):
    def preflight_response(self, request_headers: Headers) -> Response:
        response = super().preflight_response(request_headers)
        if response.status_code < 400:
            return response
        refused = bytes(response.body).decode().removeprefix("Disallowed CORS ")
        request_id = accepted_or_new(request_headers.get(REQUEST_ID_HEADER))
        headers = {k: v for k, v in response.headers.items() if k.lower() not in _DROPPED}
        headers[REQUEST_ID_HEADER] = request_id
        payload = error_payload(
            "cors_refused",
            f"This cross-origin request is not allowed (refused: {refused}).",
            request_id,
        )
        return JSONResponse(payload, status_code=response.status_code, headers=headers)
