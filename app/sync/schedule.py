"""When the desktop application next tries the delegation's sync service by itself.

The rhythm of the automatic exchanges, as plain arithmetic on moments (no clock read, no
timer: the screen asks, then sets its timer to the answer):

- the first try of a session comes a few seconds after the window shows;
- while the service answers, one try every half hour;
- a try that did not get through is tried again after a pause that doubles with each
  failure in a row (2, 4, 8 … minutes, never more than 2 hours), but that early only when
  something changed in the register since: with nothing new to send, the half hour (or
  the pause, once longer) is soon enough. A success starts the count again.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class Rhythm:
    #: From the window showing to the first try of the session.
    first: dt.timedelta = dt.timedelta(seconds=5)
    #: Between two tries while the service answers.
    interval: dt.timedelta = dt.timedelta(minutes=30)
    #: The pause after one failed try; doubled for each further failure in a row.
    pause: dt.timedelta = dt.timedelta(minutes=2)
    #: The longest pause, however many tries failed.
    cap: dt.timedelta = dt.timedelta(hours=2)
    #: After the first change following a failed try, a moment for the person to finish
    #: what they are typing.
    settle: dt.timedelta = dt.timedelta(seconds=30)


RHYTHM = Rhythm()


def pause_after(failures: int, rhythm: Rhythm = RHYTHM) -> dt.timedelta:
    """The pause after ``failures`` failed tries in a row (at least one)."""
    # Capped before doubling further: 2 ** failures would grow without bound.
    pause = rhythm.pause
    for _ in range(1, failures):
        if pause >= rhythm.cap:
            break
        pause *= 2
    return min(pause, rhythm.cap)


def next_try(
    *,
    last: dt.datetime | None,
    failures: int,
    opened: dt.datetime,
    changed: dt.datetime | None = None,
    rhythm: Rhythm = RHYTHM,
) -> dt.datetime:
    """The moment of the next automatic try.

    ``last``: the last try (by the application or the command line), None if there was
    none; ``failures``: the tries in a row that did not get through, 0 when the last one
    did; ``opened``: when the window showed; ``changed``: the first change to the register
    since the last try, if any.
    """
    if last is None or last < opened:
        return opened + rhythm.first
    if failures <= 0:
        return last + rhythm.interval
    pause = pause_after(failures, rhythm)
    quiet = last + max(rhythm.interval, pause)
    if changed is None or changed < last:
        return quiet
    return min(quiet, max(last + pause, changed + rhythm.settle))
