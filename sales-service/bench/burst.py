"""Does a slow Stripe block the event loop? Time create-intents one after another, then 64 at
once: if every wait on Stripe overlaps, the burst costs about what the database work costs, plus
one Stripe delay, not 64 of them."""

from collections.abc import Mapping
from dataclasses import dataclass, field

from bench.load import run_load
from bench.scenarios import RequestFactory
from bench.stack import Stack

SEQUENTIAL = 4
BURST = 64


@dataclass(frozen=True)
class BurstTimes:
    sequential_seconds: float  # SEQUENTIAL requests one after another
    burst_seconds: float  # BURST requests at once
    failures: int
    burst_cpu: dict[str, float] = field(default_factory=dict)  # CPU seconds per process

    def busy(self, process: str) -> float:
        """A process's CPU during the burst, as a share of one core."""
        return self.burst_cpu.get(process, 0.0) / self.burst_seconds if self.burst_seconds else 0.0

    @property
    def one(self) -> float:
        return self.sequential_seconds / SEQUENTIAL


async def time_bursts(stack: Stack, requests: RequestFactory) -> BurstTimes:
    port = stack.ports.sales
    sequential = await run_load(
        port, requests, concurrency=1, max_requests=SEQUENTIAL, max_seconds=120
    )
    before = stack.cpu_seconds()
    burst = await run_load(port, requests, concurrency=BURST, max_requests=BURST, max_seconds=120)
    after = stack.cpu_seconds()
    cpu = {name: after[name] - before.get(name, 0.0) for name in after}
    return BurstTimes(sequential.elapsed, burst.elapsed, sequential.errors + burst.errors, cpu)


def format_burst(bursts: Mapping[int, BurstTimes], label: str = "create-intents") -> str:
    lines = [f"{SEQUENTIAL} {label} one after another, then {BURST} at once:"]
    for latency, times in bursts.items():
        lines.append(
            f"  Stripe +{latency:>3} ms: one at a time {times.one:.2f} s each; "
            f"{BURST} at once {times.burst_seconds:.2f} s = {times.burst_seconds / times.one:.1f}"
            f" sequential ones (blocking calls would take ~{BURST * times.one:.1f} s); "
            f"app cpu {times.busy('sales'):.0%}, db cpu {times.busy('mongo'):.0%}"
            + (f"; {times.failures} failed" if times.failures else "")
        )
    if len(bursts) == 2:
        fast, slow = (bursts[latency] for latency in sorted(bursts))
        delay = (max(bursts) - min(bursts)) / 1000
        lines.append(
            f"  {delay * 1000:.0f} ms more per Stripe call made the {BURST} at once "
            f"{slow.burst_seconds - fast.burst_seconds:.2f} s slower; calls blocking the event "
            f"loop would make them {BURST * delay:.1f} s slower. The rest is database work."
        )
    return "\n".join(lines)
