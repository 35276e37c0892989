"""The rhythm of the automatic exchanges with the delegation's service: the first try
soon after the window shows, a half hour between tries that get through, a pause that
doubles after each failure (capped at two hours) used early only when something changed,
and the count starting again after a success."""

from __future__ import annotations

import datetime as dt

from app.sync.schedule import RHYTHM, Rhythm, next_try, pause_after

OPENED = dt.datetime(2026, 11, 23, 8, 0, tzinfo=dt.UTC)
MINUTE = dt.timedelta(minutes=1)


def test_the_first_try_of_a_session_comes_seconds_after_the_window_shows() -> None:
    assert next_try(last=None, failures=0, opened=OPENED) == OPENED + dt.timedelta(seconds=5)
    # A try made before this session (yesterday, or by the command line before the window
    # opened) does not delay it, whatever it came to.
    yesterday = OPENED - dt.timedelta(hours=20)
    for failures in (0, 3):
        assert next_try(last=yesterday, failures=failures, opened=OPENED) == OPENED + RHYTHM.first


def test_while_the_service_answers_one_try_every_half_hour() -> None:
    last = OPENED + 10 * MINUTE
    assert next_try(last=last, failures=0, opened=OPENED) == last + 30 * MINUTE
    # Typing after a try that got through does not hasten the next one.
    changed = last + MINUTE
    assert next_try(last=last, failures=0, opened=OPENED, changed=changed) == last + 30 * MINUTE


def test_the_pause_doubles_with_each_failure_and_stops_at_two_hours() -> None:
    pauses = [pause_after(n) for n in range(1, 10)]
    assert pauses[:7] == [dt.timedelta(minutes=m) for m in (2, 4, 8, 16, 32, 64, 120)]
    assert pauses[7:] == [dt.timedelta(hours=2)] * 2
    assert pause_after(10_000) == dt.timedelta(hours=2), "no overflow however long it failed"


def test_with_nothing_new_a_failed_try_is_retried_at_the_half_hour_or_the_longer_pause() -> None:
    last = OPENED + MINUTE
    retries = [next_try(last=last, failures=n, opened=OPENED) - last for n in range(1, 10)]
    assert [int(pause / MINUTE) for pause in retries] == [30, 30, 30, 30, 32, 64, 120, 120, 120]


def test_a_change_after_a_failed_try_brings_the_next_one_forward() -> None:
    last = OPENED + MINUTE
    # Changed at once: after the pause (2 minutes for a first failure).
    assert next_try(last=last, failures=1, opened=OPENED, changed=last) == last + 2 * MINUTE
    # Changed later: half a minute after the change, for the typing to end.
    changed = last + 10 * MINUTE
    assert next_try(
        last=last, failures=1, opened=OPENED, changed=changed
    ) == changed + dt.timedelta(seconds=30)
    # Never sooner than the pause of this many failures.
    assert next_try(last=last, failures=4, opened=OPENED, changed=last) == last + 16 * MINUTE
    # Never later than the try that would have come anyway.
    late = last + 50 * MINUTE
    assert next_try(last=last, failures=1, opened=OPENED, changed=late) == last + 30 * MINUTE
    # A change made before the failed try was in its bundle: it hastens nothing.
    before = last - MINUTE
    assert next_try(last=last, failures=1, opened=OPENED, changed=before) == last + 30 * MINUTE


def test_a_success_starts_the_count_again() -> None:
    failed = OPENED + MINUTE
    assert next_try(last=failed, failures=7, opened=OPENED) == failed + 2 * dt.timedelta(hours=1)
    answered = failed + 2 * dt.timedelta(hours=1)
    assert next_try(last=answered, failures=0, opened=OPENED) == answered + 30 * MINUTE
    # The next failure pauses as a first one again.
    failed_again = answered + 30 * MINUTE
    assert (
        next_try(last=failed_again, failures=1, opened=OPENED, changed=failed_again)
        == failed_again + 2 * MINUTE
    )


def test_another_rhythm_is_followed_as_given() -> None:
    quick = Rhythm(
        first=dt.timedelta(0),
        interval=dt.timedelta(seconds=1),
        pause=dt.timedelta(seconds=10),
        cap=dt.timedelta(seconds=25),
        settle=dt.timedelta(0),
    )
    assert next_try(last=None, failures=0, opened=OPENED, rhythm=quick) == OPENED
    assert [pause_after(n, quick).seconds for n in (1, 2, 3, 4)] == [10, 20, 25, 25]
    last = OPENED + MINUTE
    assert next_try(last=last, failures=2, opened=OPENED, rhythm=quick) == last + dt.timedelta(
        seconds=20
    )
