"""`--state-file`: objects, events, idempotent results and timed changes survive restarts."""

from __future__ import annotations

import asyncio
import json
import random
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.conftest import SECRET_KEY, WEBHOOK_SECRET, make_client
from tests.emulator_process import EmulatorProcess
from tests.servers import WebhookReceiver
from tests.waiting import eventually

AUTH = {"Authorization": f"Bearer {SECRET_KEY}"}
# No payout of its own around 00:00 UTC to change what these tests read.
MANUAL_PAYOUTS = ("--payout-schedule", "manual")
PENDING_REFUND_CARD = {"number": "4000000000007726", "exp_month": 1, "exp_year": 2040}


@pytest.fixture
def state_path(tmp_path: Path) -> Path:
    return tmp_path / "emulator-state.json"


@pytest.fixture
def emulators(tmp_path: Path) -> Iterator[list[EmulatorProcess]]:
    started: list[EmulatorProcess] = []
    yield started
    for emulator in started:
        emulator.kill()


def _emulator(
    started: list[EmulatorProcess], tmp_path: Path, state: Path, *extra: str
) -> EmulatorProcess:
    emulator = EmulatorProcess(
        tmp_path / "emulator.log",
        ["--state-file", str(state), "--refund-settle-seconds", "1.5", *MANUAL_PAYOUTS, *extra],
    )
    started.append(emulator)
    return emulator


def _restart(emulator: EmulatorProcess, how: str) -> None:
    emulator.terminate() if how == "sigterm" else emulator.kill()
    emulator.start()


async def test_objects_events_and_idempotent_results_survive_a_sigterm(
    emulators: list[EmulatorProcess], tmp_path: Path, state_path: Path
) -> None:
    emulator = _emulator(emulators, tmp_path, state_path)
    emulator.start()
    client = make_client(emulator.url)
    paid = await client.v1.payment_intents.create_async(
        {"amount": 5000, "currency": "usd", "payment_method_types": ["card"],
         "payment_method": "pm_card_visa", "confirm": True, "metadata": {"order": "o1"}}
    )  # fmt: skip
    refund = await client.v1.refunds.create_async({"payment_intent": paid.id, "amount": 1200})
    disputed = await client.v1.payment_intents.create_async(
        {"amount": 700, "currency": "usd", "payment_method_types": ["card"],
         "payment_method": "pm_card_visa", "confirm": True}
    )  # fmt: skip
    dispute = httpx.post(
        f"{emulator.url}/_emulator/charges/{disputed.latest_charge}/dispute", json={}
    ).json()
    form = {"amount": "900", "currency": "usd", "metadata[payment_id]": "pay_1"}
    first = httpx.post(f"{emulator.url}/v1/payment_intents", data=form,
                       headers={**AUTH, "Idempotency-Key": "key-1"})  # fmt: skip
    events_before = [event.id for event in await client.v1.events.list_async({"limit": 100})]

    _restart(emulator, "sigterm")

    client = make_client(emulator.url)
    intent = await client.v1.payment_intents.retrieve_async(paid.id)
    charge = await client.v1.charges.retrieve_async(paid.latest_charge)
    assert (intent.status, intent.amount_received, intent.metadata.to_dict()) == (
        "succeeded", 5000, {"order": "o1"}
    )  # fmt: skip
    assert (charge.amount_refunded, charge.refunded) == (1200, False)
    assert (await client.v1.refunds.retrieve_async(refund.id)).amount == 1200
    assert (await client.v1.disputes.retrieve_async(dispute["id"])).status == "needs_response"
    events_after = [event.id for event in await client.v1.events.list_async({"limit": 100})]
    assert events_after == events_before
    replay = httpx.post(f"{emulator.url}/v1/payment_intents", data=form,
                        headers={**AUTH, "Idempotency-Key": "key-1"})  # fmt: skip
    assert replay.headers.get("Idempotent-Replayed") == "true"
    assert replay.content == first.content
    # The refund is still checked against what was refunded before the restart.
    too_much = httpx.post(f"{emulator.url}/v1/refunds", headers=AUTH,
                          data={"payment_intent": paid.id, "amount": "3801"})  # fmt: skip
    assert too_much.status_code == 400
    assert "restored state from" in emulator.log()


async def test_a_sigkill_loses_at_most_the_last_save_interval(
    emulators: list[EmulatorProcess], tmp_path: Path, state_path: Path
) -> None:
    emulator = _emulator(emulators, tmp_path, state_path)
    emulator.start()
    client = make_client(emulator.url)
    intent = await client.v1.payment_intents.create_async({"amount": 1500, "currency": "usd"})
    await asyncio.sleep(0.6)  # more than the 0.2 s save interval and one write

    _restart(emulator, "sigkill")

    found = await make_client(emulator.url).v1.payment_intents.retrieve_async(intent.id)
    assert found.amount == 1500


def test_sigkills_during_a_stream_of_writes_never_leave_a_broken_file(
    emulators: list[EmulatorProcess], tmp_path: Path, state_path: Path
) -> None:
    emulator = _emulator(emulators, tmp_path, state_path)
    emulator.start()
    dice = random.Random(12)
    known = 0
    for _ in range(4):
        stop = threading.Event()

        def write_stream(url: str = emulator.url, stop: threading.Event = stop) -> None:
            with httpx.Client(base_url=url, headers=AUTH, timeout=5) as api:
                while not stop.is_set():
                    try:
                        api.post("/v1/payment_intents", data={"amount": "800", "currency": "usd"})
                    except httpx.TransportError:
                        return

        writer = threading.Thread(target=write_stream)
        writer.start()
        time.sleep(dice.uniform(0.3, 0.9))
        emulator.kill()
        stop.set()
        writer.join(timeout=10)

        json.loads(state_path.read_bytes())  # whole, never half-written
        emulator.start()
        listed = httpx.get(f"{emulator.url}/v1/payment_intents", headers=AUTH,
                           params={"limit": 100}).json()["data"]  # fmt: skip
        assert len(listed) >= min(known, 100)
        known = len(listed)
    assert known > 0
    # Temporary files a kill cut short are removed at start; only the live process writes one.
    leftovers = {path.name for path in tmp_path.glob(".emulator-state.json.*.tmp")}
    assert leftovers <= {f".emulator-state.json.{emulator.pid}.tmp"}


@pytest.mark.parametrize("how", ["sigterm", "sigkill"])
async def test_a_pending_refund_settles_after_a_restart(
    emulators: list[EmulatorProcess], tmp_path: Path, state_path: Path, how: str
) -> None:
    emulator = _emulator(emulators, tmp_path, state_path)
    emulator.start()
    client = make_client(emulator.url)
    method = await client.v1.payment_methods.create_async(
        {"type": "card", "card": PENDING_REFUND_CARD}
    )
    intent = await client.v1.payment_intents.create_async(
        {"amount": 3000, "currency": "usd", "payment_method_types": ["card"],
         "payment_method": method.id, "confirm": True}
    )  # fmt: skip
    refund = await client.v1.refunds.create_async({"payment_intent": intent.id})
    assert refund.status == "pending"
    if how == "sigkill":
        await asyncio.sleep(0.5)

    _restart(emulator, how)

    client = make_client(emulator.url)

    async def settled() -> bool:
        return (await client.v1.refunds.retrieve_async(refund.id)).status == "succeeded"

    await eventually(settled, within=5)
    updates = await client.v1.events.list_async({"type": "refund.updated"})
    assert [event.data.object["id"] for event in updates] == [refund.id]


async def test_a_processing_payment_settles_after_a_restart(
    emulators: list[EmulatorProcess], tmp_path: Path, state_path: Path
) -> None:
    emulator = _emulator(emulators, tmp_path, state_path)
    emulator.start()
    httpx.post(f"{emulator.url}/_emulator/faults", json={"processing_ms": 1500})
    client = make_client(emulator.url)
    intent = await client.v1.payment_intents.create_async(
        {"amount": 2500, "currency": "usd", "payment_method_types": ["card"],
         "payment_method": "pm_card_visa", "confirm": True}
    )  # fmt: skip
    assert intent.status == "processing"

    _restart(emulator, "sigterm")

    client = make_client(emulator.url)

    async def succeeded() -> bool:
        return (await client.v1.payment_intents.retrieve_async(intent.id)).status == "succeeded"

    await eventually(succeeded, within=5)
    # Faults are a run-time setting and start over; the timed change itself was kept.
    assert httpx.get(f"{emulator.url}/_emulator/faults").json()["processing_ms"] == 0


def _scheduled(state_path: Path) -> set[tuple[str, str]]:
    saved = json.loads(state_path.read_bytes())["scheduled"]
    return {(action["kind"], action["object_id"]) for action in saved}


async def test_authorization_deadlines_survive_a_restart(
    emulators: list[EmulatorProcess], tmp_path: Path, state_path: Path
) -> None:
    emulator = _emulator(emulators, tmp_path, state_path)
    emulator.start()
    client = make_client(emulator.url)
    manual = {"amount": 3000, "currency": "usd", "payment_method_types": ["card"],
              "capture_method": "manual", "payment_method": "pm_card_visa",
              "confirm": True}  # fmt: skip
    held = await client.v1.payment_intents.create_async(manual)
    due_soon = await client.v1.payment_intents.create_async(manual)
    seven_days = 7 * 24 * 3600
    httpx.post(f"{emulator.url}/_emulator/payment_intents/{due_soon.id}/age",
               json={"seconds": seven_days - 2}).raise_for_status()  # fmt: skip

    emulator.terminate()
    assert _scheduled(state_path) == {
        ("payment_intent.expire_authorization", held.id),
        ("payment_intent.expire_authorization", due_soon.id),
    }
    await asyncio.sleep(2.5)  # the second deadline passes while the emulator is down
    emulator.start()

    client = make_client(emulator.url)

    async def expired() -> bool:
        intent = await client.v1.payment_intents.retrieve_async(due_soon.id)
        return intent.cancellation_reason == "expired"

    await eventually(expired, within=5)
    expiries = await client.v1.events.list_async({"type": "charge.expired"})
    assert [event.data.object["id"] for event in expiries] == [due_soon.latest_charge]
    still_held = await client.v1.payment_intents.retrieve_async(held.id)
    assert (still_held.status, still_held.amount_capturable) == ("requires_capture", 3000)


async def test_undelivered_webhooks_go_out_after_a_restart(
    emulators: list[EmulatorProcess], tmp_path: Path, state_path: Path
) -> None:
    hook = WebhookReceiver(WEBHOOK_SECRET, failures_to_serve=[500] * 1000)
    try:
        emulator = _emulator(emulators, tmp_path, state_path,
                             "--webhook", f"{hook.url}={WEBHOOK_SECRET}")  # fmt: skip
        emulator.start()
        intent = await make_client(emulator.url).v1.payment_intents.create_async(
            {"amount": 1000, "currency": "usd"}
        )
        emulator.terminate()
        hook.failures_to_serve.clear()
        emulator.start()

        await eventually(lambda: hook.types() == ["payment_intent.created"])
        assert hook.received[0].event.data.object["id"] == intent.id
        event_url = f"{emulator.url}/v1/events/{hook.received[0].event.id}"
        await eventually(lambda: httpx.get(event_url, headers=AUTH).json()["pending_webhooks"] == 0)
    finally:
        hook.stop()


def test_a_missing_file_starts_empty_and_says_so(
    emulators: list[EmulatorProcess], tmp_path: Path
) -> None:
    state = tmp_path / "new" / "state.json"
    state.parent.mkdir()
    emulator = _emulator(emulators, tmp_path, state)
    emulator.start()

    listed = httpx.get(f"{emulator.url}/v1/payment_intents", headers=AUTH).json()
    assert listed["data"] == []
    assert "no state file at" in emulator.log()
    emulator.terminate()
    assert json.loads(state.read_bytes())["format"] == "stripe-emulator-state"


@pytest.mark.parametrize(
    "content",
    [
        b'{"format": "stripe-emulator-state", "version": 1, "obj',
        b"[]",
        b'{"format": "x"}',
        b'{"format": "stripe-emulator-state", "version": 99}',
    ],
    ids=["truncated", "not-an-object", "other-format", "unknown-version"],
)
def test_an_unusable_file_is_refused_and_left_untouched(
    emulators: list[EmulatorProcess], tmp_path: Path, state_path: Path, content: bytes
) -> None:
    state_path.write_bytes(content)
    emulator = _emulator(emulators, tmp_path, state_path)
    emulator.start(wait=False)

    assert emulator.exit_code() == 1
    assert "is unusable" in emulator.log()
    assert "delete it to start empty" in emulator.log()
    assert state_path.read_bytes() == content
