"""The hybrid logical clock that orders changes across laptops with unreliable clocks.

A timestamp is (wall milliseconds, counter). It never goes backwards, even when the
laptop's clock does; receiving a remote timestamp moves it forward past the remote one.
A remote clock far in the future is accepted (refusing it would lose data) but reported,
so the screen can say "this laptop's clock is wrong". When the counter would overflow its
column, the wall part advances by one millisecond instead.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

MAX_COUNTER = 2**31 - 1
FUTURE_TOLERANCE_MS = 24 * 3600 * 1000


def physical_ms() -> int:
    return time.time_ns() // 1_000_000


@dataclass(frozen=True, order=True)
class Timestamp:
    wall: int
    counter: int


class HybridClock:
    def __init__(
        self, wall: int = 0, counter: int = 0, *, physical: Callable[[], int] = physical_ms
    ) -> None:
        self._last = Timestamp(wall, counter)
        self._physical = physical

    @property
    def last(self) -> Timestamp:
        return self._last

    def _after(self, wall: int, counter: int) -> Timestamp:
        if counter >= MAX_COUNTER:
            return Timestamp(wall + 1, 0)
        return Timestamp(wall, counter + 1)

    def tick(self) -> Timestamp:
        """A new timestamp for a local change, later than every one seen so far."""
        now = self._physical()
        last = self._last
        self._last = Timestamp(now, 0) if now > last.wall else self._after(last.wall, last.counter)
        return self._last

    def observe(self, remote: Timestamp) -> bool:
        """Move past a received timestamp. Returns True when ``remote`` is implausibly
        far ahead of this laptop's clock."""
        now = self._physical()
        last = self._last
        wall = max(now, last.wall, remote.wall)
        if wall == last.wall == remote.wall:
            counter = max(last.counter, remote.counter)
        elif wall == last.wall:
            counter = last.counter
        elif wall == remote.wall:
            counter = remote.counter
        else:
            self._last = Timestamp(wall, 0)
            return False
        self._last = self._after(wall, counter)
        return remote.wall > now + FUTURE_TOLERANCE_MS
