"""The start command the dev scripts use: `python -m stripe_emulator --host … --port …`."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import httpx
import pytest
import stripe

from stripe_emulator.__main__ import parse_args
from tests.conftest import PUBLISHABLE_KEY, SECRET_KEY, WEBHOOK_SECRET, make_client
from tests.servers import WebhookReceiver, free_port
from tests.waiting import eventually

PACKAGE_ROOT = Path(__file__).resolve().parent.parent


def _start(args: list[str], env: dict[str, str]) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "stripe_emulator",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--log-level",
            "warning",
            *args,
        ],
        cwd=PACKAGE_ROOT,
        env={**os.environ, **env},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline and process.poll() is None:
        try:
            if httpx.get(f"{url}/_emulator/health").status_code == 200:
                return process, url
        except httpx.TransportError:
            time.sleep(0.1)
    process.kill()
    output = process.communicate()[0].decode()
    raise AssertionError(f"emulator did not become healthy:\n{output}")


@pytest.fixture
def hook() -> Iterator[WebhookReceiver]:
    receiver = WebhookReceiver(WEBHOOK_SECRET)
    yield receiver
    receiver.stop()


def _stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    process.wait(timeout=10)


async def test_flags_give_keys_and_a_webhook_endpoint(hook: WebhookReceiver) -> None:
    process, url = _start(
        [
            "--secret-key",
            SECRET_KEY,
            "--publishable-key",
            PUBLISHABLE_KEY,
            "--webhook",
            f"{hook.url}={WEBHOOK_SECRET}",
        ],
        env={},
    )
    try:
        health = httpx.get(f"{url}/_emulator/health").json()
        await make_client(url).v1.payment_intents.create_async({"amount": 900, "currency": "usd"})
        await eventually(lambda: hook.types() == ["payment_intent.created"])
    finally:
        _stop(process)

    assert health == {"status": "ok", "api_version": stripe.api_version}


async def test_environment_gives_keys_and_the_webhook(hook: WebhookReceiver) -> None:
    process, url = _start(
        [],
        env={
            "STRIPE_SECRET_KEY": SECRET_KEY,
            "STRIPE_PUBLISHABLE_KEY": PUBLISHABLE_KEY,
            "STRIPE_EMULATOR_WEBHOOK_URL": hook.url,
            "STRIPE_WEBHOOK_SECRET": WEBHOOK_SECRET,
        },
    )
    try:
        endpoints = httpx.get(f"{url}/_emulator/webhook_endpoints").json()["data"]
        reset = httpx.post(f"{url}/_emulator/reset")
        after_reset = httpx.get(f"{url}/_emulator/webhook_endpoints").json()["data"]
    finally:
        _stop(process)

    assert [(e["url"], e["secret"]) for e in endpoints] == [(hook.url, WEBHOOK_SECRET)]
    assert reset.status_code == 200
    assert [e["url"] for e in after_reset] == [hook.url]


def test_a_live_key_is_refused_at_start() -> None:
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "stripe_emulator",
            "--secret-key",
            "sk_live_abc",
            "--publishable-key",
            PUBLISHABLE_KEY,
        ],
        cwd=PACKAGE_ROOT,
        capture_output=True,
        text=True,
        timeout=30,
        env={key: value for key, value in os.environ.items() if not key.startswith("STRIPE_")},
    )

    assert result.returncode == 1
    assert "only accepts a test secret key" in result.stderr


def test_balance_flags_reach_the_settings() -> None:
    args = parse_args(["--exchange-rate", "EUR=1.1", "--exchange-rate", "jpy=0.007",
                       "--available-days", "0", "--payout-schedule", "manual",
                       "--payout-bank-account", "000111111116"])  # fmt: skip

    assert dict(args.exchange_rate) == {"eur": Decimal("1.1"), "jpy": Decimal("0.007")}
    assert (args.available_days, args.payout_schedule) == (0, "manual")
    assert args.payout_bank_account == "000111111116"
    for wrong in (["--exchange-rate", "xyz=1"], ["--exchange-rate", "eur=-1"],
                  ["--payout-schedule", "weekly"]):  # fmt: skip
        with pytest.raises(SystemExit):
            parse_args(wrong)
