"""Sends requests until the gateway's rate limit answers 429, however slow the machine is.

A fixed number of requests proves nothing on a busy machine: if each takes longer than the
refill interval, the bucket never empties. Sending until the first 429 (within a generous bound
that only ends the wait) and bounding the 200s by the time it took holds at any speed.
"""

import math
import time
from collections.abc import Callable
from dataclasses import dataclass

import httpx

GIVE_UP_AFTER_SECONDS = 60.0


@dataclass
class Limited:
    responses: list[httpx.Response]
    elapsed: float

    @property
    def statuses(self) -> list[int]:
        return [r.status_code for r in self.responses]

    def most_allowed(self, burst: int, per_second: float) -> int:
        """The most 200s the limit lets through: the request that empties the bucket, its
        burst, and what refills while the loop ran."""
        return 1 + burst + math.ceil(per_second * self.elapsed)


def send_until_limited(send: Callable[[int], httpx.Response], extra: int = 5) -> Limited:
    """Calls `send(i)` until a 429, then `extra` more times (still limited)."""
    started = time.monotonic()
    responses: list[httpx.Response] = []
    while 429 not in [r.status_code for r in responses]:
        assert time.monotonic() - started < GIVE_UP_AFTER_SECONDS, "never rate limited"
        responses.append(send(len(responses)))
    responses.extend(send(len(responses)) for _ in range(extra))
    return Limited(responses, time.monotonic() - started)
