"""Saves the state file in the background, soon after each change, without stalling requests.

Encoding thousands of objects takes hundreds of milliseconds, too long to hold the event loop,
and the objects change under a thread. So a save forks (as Redis's BGSAVE does): the child
holds a frozen copy-on-write view of the state, encodes it and writes it atomically while the
parent keeps serving. The first change after a quiet spell is saved at once; changes during a
save, or during the pause after it (the interval, or twice the save's duration when that is
longer, so saving never takes more than a third of a core), go into the next one. `stop`
writes whatever is left in-process (SIGTERM, Ctrl-C), so only a SIGKILL or a power cut can
lose anything: the changes of the last pause plus one save.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import signal
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import NoReturn

from stripe_emulator.state_file import temporary_path, write_atomically

logger = logging.getLogger(__name__)

_POLL_SECONDS = 0.01


class StateSaver:
    def __init__(self, path: Path, interval_seconds: float, encode: Callable[[], bytes]) -> None:
        self._path = path
        self._interval = interval_seconds
        self._encode = encode
        self._dirty = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._child: int | None = None

    def changed(self) -> None:
        self._dirty.set()

    async def start(self) -> None:
        self._task = asyncio.get_running_loop().create_task(self._run())

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        if self._child is not None:
            # Its snapshot is older than what is written below; it must not rename it over.
            with contextlib.suppress(ProcessLookupError):
                os.kill(self._child, signal.SIGKILL)
            await _exit_status(self._child)
            temporary_path(self._path, self._child).unlink(missing_ok=True)
            self._child = None
        # Always write: a change may have landed while the last save was in flight.
        try:
            write_atomically(self._path, self._encode())
        except OSError:
            logger.exception("could not save the final state to %s", self._path)

    async def _run(self) -> None:
        while True:
            await self._dirty.wait()
            self._dirty.clear()
            started = time.monotonic()
            pid = os.fork()
            if pid == 0:
                _save_in_child(self._path, self._encode)
            self._child = pid
            status = await _exit_status(pid)
            self._child = None
            duration = time.monotonic() - started
            if status != 0:
                logger.error("saving the state to %s failed (status %d); retrying",
                             self._path, status)  # fmt: skip
                temporary_path(self._path, pid).unlink(missing_ok=True)
                self._dirty.set()
            else:
                logger.debug("saved the state in %.0f ms", duration * 1000)
            await asyncio.sleep(max(self._interval, 2 * duration))


async def _exit_status(pid: int) -> int:
    while True:
        waited, status = os.waitpid(pid, os.WNOHANG)  # noqa: ASYNC222 (never blocks)
        if waited == pid:
            return os.waitstatus_to_exitcode(status)
        await asyncio.sleep(_POLL_SECONDS)


def _save_in_child(path: Path, encode: Callable[[], bytes]) -> NoReturn:
    code = 1
    try:
        # Signals meant for the server must not reach its event loop through the inherited
        # wake-up pipe; and the child must not keep the listening socket open if the server
        # is killed meanwhile, or a restart could not bind the port.
        signal.set_wakeup_fd(-1)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        os.closerange(3, os.sysconf("SC_OPEN_MAX"))
        write_atomically(path, encode())
        code = 0
    except BaseException:
        traceback.print_exc()
    finally:
        os._exit(code)
