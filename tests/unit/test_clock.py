"""The hybrid logical clock never goes backwards, whatever the laptop's clock does."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from app.services.clock import FUTURE_TOLERANCE_MS, MAX_COUNTER, HybridClock, Timestamp


class FakeWall:
    def __init__(self, now: int) -> None:
        self.now = now

    def __call__(self) -> int:
        return self.now


@given(
    st.lists(
        st.one_of(
            st.tuples(st.just("tick"), st.integers(0, 2**45)),
            st.tuples(st.just("observe"), st.integers(0, 2**45), st.integers(0, MAX_COUNTER)),
        ),
        max_size=60,
    )
)
def test_timestamps_strictly_increase(steps: list[tuple]) -> None:
    wall = FakeWall(0)
    clock = HybridClock(physical=wall)
    last = clock.last
    for step in steps:
        wall.now = step[1]
        if step[0] == "tick":
            stamp = clock.tick()
        else:
            remote = Timestamp(step[1], step[2])
            clock.observe(remote)
            stamp = clock.last
            assert stamp > remote
        assert stamp > last
        assert 0 <= stamp.counter <= MAX_COUNTER
        last = stamp


def test_clock_going_backwards_does_not_reorder() -> None:
    wall = FakeWall(10_000)
    clock = HybridClock(physical=wall)
    first = clock.tick()
    wall.now = 5_000  # the laptop's clock was set back
    second = clock.tick()
    assert second > first and second.wall == first.wall


def test_counter_overflow_advances_the_wall() -> None:
    clock = HybridClock(7, MAX_COUNTER, physical=FakeWall(0))
    assert clock.tick() == Timestamp(8, 0)


def test_far_future_remote_is_accepted_but_flagged() -> None:
    wall = FakeWall(1_000_000)
    clock = HybridClock(physical=wall)
    assert clock.observe(Timestamp(1_000_000 + FUTURE_TOLERANCE_MS + 1, 0)) is True
    assert clock.last.wall == 1_000_000 + FUTURE_TOLERANCE_MS + 1
    assert clock.observe(Timestamp(999_000, 3)) is False
