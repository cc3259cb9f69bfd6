"""Printing the figures: one line per endpoint, Stripe latency and concurrency."""

from dataclasses import dataclass

from bench.load import NO_ANSWER, LoadResult

HEADER = (
    f"{'endpoint':<22}{'stripe':>8}{'clients':>9}{'requests':>10}{'req/s':>9}{'p50 ms':>9}"
    f"{'p99 ms':>9}{'errors':>8}{'5xx':>6}{'503':>6}{'app cpu':>9}{'db cpu':>8}"
    "   vs bare (req/s, p50)"
)


@dataclass(frozen=True)
class Row:
    endpoint: str
    stripe_ms: int | None
    result: LoadResult
    app_cpu_seconds: float
    cpu_seconds: dict[str, float]

    def busy(self, seconds: float) -> str:
        """CPU time as a share of one core over the run."""
        return f"{100 * seconds / self.result.elapsed:.0f}%" if self.result.elapsed else "-"


def format_row(row: Row, bare: LoadResult | None) -> str:
    result = row.result
    stripe = "-" if row.stripe_ms is None else f"{row.stripe_ms} ms"
    line = (
        f"{row.endpoint:<22}{stripe:>8}{result.concurrency:>9}{result.requests:>10}"
        f"{result.rps:>9.0f}{result.percentile_ms(0.50):>9.1f}{result.percentile_ms(0.99):>9.1f}"
        f"{result.errors:>8}{result.server_errors:>6}{result.unavailable:>6}"
        f"{row.busy(row.app_cpu_seconds):>9}"
        f"{row.busy(row.cpu_seconds['mongo']) if 'mongo' in row.cpu_seconds else '-':>8}"
    )
    if bare is not None and bare is not result and result.rps and bare.percentile_ms(0.5):
        rps_ratio = result.rps / bare.rps
        p50_ratio = result.percentile_ms(0.50) / bare.percentile_ms(0.50)
        line += f"   {rps_ratio:>6.3f}x, {p50_ratio:>6.1f}x"
    return line


def status_note(row: Row) -> str | None:
    unexpected = {
        "no answer" if status == NO_ANSWER else str(status): n
        for status, n in row.result.statuses.items()
        if status >= 400 or status == NO_ANSWER
    }
    if not unexpected:
        return None
    return f"  ! {row.endpoint} at {row.result.concurrency} clients answered {unexpected}"


def format_idle(label: str, seconds: float, cpu_seconds: dict[str, float]) -> str:
    """CPU each process used over `seconds` with no request sent: the background jobs' cost."""
    shares = ", ".join(
        f"{name} {100 * used / seconds:.1f}%" for name, used in cpu_seconds.items() if seconds
    )
    return f"idle {seconds:.0f} s ({label}): {shares} of one core"
