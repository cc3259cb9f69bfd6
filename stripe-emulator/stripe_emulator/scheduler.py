"""Delayed state changes (settling refunds, async processing, disputes opening on their own).

Each is a named action on one object id with a due time, not a closure, so the pending ones
can be saved with the state and re-armed after a restart.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass

from stripe_emulator.ids import new_id

logger = logging.getLogger(__name__)

Action = Callable[[str], None]


@dataclass(frozen=True)
class PendingAction:
    id: str
    kind: str
    object_id: str
    # Unix time the action is due at.
    due_at: float


class Scheduler:
    def __init__(self, on_change: Callable[[], None] = lambda: None) -> None:
        self._handlers: dict[str, Action] = {}
        self._pending: dict[str, PendingAction] = {}
        self._tasks: dict[str, asyncio.Task[None]] = {}
        self._on_change = on_change

    def register(self, kind: str, handler: Action) -> None:
        self._handlers[kind] = handler

    def call_later(self, delay_seconds: float, kind: str, object_id: str) -> None:
        self.call_at(time.time() + delay_seconds, kind, object_id)

    def call_at(self, due_at: float, kind: str, object_id: str) -> None:
        """Due at a unix time; one already past fires at once (on the next loop turn)."""
        if kind not in self._handlers:
            raise ValueError(f"no handler for scheduled action {kind}")
        self._arm(PendingAction(new_id("sched"), kind, object_id, due_at))

    def cancel(self, kind: str, object_id: str) -> None:
        """Forget the pending actions of this kind on this object (none is fine)."""
        matching = [
            action_id
            for action_id, action in self._pending.items()
            if action.kind == kind and action.object_id == object_id
        ]
        for action_id in matching:
            del self._pending[action_id]
            task = self._tasks.pop(action_id, None)
            if task is not None:
                task.cancel()

    def pending(self) -> list[PendingAction]:
        return sorted(self._pending.values(), key=lambda action: action.due_at)

    def is_pending(self, kind: str, object_id: str | None = None) -> bool:
        return any(
            action.kind == kind and object_id in (None, action.object_id)
            for action in self._pending.values()
        )

    def run_now(self, wanted: Callable[[PendingAction], bool]) -> int:
        """Fire the pending actions `wanted` picks at once, in the order they were due, as if
        their time had come; returns how many."""
        chosen = [action for action in self.pending() if wanted(action)]
        for action in chosen:
            self._pending.pop(action.id, None)
            task = self._tasks.pop(action.id, None)
            if task is not None:
                task.cancel()
            self._fire(action)
        return len(chosen)

    def restore(self, actions: list[PendingAction]) -> None:
        """Re-arm saved actions: each fires at its due time, or at once if that has passed."""
        for action in actions:
            if action.kind in self._handlers:
                self._arm(action)
            else:
                logger.warning("dropping saved action of unknown kind %s", action.kind)

    def _arm(self, action: PendingAction) -> None:
        self._pending[action.id] = action
        task = asyncio.get_running_loop().create_task(self._run(action))
        self._tasks[action.id] = task

    async def _run(self, action: PendingAction) -> None:
        await asyncio.sleep(max(0.0, action.due_at - time.time()))
        self._tasks.pop(action.id, None)
        if self._pending.pop(action.id, None) is not None:
            self._fire(action)

    def _fire(self, action: PendingAction) -> None:
        try:
            self._handlers[action.kind](action.object_id)
        except Exception:
            logger.exception("scheduled emulator action %s failed", action.kind)
        self._on_change()

    def stop(self) -> None:
        """Stop the timers but keep the pending actions, so a final save still holds them."""
        for task in self._tasks.values():
            task.cancel()
        self._tasks.clear()

    def cancel_all(self) -> None:
        self.stop()
        self._pending.clear()
