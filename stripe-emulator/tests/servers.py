"""Real servers for the tests: the emulator in a thread, and a webhook receiver."""

from __future__ import annotations

import json
import socket
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import stripe
import uvicorn

from stripe_emulator import EmulatorConfig, create_app
from stripe_emulator.config import WebhookRetryPolicy
from tests.answer_recorder import RECORDER, Answer, RecordingMiddleware


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class EmulatorThread:
    """The emulator served by uvicorn on a free port, in a background thread."""

    def __init__(self, config: EmulatorConfig) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        server_config = uvicorn.Config(
            RecordingMiddleware(create_app(config)),
            host="127.0.0.1",
            port=self.port,
            log_level="warning",
        )
        self._server = uvicorn.Server(server_config)
        self._thread = threading.Thread(target=self._server.run, daemon=True)

    def start(self) -> None:
        self._thread.start()
        deadline = time.monotonic() + 10
        while not self._server.started:
            if time.monotonic() > deadline or not self._thread.is_alive():
                raise RuntimeError("the emulator did not start")
            time.sleep(0.02)

    def stop(self) -> None:
        self._server.should_exit = True
        self._thread.join(timeout=10)


def emulator_test_config(secret_key: str, publishable_key: str) -> EmulatorConfig:
    return EmulatorConfig(
        secret_key=secret_key,
        publishable_key=publishable_key,
        refund_settle_seconds=0.3,
        webhook_retry=WebhookRetryPolicy(max_attempts=4, backoff_base_seconds=0.1),
        # Payouts only when a test runs them: a run crossing 00:00 UTC makes none of its own.
        payout_schedule="manual",
        payout_settle_seconds=0.3,
    )


@dataclass
class ReceivedWebhook:
    event: stripe.Event
    payload: dict[str, Any]
    signature: str
    received_at: float


@dataclass
class WebhookReceiver:
    """A small HTTP server that verifies each webhook with `stripe.Webhook.construct_event`."""

    secret: str
    received: list[ReceivedWebhook] = field(default_factory=list)
    rejected: list[str] = field(default_factory=list)
    # Statuses to answer (in order) before answering 200.
    failures_to_serve: list[int] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def __post_init__(self) -> None:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                payload = self.rfile.read(int(self.headers["Content-Length"]))
                signature = self.headers.get("Stripe-Signature", "")
                status = receiver.handle(payload, signature)
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, format: str, *args: Any) -> None:
                return

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}/webhook"
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()

    def handle(self, payload: bytes, signature: str) -> int:
        try:
            event = stripe.Webhook.construct_event(payload, signature, self.secret)
        except (stripe.SignatureVerificationError, ValueError) as error:
            with self._lock:
                self.rejected.append(str(error))
            return 400
        with self._lock:
            if self.failures_to_serve:
                return self.failures_to_serve.pop(0)
            body = json.loads(payload)
            self.received.append(ReceivedWebhook(event, body, signature, time.monotonic()))
        RECORDER.add(Answer(f"webhook {event.id} ({event.type})", body, publishable=False))
        return 200

    def types(self) -> list[str]:
        with self._lock:
            return [hook.event.type for hook in self.received]

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
