"""The ASGI application: `/v1` API, `/_emulator` control API, Stripe.js stand-in."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.responses import Response
from starlette.types import Receive, Scope, Send

from stripe_emulator import control, control_balance, pages
from stripe_emulator.api import json_body, to_route, unknown_url_route
from stripe_emulator.change_middleware import ChangeMiddleware
from stripe_emulator.config import EmulatorConfig
from stripe_emulator.errors import invalid_request
from stripe_emulator.fault_middleware import FaultMiddleware
from stripe_emulator.resources import ENDPOINTS
from stripe_emulator.runtime import Emulator

_EXPOSED_HEADERS = ["Request-Id", "Idempotent-Replayed", "Original-Request", "Stripe-Version"]
CONTROL_PREFIX = "/_emulator/"
# The one control route Stripe.js calls from the shop's page (the 3D Secure answer, authorized
# by the intent's client secret, as Stripe's own challenge is).
_BROWSER_CONTROL_SUFFIX = "/three_d_secure"


class ApiCORSMiddleware(CORSMiddleware):
    """CORS for the Stripe API and Stripe.js only: the control API (faults, state, the webhook
    secret) answers no other website, so a page cannot read or drive it from a browser.

    No CORS stops a page reading the answers, not sending: a form or a no-cors fetch still
    arrives. So a control write that a browser sent from another origin (its `Origin` header
    names a site other than the emulator) is refused before it runs."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "") if scope["type"] == "http" else ""
        if path.startswith(CONTROL_PREFIX) and not path.endswith(_BROWSER_CONTROL_SUFFIX):
            if _cross_site_write(scope):
                refused = Response(
                    json_body(_CROSS_SITE.body()), 403, media_type="application/json"
                )
                await refused(scope, receive, send)
                return
            await self.app(scope, receive, send)
            return
        await super().__call__(scope, receive, send)


def _cross_site_write(scope: Scope) -> bool:
    if scope["method"] in ("GET", "HEAD", "OPTIONS"):
        return False
    headers: dict[bytes, bytes] = dict(scope["headers"])
    origin = headers.get(b"origin")
    if origin is None:  # not sent by a browser page: tests, tools, curl
        return False
    own = f"{scope['scheme']}://{headers.get(b'host', b'').decode('latin-1')}"
    return origin.decode("latin-1") != own


_CROSS_SITE = invalid_request(
    "The emulator's control API takes no requests from other websites.", status=403
)


def create_app(config: EmulatorConfig) -> Starlette:
    """Raises `state_file.StateFileError` when the configured state file is unusable."""
    emulator = Emulator(config)

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        await emulator.start()
        try:
            yield
        finally:
            await emulator.stop()

    routes = [
        *(to_route(endpoint) for endpoint in ENDPOINTS),
        *control.ROUTES,
        *control_balance.ROUTES,
        *pages.ROUTES,
        unknown_url_route(),  # last: it takes every path
    ]
    middleware = [
        # Pages on other origins (the gateway, the frontend's dev server) call the API with
        # the publishable key, as Stripe.js does from js.stripe.com.
        Middleware(
            ApiCORSMiddleware,
            allow_origins=["*"],
            allow_methods=["GET", "POST", "DELETE"],
            allow_headers=["*"],
            expose_headers=_EXPOSED_HEADERS,
            max_age=600,
        ),
        Middleware(ChangeMiddleware, changed=emulator.changed),
        Middleware(FaultMiddleware, injector=emulator.faults),
    ]
    app = Starlette(routes=routes, middleware=middleware, lifespan=lifespan)
    app.state.emulator = emulator
    return app
