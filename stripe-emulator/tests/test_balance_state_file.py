"""`--state-file` keeps the balance: its transactions, payouts, what each payout carried, a
payout still in transit, and the daily payout's next run."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.conftest import make_client
from tests.emulator_process import EmulatorProcess
from tests.paying import DAY, all_transactions, pay
from tests.waiting import eventually


@pytest.fixture
def state_path(tmp_path: Path) -> Path:
    return tmp_path / "emulator-state.json"


@pytest.fixture
def started(tmp_path: Path) -> Iterator[list[EmulatorProcess]]:
    emulators: list[EmulatorProcess] = []
    yield emulators
    for emulator in emulators:
        emulator.kill()


def _emulator(
    started: list[EmulatorProcess], tmp_path: Path, state: Path, *extra: str
) -> EmulatorProcess:
    emulator = EmulatorProcess(tmp_path / "emulator.log", ["--state-file", str(state), *extra])
    started.append(emulator)
    emulator.start()
    return emulator


async def test_transactions_payouts_and_what_each_carried_survive_a_restart(
    started: list[EmulatorProcess], tmp_path: Path, state_path: Path
) -> None:
    emulator = _emulator(started, tmp_path, state_path, "--payout-schedule", "manual",
                         "--payout-settle-seconds", "1.5")  # fmt: skip
    client = make_client(emulator.url)
    paid = await pay(client, 5000, "eur")
    await client.v1.refunds.create_async({"payment_intent": paid.id, "amount": 1000})
    httpx.post(f"{emulator.url}/_emulator/balance/make_available").raise_for_status()
    [payout] = httpx.post(f"{emulator.url}/_emulator/payouts/run").json()["data"]
    pending = await pay(client, 2000)
    transactions = [t.to_dict() for t in await all_transactions(client)]
    carried = {t.id for t in await all_transactions(client, payout=payout["id"])}
    balance = (await client.v1.balance.retrieve_async()).to_dict()

    emulator.terminate()
    emulator.start()

    client = make_client(emulator.url)
    assert [t.to_dict() for t in await all_transactions(client)] == transactions
    assert {t.id for t in await all_transactions(client, payout=payout["id"])} == carried
    assert (await client.v1.balance.retrieve_async()).to_dict() == balance
    charge = await client.v1.charges.retrieve_async(pending.latest_charge)
    assert charge.balance_transaction == transactions[0]["id"]

    async def paid_out() -> bool:  # the payout in transit settles after the restart
        return (await client.v1.payouts.retrieve_async(payout["id"])).status == "paid"

    await eventually(paid_out, within=8)


def _scheduled(state_path: Path) -> dict[str, float]:
    saved = json.loads(state_path.read_bytes())["scheduled"]
    return {action["kind"]: action["due_at"] for action in saved}


def _miss_the_daily_payout(state_path: Path) -> None:
    """As if the emulator had been down at 00:00 UTC."""
    document = json.loads(state_path.read_bytes())
    for action in document["scheduled"]:
        if action["kind"] == "payouts.daily":
            action["due_at"] = time.time() - 60
    state_path.write_text(json.dumps(document))


async def test_the_daily_payout_is_kept_and_runs_at_start_when_missed(
    started: list[EmulatorProcess], tmp_path: Path, state_path: Path
) -> None:
    emulator = _emulator(started, tmp_path, state_path, "--payout-schedule", "daily")
    client = make_client(emulator.url)
    await pay(client, 5000, payment_method="pm_card_bypassPending")
    pending = await pay(client, 3000)
    emulator.terminate()
    scheduled = _scheduled(state_path)
    next_midnight = int(time.time()) // DAY * DAY + DAY
    assert scheduled["payouts.daily"] == next_midnight
    assert scheduled["balance.release"] == next_midnight - DAY + 2 * DAY

    _miss_the_daily_payout(state_path)
    emulator.start()

    client = make_client(emulator.url)

    async def one_payout() -> list[str]:
        return [payout.id for payout in (await client.v1.payouts.list_async()).data]

    payout_ids: list[str] = await eventually(one_payout)
    [payout_id] = payout_ids
    payout = await client.v1.payouts.retrieve_async(payout_id)
    assert payout.amount == 4825  # the pending charge is not due yet
    assert [t.status for t in await all_transactions(client, source=pending.latest_charge)] == [
        "pending"
    ]
    await asyncio.sleep(0.3)
    emulator.terminate()
    assert _scheduled(state_path)["payouts.daily"] == next_midnight  # armed again, once
