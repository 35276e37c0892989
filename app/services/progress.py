"""Progress and cancellation for long work, without any Qt in it.

A job receives a ``Progress`` and calls ``step()`` as it goes; ``step`` raises
``Cancelled`` once someone asked to stop, so the job's unit of work rolls back and nothing
is half-written. The screen that started the job watches the same object.
"""

from __future__ import annotations

import threading
from collections.abc import Callable


class Cancelled(Exception):
    """The person asked to stop; the work was rolled back."""


class Progress:
    def __init__(self, on_step: Callable[[int, int], None] | None = None) -> None:
        self._cancel = threading.Event()
        self._on_step = on_step
        self.done = 0
        self.total = 0

    def cancel(self) -> None:
        self._cancel.set()

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def step(self, done: int, total: int) -> None:
        """Report ``done`` of ``total``; raise Cancelled if a stop was asked for."""
        self.done, self.total = done, total
        if self._on_step is not None:
            self._on_step(done, total)
        if self._cancel.is_set():
            raise Cancelled
