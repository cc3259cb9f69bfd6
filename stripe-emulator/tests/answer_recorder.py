"""Keeps every JSON body the emulator answers in the tests (and every webhook it sends), so each
test can check them against Stripe's types (`stripe_types`) once it is done."""

from __future__ import annotations

import base64
import json
import threading
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs

from starlette.types import ASGIApp, Message, Receive, Scope, Send


@dataclass(frozen=True)
class Answer:
    where: str  # "GET /v1/charges/ch_… → 200", or "webhook evt_…"
    body: Any
    publishable: bool  # asked with a publishable key (Stripe.js's narrower view)


class AnswerRecorder:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._answers: list[Answer] = []
        self.taken = 0

    def add(self, answer: Answer) -> None:
        with self._lock:
            self._answers.append(answer)

    def peek(self) -> list[Answer]:
        with self._lock:
            return list(self._answers)

    def take(self) -> list[Answer]:
        with self._lock:
            answers, self._answers = self._answers, []
            self.taken += len(answers)
            return answers


RECORDER = AnswerRecorder()


class RecordingMiddleware:
    """Records the JSON answers to the Stripe API (`/v1/`), and those of the control API that
    are Stripe objects (the intent a 3D Secure answer returns)."""

    def __init__(self, app: ASGIApp, recorder: AnswerRecorder = RECORDER) -> None:
        self._app = app
        self._recorder = recorder

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self._app(scope, receive, send)
            return
        request_body = bytearray()
        response_body = bytearray()
        status = 0
        is_json = False

        async def receiving() -> Message:
            message = await receive()
            request_body.extend(message.get("body", b""))
            return message

        async def sending(message: Message) -> None:
            nonlocal status, is_json
            if message["type"] == "http.response.start":
                status = message["status"]
                is_json = (b"content-type", b"application/json") in message["headers"]
            elif message["type"] == "http.response.body" and is_json:
                response_body.extend(message.get("body", b""))
                if not message.get("more_body"):
                    self._record(scope, bytes(request_body), status, bytes(response_body))
            await send(message)

        await self._app(scope, receiving, sending)

    def _record(self, scope: Scope, request_body: bytes, status: int, content: bytes) -> None:
        try:
            body: Any = json.loads(content)
        except ValueError:
            body = content.decode(errors="replace")  # reported as no Stripe object
        path: str = scope["path"]
        stripe_object = isinstance(body, dict) and "object" in body
        if not path.startswith("/v1/") and not stripe_object:
            return
        where = f"{scope['method']} {path} → {status}"
        self._recorder.add(Answer(where, body, _publishable(scope, request_body)))


def _publishable(scope: Scope, request_body: bytes) -> bool:
    headers = dict(scope["headers"])
    key = headers.get(b"authorization", b"").decode("latin-1").removeprefix("Bearer ")
    if key.startswith("Basic "):
        try:
            key = base64.b64decode(key.removeprefix("Basic ")).decode("latin-1").split(":")[0]
        except ValueError:  # not base64: the emulator refuses it anyway
            key = ""
    form = {**parse_qs(scope.get("query_string", b"").decode()),
            **parse_qs(request_body.decode("latin-1"))}  # fmt: skip
    return any(given.startswith("pk_") for given in [key, *form.get("key", [])])
