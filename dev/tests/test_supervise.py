"""`make run` brings a crashed sales-service back with a back-off (dev/supervise.sh).

The loop under test is the one dev/run.sh runs, `supervise_while_running GUARD NAME START...`,
driven with lib.sh's own start_bg / wait_until / pid files, on a state directory and free port
of the test's own: a stand-in HTTP server plays the service, so no real `make run` (its ports,
pid files or data) is touched.
"""

import os
import signal
import socket
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]

SCRIPT = """
source dev/lib.sh
source dev/supervise.sh
mkdir -p "$STATE_DIR/logs" "$STATE_DIR/pids"
start_service() {
  start_bg service python3 -m http.server "$PORT" --bind 127.0.0.1
  wait_until service 20 curl -sf -o /dev/null "http://127.0.0.1:$PORT/"
}
start_bg guard sleep 600
start_service
supervise_while_running guard service start_service
log "guard stopped"
stop_one service
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class Supervisor:
    def __init__(self, state_dir: Path) -> None:
        self.state_dir = state_dir
        self.log_path = state_dir / "supervisor.log"
        state_dir.mkdir(parents=True)
        env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "STATE_DIR": str(state_dir),
            "PORT": str(free_port()),
            "SUPERVISE_BACKOFF_MIN": "1",
            "SUPERVISE_BACKOFF_MAX": "2",
            "SUPERVISE_STABLE_SECONDS": "4",
            "SUPERVISE_POLL_SECONDS": "0.2",
        }
        with open(self.log_path, "wb") as log:
            self.process = subprocess.Popen(
                ["bash", "-c", SCRIPT], cwd=REPO_ROOT, env=env, stdout=log, stderr=log
            )

    def pid(self, name: str) -> int | None:
        try:
            pid = int((self.state_dir / "pids" / f"{name}.pid").read_text())
            os.kill(pid, 0)
        except (FileNotFoundError, ValueError, ProcessLookupError):
            return None
        return pid

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def stop(self) -> None:
        for name in ("guard", "service"):
            pid = self.pid(name)
            if pid is not None:
                os.killpg(pid, signal.SIGKILL)
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait(timeout=10)


def wait_for(check: Callable[[], object], within: float, what: str, supervisor: Supervisor) -> None:
    deadline = time.monotonic() + within
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"{what} within {within}s; log:\n{supervisor.log()}")
        time.sleep(0.05)


@pytest.fixture
def supervisor(tmp_path: Path) -> Iterator[Supervisor]:
    running = Supervisor(tmp_path / "state")
    yield running
    running.stop()


def kill_and_wait_back(supervisor: Supervisor) -> float:
    """SIGKILLs the service; returns how long until a new one answered."""
    old = supervisor.pid("service")
    assert old is not None
    os.killpg(old, signal.SIGKILL)
    killed = time.monotonic()
    wait_for(
        lambda: (
            supervisor.pid("service") not in (None, old)
            and "restarted" in supervisor.log().rsplit("stopped;", 1)[-1]
        ),
        15,
        "the service came back",
        supervisor,
    )
    return time.monotonic() - killed


def test_a_killed_service_comes_back_with_a_growing_then_reset_back_off(
    supervisor: Supervisor,
) -> None:
    wait_for(lambda: supervisor.pid("service"), 20, "the service started", supervisor)

    first = kill_and_wait_back(supervisor)
    second = kill_and_wait_back(supervisor)
    time.sleep(4.5)  # stays up longer than SUPERVISE_STABLE_SECONDS
    third = kill_and_wait_back(supervisor)

    log = supervisor.log()
    assert "service stopped; restart #1 in 1s" in log
    assert "service stopped; restart #2 in 2s" in log
    assert "service stopped; restart #3 in 1s" in log
    assert log.count("service restarted") == 3
    assert first >= 1 and second >= 2 and third >= 1
    assert supervisor.process.poll() is None


def test_the_loop_ends_when_the_guard_stops(supervisor: Supervisor) -> None:
    wait_for(lambda: supervisor.pid("service"), 20, "the service started", supervisor)
    guard = supervisor.pid("guard")
    assert guard is not None
    os.killpg(guard, signal.SIGKILL)

    assert supervisor.process.wait(timeout=10) == 0
    assert "guard stopped" in supervisor.log()
    assert supervisor.pid("service") is None
