"""uvicorn for `--profile`: the process ends on SIGTERM by SystemExit, so cProfile (around it)
writes its stats. Plain uvicorn re-raises the signal once it has shut down, which kills the
process before cProfile can write anything."""

import signal
import sys
from types import FrameType

import uvicorn


def _exit(signum: int, frame: FrameType | None) -> None:
    raise SystemExit(0)


if __name__ == "__main__":
    signal.signal(signal.SIGTERM, _exit)
    sys.exit(uvicorn.main())
