"""The floor to compare with, served the same way as the service:

- `GET /bare`: a FastAPI endpoint returning a constant (what `GET config` is compared with);
- `POST /bare`: a sink that reads the body and answers a constant (what POSTs are compared with);
- `GET /stacked/bare`: the same GET behind the service's own middleware stack and exception
  handlers (request id, access log, error handling, the metrics route), so the stack's cost is
  the ratio of the two.

One process serves all three, so both sides share the dispatch cost (one `startswith`).
"""

import os

from fastapi import FastAPI, Request
from starlette.types import Receive, Scope, Send

from app.core.error_handlers import install_error_handlers
from app.core.logging import configure_logging
from app.core.metrics import router as metrics_router
from app.core.request_id import RequestContextMiddleware

STACKED_PREFIX = "/stacked"

bare_app = FastAPI()


@bare_app.get("/bare")
async def bare() -> dict[str, str]:
    return {"status": "ok"}


@bare_app.post("/bare")
async def bare_sink(request: Request) -> dict[str, str]:
    await request.body()
    return {"status": "ok"}


def _stacked_app() -> FastAPI:
    # The service's level (INFO: the access line is written, as under `make run`) unless told.
    configure_logging(os.environ.get("BENCH_LOG_LEVEL", "INFO"))
    stacked = FastAPI()
    install_error_handlers(stacked)
    stacked.add_middleware(RequestContextMiddleware)
    stacked.include_router(metrics_router)
    stacked.add_api_route("/bare", bare, methods=["GET"])
    return stacked


stacked_app = _stacked_app()


async def app(scope: Scope, receive: Receive, send: Send) -> None:
    if scope["type"] == "http" and scope["path"].startswith(STACKED_PREFIX):
        scope = {**scope, "path": scope["path"][len(STACKED_PREFIX) :]}
        await stacked_app(scope, receive, send)
        return
    await bare_app(scope, receive, send)
