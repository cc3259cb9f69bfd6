"""Starts nginx with the repo's gateway config on a free port, in front of an upstream.

Two upstreams: the real sales-service started by the test tooling (SALES_SERVICE_URL), and a
small recording server for what only the upstream can see (raw bytes, forwarded headers).
"""

import json
import os
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
SALES_SERVICE_URL = os.environ.get("SALES_SERVICE_URL", "http://127.0.0.1:18003")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Recorded:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class RecordingUpstream:
    address: str
    requests: list[Recorded] = field(default_factory=list)


class _RecordingHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    sink: list[Recorded]

    def _handle(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length)
        headers = {k.lower(): v for k, v in self.headers.items()}
        self.sink.append(Recorded(self.command, self.path, headers, body))
        payload = {"items": ["x" * 64] * 200} if self.path.endswith("/big") else {"ok": True}
        out = json.dumps(payload).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(out)))
        self.end_headers()
        self.wfile.write(out)

    do_GET = do_POST = do_PUT = do_DELETE = _handle

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="session")
def recording_upstream() -> Iterator[RecordingUpstream]:
    sink: list[Recorded] = []
    handler = type("Handler", (_RecordingHandler,), {"sink": sink})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield RecordingUpstream(f"127.0.0.1:{server.server_address[1]}", sink)
    server.shutdown()


def frontend_root() -> Path:
    """A stand-in for the built frontend: routing is what is tested, not the app's pages.

    Under .dev/ rather than pytest's private temp dir: nginx's workers must be able to read it.
    """
    root = REPO_ROOT / ".dev" / "test" / "gateway-frontend"
    (root / "assets").mkdir(parents=True, exist_ok=True)
    (root / "index.html").write_text("<!doctype html><title>ERP</title><div id=root></div>")
    (root / "assets" / "app.js").write_text("console.log('erp');")
    return root


def start_gateway(tmp: Path, upstream: str) -> Iterator[str]:
    port = free_port()
    subprocess.run(
        [
            str(REPO_ROOT / "dev" / "render-gateway.sh"),
            str(tmp),
            str(port),
            upstream,
            str(frontend_root()),
            "http://127.0.0.1:8420",
        ],
        check=True,
    )
    # nginx's stdout is its access log: kept in the gateway's directory for tests that read it.
    with (tmp / "stdout.log").open("wb") as access_log:
        proc = subprocess.Popen(
            ["nginx", "-c", str(tmp / "nginx.conf")], stdout=access_log, stderr=subprocess.PIPE
        )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 10
    while True:
        try:
            if httpx.get(f"{base}/gateway/health").status_code == 200:
                break
        except httpx.TransportError:
            pass
        if time.monotonic() > deadline or proc.poll() is not None:
            proc.kill()
            raise RuntimeError(f"nginx did not start: {proc.stderr.read() if proc.stderr else ''}")
        time.sleep(0.05)
    yield base
    proc.terminate()
    proc.wait(timeout=10)


@pytest.fixture(scope="session")
def app_gateway(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The gateway in front of the real sales-service."""
    upstream = SALES_SERVICE_URL.removeprefix("http://")
    yield from start_gateway(tmp_path_factory.mktemp("gw-app"), upstream)


@pytest.fixture(scope="session")
def recording_gateway(
    tmp_path_factory: pytest.TempPathFactory, recording_upstream: RecordingUpstream
) -> Iterator[str]:
    """The gateway in front of the recording upstream."""
    yield from start_gateway(tmp_path_factory.mktemp("gw-rec"), recording_upstream.address)


@pytest.fixture(scope="session")
def dead_upstream_gateway(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The gateway in front of a port where nothing listens."""
    yield from start_gateway(tmp_path_factory.mktemp("gw-dead"), f"127.0.0.1:{free_port()}")
