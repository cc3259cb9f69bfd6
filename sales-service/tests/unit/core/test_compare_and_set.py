"""The compare-and-set retry helper: plans again on every miss, and gives up when busy."""

import pytest

from app.core.compare_and_set import Keep, Write, compare_and_set


class Busy(Exception):
    pass


class Counter:
    """A document whose writes miss `misses` times (others got there first)."""

    def __init__(self, misses: int) -> None:
        self.value, self.version, self.misses, self.loads = 0, 0, misses, 0

    async def load(self) -> tuple[int, int]:
        self.loads += 1
        return self.value, self.version

    async def write(self, state: tuple[int, int], change: int) -> int | None:
        if self.misses:
            self.misses -= 1
            self.version += 1
            self.value += 10  # someone else's change
            return None
        assert state[1] == self.version
        self.value, self.version = change, self.version + 1
        return change


def add_one(state: tuple[int, int]) -> Keep[int] | Write[int]:
    return Write(state[0] + 1)


async def test_a_missed_write_is_planned_again_on_a_fresh_read() -> None:
    counter = Counter(misses=2)
    result = await compare_and_set(load=counter.load, plan=add_one, write=counter.write, busy=Busy)
    assert (result, counter.loads) == (21, 3)  # planned on what the others wrote


async def test_keep_answers_without_writing() -> None:
    counter = Counter(misses=0)
    result = await compare_and_set(
        load=counter.load, plan=lambda state: Keep(-1), write=counter.write, busy=Busy
    )
    assert (result, counter.version) == (-1, 0)


async def test_a_given_first_state_saves_the_first_read() -> None:
    counter = Counter(misses=0)
    await compare_and_set(
        load=counter.load, plan=add_one, write=counter.write, busy=Busy, first=(0, 0)
    )
    assert counter.loads == 0


async def test_too_many_misses_raise_busy() -> None:
    counter = Counter(misses=5)
    with pytest.raises(Busy):
        await compare_and_set(
            load=counter.load, plan=add_one, write=counter.write, busy=Busy, attempts=3
        )
