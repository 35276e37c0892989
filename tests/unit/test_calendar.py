"""The Moroccan public holidays: fixed ones, Islamic ones from Umm al-Qura, the offset."""

from __future__ import annotations

import datetime as dt

import pytest
from hijridate import Gregorian, Hijri

from app.services.calendar import (
    FIXED_HOLIDAYS,
    ISLAMIC_HOLIDAYS,
    holidays_between,
    months_before,
    public_holiday,
)

YEAR_2025 = (dt.date(2025, 1, 1), dt.date(2025, 12, 31))


def _days_named(holidays: dict[dt.date, str], *names: str) -> list[dt.date]:
    return [day for day, name in holidays.items() if name in names]


def test_eid_al_fitr_2025_follows_umm_al_qura() -> None:
    # hijridate itself says when 1 Shawwal 1446 fell, and that it is the day after Ramadan 29/30.
    first = Hijri(1446, 10, 1).to_gregorian()
    assert first == dt.date(2025, 3, 30)
    assert Gregorian.fromdate(first - dt.timedelta(days=1)).to_hijri().month == 9
    holidays = holidays_between(*YEAR_2025, offset=0)
    eid = _days_named(holidays, "Eid al-Fitr", "Eid al-Fitr (second day)")
    assert eid == [dt.date(2025, 3, 30), dt.date(2025, 3, 31)]


@pytest.mark.parametrize(
    "names",
    [
        ("Mawlid (the Prophet's birthday)", "Mawlid (second day)"),
        ("Eid al-Fitr", "Eid al-Fitr (second day)"),
        ("Eid al-Adha", "Eid al-Adha (second day)"),
    ],
)
def test_two_day_holidays_are_two_consecutive_days(names: tuple[str, str]) -> None:
    for year in (1990, 2025, 2026, 2040):
        holidays = holidays_between(dt.date(year, 1, 1), dt.date(year, 12, 31), offset=0)
        first, second = _days_named(holidays, names[0]), _days_named(holidays, names[1])
        # An Islamic year is 11 days shorter: a holiday can fall twice in a Gregorian year.
        assert first and len(first) == len(second)
        assert all(b - a == dt.timedelta(days=1) for a, b in zip(first, second, strict=True))


def test_every_islamic_holiday_appears_each_year() -> None:
    holidays = holidays_between(*YEAR_2025, offset=0)
    assert set(ISLAMIC_HOLIDAYS.values()) <= set(holidays.values())
    assert holidays[dt.date(2025, 6, 6)] == "Eid al-Adha"
    assert holidays[dt.date(2025, 6, 26)] == "Islamic New Year"


@pytest.mark.parametrize("offset", [-1, 1])
def test_the_offset_moves_islamic_holidays_by_exactly_one_day(offset: int) -> None:
    season = (dt.date(2026, 9, 1), dt.date(2027, 6, 30))
    plain = holidays_between(*season, offset=0)
    shifted = holidays_between(*season, offset=offset)
    islamic = set(ISLAMIC_HOLIDAYS.values())
    moved = {day: name for day, name in plain.items() if name in islamic}
    assert moved  # the season has Eid al-Fitr and Eid al-Adha
    assert {day + dt.timedelta(days=offset): name for day, name in moved.items()} == {
        day: name for day, name in shifted.items() if name in islamic
    }
    # The fixed holidays do not move.
    assert {d: n for d, n in plain.items() if n not in islamic} == {
        d: n for d, n in shifted.items() if n not in islamic
    }


def test_fixed_holidays_are_all_there_and_in_order() -> None:
    holidays = holidays_between(*YEAR_2025, offset=1)
    for (month, day), name in FIXED_HOLIDAYS.items():
        assert holidays[dt.date(2025, month, day)] == name
    assert list(holidays) == sorted(holidays)
    assert all(type(day) is dt.date for day in holidays)
    assert public_holiday(dt.date(2025, 11, 18)) == "Independence Day"
    assert public_holiday(dt.date(2025, 3, 30)) is None  # fixed holidays only


def test_a_range_is_inclusive_and_may_be_empty() -> None:
    day = dt.date(2026, 11, 18)
    assert holidays_between(day, day, offset=0) == {day: "Independence Day"}
    assert holidays_between(dt.date(2026, 11, 19), dt.date(2026, 11, 30), offset=0) == {}
    assert holidays_between(day, day - dt.timedelta(days=1), offset=0) == {}


@pytest.mark.parametrize(
    ("start", "end"),
    [
        (dt.date(1900, 1, 1), dt.date(1900, 12, 31)),
        (dt.date(2090, 1, 1), dt.date(2090, 12, 31)),
        (dt.date(1924, 1, 1), dt.date(1924, 12, 31)),
        (dt.date(2077, 1, 1), dt.date(2078, 12, 31)),
    ],
)
@pytest.mark.parametrize("offset", [-1, 0, 1])
def test_outside_umm_al_qura_only_fixed_holidays_are_known(
    start: dt.date, end: dt.date, offset: int
) -> None:
    holidays = holidays_between(start, end, offset=offset)
    for year in range(start.year, end.year + 1):
        assert holidays[dt.date(year, 11, 18)] == "Independence Day"
    islamic = [day for day, name in holidays.items() if name in ISLAMIC_HOLIDAYS.values()]
    assert all(dt.date(1924, 7, 31) <= day <= dt.date(2077, 11, 17) for day in islamic)
    if start.year in (1900, 2090):
        assert islamic == []
    else:
        assert islamic  # the part of the range Umm al-Qura covers still has them


def test_months_before_keeps_the_day_or_the_month_end() -> None:
    assert months_before(dt.date(2026, 3, 31), 1) == dt.date(2026, 2, 28)
    assert months_before(dt.date(2026, 1, 15), 2) == dt.date(2025, 11, 15)
