"""The Moroccan calendar of the register: public holidays are not session days.

The fixed national holidays are here; the Islamic holidays, which move with the Hijri
calendar, join them with the attendance calendar.
"""

from __future__ import annotations

import datetime as dt

from app.i18n import N_

# (month, day) → name. 14 January is the Amazigh new year (Id Yennayer).
FIXED_HOLIDAYS: dict[tuple[int, int], str] = {
    (1, 1): N_("New Year's Day"),
    (1, 11): N_("Independence Manifesto Day"),
    (1, 14): N_("Amazigh New Year"),
    (5, 1): N_("Labour Day"),
    (7, 30): N_("Throne Day"),
    (8, 14): N_("Oued Ed-Dahab Day"),
    (8, 20): N_("Revolution of the King and the People"),
    (8, 21): N_("Youth Day"),
    (11, 6): N_("Green March Day"),
    (11, 18): N_("Independence Day"),
}


def public_holiday(day: dt.date) -> str | None:
    """The untranslated name of the public holiday falling on ``day``, if any."""
    return FIXED_HOLIDAYS.get((day.month, day.day))


def months_before(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` months earlier (the month's last day when it is shorter)."""
    year, month0 = divmod(day.year * 12 + day.month - 1 - months, 12)
    following = dt.date(year + (month0 + 1) // 12, (month0 + 1) % 12 + 1, 1)
    last_day = (following - dt.timedelta(days=1)).day
    return dt.date(year, month0 + 1, min(day.day, last_day))
