import asyncio

from pymongo.errors import AutoReconnect

from app.core.periodic import PeriodicTask


async def test_a_failed_round_does_not_end_the_loop() -> None:
    rounds: list[str] = []

    async def job() -> None:
        rounds.append("round")
        if len(rounds) == 1:
            raise AutoReconnect("database away")
        if len(rounds) == 2:
            raise ValueError("a bug in one round")

    task = PeriodicTask("test job", 0.01, job)
    task.start()
    for _ in range(200):
        if len(rounds) >= 3:
            break
        await asyncio.sleep(0.01)
    await task.stop()
    assert len(rounds) >= 3


async def test_stop_before_start_is_harmless() -> None:
    await PeriodicTask("never started", 1, lambda: asyncio.sleep(0)).stop()
