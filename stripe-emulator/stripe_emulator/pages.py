"""Browser-facing routes: the Stripe.js stand-in, the 3D Secure redirect page, a demo page."""

from __future__ import annotations

import html
import json
from functools import lru_cache
from importlib import resources
from string import Template

from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route

from stripe_emulator.api import base_url_of, emulator_of
from stripe_emulator.config import STRIPE_JS_RELEASE
from stripe_emulator.money import format_amount


def _js_string(value: str) -> str:
    """A JavaScript string literal that cannot close the surrounding <script>."""
    return json.dumps(value).replace("<", "\\u003c")


def _asset(name: str) -> str:
    return resources.files("stripe_emulator.stripejs").joinpath(name).read_text(encoding="utf-8")


# The stand-in's parts, each with one job, joined into one script in one shared scope.
STRIPE_JS_PARTS = (
    "api.js",
    "card-input.js",
    "styles.js",
    "element.js",
    "elements-group.js",
    "challenge.js",
    "stripe.js",
)


@lru_cache(maxsize=1)
def stripe_js_source() -> str:
    parts = "\n".join(f"// ---- {name}\n{_asset(name)}" for name in STRIPE_JS_PARTS)
    return (
        "/* Stripe.js stand-in served by the offline Stripe emulator (test mode only). */\n"
        "(function () {\n"
        '"use strict";\n'
        f"var RELEASE_TRAIN = {json.dumps(STRIPE_JS_RELEASE)};\n"
        f"{parts}\n"
        "})();\n"
    )


async def stripe_js(request: Request) -> Response:
    return Response(
        stripe_js_source(),
        media_type="application/javascript",
        headers={"Cache-Control": "no-cache"},
    )


async def challenge_page(request: Request) -> Response:
    """Where `next_action.redirect_to_url` sends the customer when a `return_url` was given."""
    intent_id = request.path_params["intent"]
    emulator = emulator_of(request)
    intent = emulator.store.payment_intents.get(intent_id)
    if intent is None:
        return HTMLResponse("<h1>Unknown PaymentIntent</h1>", status_code=404)
    page = Template(_asset("challenge.html")).substitute(
        intent_id=_js_string(intent_id),
        client_secret=_js_string(request.query_params.get("client_secret", "")),
        return_url=_js_string(request.query_params.get("return_url", "")),
        amount=html.escape(format_amount(intent["amount"], intent["currency"])),
    )
    return HTMLResponse(page)


async def demo_page(request: Request) -> Response:
    """A page that pays a PaymentIntent with the stand-in; makes one when none is given."""
    emulator = emulator_of(request)
    client_secret = request.query_params.get("client_secret")
    if not client_secret:
        intent = emulator.payment_intents.create(
            {"amount": 1999, "currency": "usd", "payment_method_types": ["card"],
             "description": "Stripe emulator demo"},
            base_url=base_url_of(request),
        )  # fmt: skip
        client_secret = intent["client_secret"]
        emulator.changed()
    page = Template(_asset("demo.html")).substitute(
        script_src=html.escape(f"{base_url_of(request)}/v3"),
        publishable_key=_js_string(emulator.config.publishable_key),
        client_secret=_js_string(client_secret),
    )
    return HTMLResponse(page)


ROUTES = [
    Route("/v3", stripe_js, methods=["GET"]),
    Route("/v3/", stripe_js, methods=["GET"]),
    Route("/endive/stripe.js", stripe_js, methods=["GET"]),
    Route("/_emulator/3ds/{intent}", challenge_page, methods=["GET"]),
    Route("/_emulator/demo", demo_page, methods=["GET"]),
]
