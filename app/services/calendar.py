"""The Moroccan calendar of the register: public holidays and the days a centre is
closed are not session days.

The fixed national holidays follow the Gregorian calendar; the Islamic ones move with
the Hijri calendar, computed with ``hijridate`` (Umm al-Qura). Morocco fixes its Hijri
dates by sighting the moon, so they can fall a day before or after Umm al-Qura: each
register keeps that difference as the setting ``hijri_offset_days``. Closures are the
centre's own (:mod:`app.models.closure`), entered by its coordinator.
"""

from __future__ import annotations

import datetime as dt
import uuid

from hijridate import Gregorian, Hijri
from hijridate.ummalqura import GREGORIAN_RANGE
from sqlalchemy import select
from sqlalchemy.orm import Session as OrmSession

from app.i18n import N_, _
from app.models import Closure
from app.services import validation
from app.services.context import get_setting, put_setting

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

# (Hijri month, day) → name. Morocco gives two days for the Mawlid and each Eid.
ISLAMIC_HOLIDAYS: dict[tuple[int, int], str] = {
    (1, 1): N_("Islamic New Year"),
    (3, 12): N_("Mawlid (the Prophet's birthday)"),
    (3, 13): N_("Mawlid (second day)"),
    (10, 1): N_("Eid al-Fitr"),
    (10, 2): N_("Eid al-Fitr (second day)"),
    (12, 10): N_("Eid al-Adha"),
    (12, 11): N_("Eid al-Adha (second day)"),
}

HIJRI_OFFSET = "hijri_offset_days"
HIJRI_OFFSETS = (-1, 0, 1)
# The days Umm al-Qura covers; hijridate raises outside them.
_HIJRI_FIRST, _HIJRI_LAST = (dt.date(*bound) for bound in GREGORIAN_RANGE)


def public_holiday(day: dt.date) -> str | None:
    """The untranslated name of the fixed public holiday falling on ``day``, if any."""
    return FIXED_HOLIDAYS.get((day.month, day.day))


def holidays_between(start: dt.date, end: dt.date, *, offset: int) -> dict[dt.date, str]:
    """Every public holiday from ``start`` to ``end`` (both included) → its untranslated
    name, in date order. ``offset`` moves the Islamic holidays from their Umm al-Qura
    date to the Moroccan one (-1, 0 or +1 day).

    Outside 1924-2077, where Umm al-Qura has no table, only the fixed holidays are known:
    no season of the register falls there, so this is a limit, not a loss. A day that is
    two holidays at once keeps the fixed holiday's name: it is a holiday either way.
    """
    found: dict[dt.date, str] = {}
    day = start
    while day <= end:
        name = public_holiday(day)
        if name is not None:
            found[day] = name
        day += dt.timedelta(days=1)
    # The Umm al-Qura days whose holidays, once shifted, can land in the range.
    first = max(start - dt.timedelta(days=abs(offset)), _HIJRI_FIRST)
    last = min(end + dt.timedelta(days=abs(offset)), _HIJRI_LAST)
    if first <= last:
        for year in range(_hijri_year(first), _hijri_year(last) + 1):
            for (month, month_day), name in ISLAMIC_HOLIDAYS.items():
                # hijridate gives its own date subclass: keep plain dates as keys.
                umm_al_qura = Hijri(year, month, month_day).to_gregorian().toordinal()
                holiday = dt.date.fromordinal(umm_al_qura + offset)
                if start <= holiday <= end:
                    found.setdefault(holiday, name)
    return dict(sorted(found.items()))


def closed_days(
    session: OrmSession, centre_id: uuid.UUID, *, start: dt.date, end: dt.date
) -> dict[dt.date, str]:
    """Every day from ``start`` to ``end`` that a living closure of the centre covers →
    the closure's reason, in date order. Where two closures overlap, the one that starts
    first gives the reason (then the one entered first: ids grow with time)."""
    closures = session.scalars(
        select(Closure)
        .where(
            Closure.centre_id == centre_id,
            Closure.cl % 2 == 1,
            Closure.first_day <= end,
            Closure.last_day >= start,
        )
        .order_by(Closure.first_day, Closure.id)
    )
    found: dict[dt.date, str] = {}
    for closure in closures:
        day = max(closure.first_day, start)
        while day <= min(closure.last_day, end):
            found.setdefault(day, closure.reason)
            day += dt.timedelta(days=1)
    return dict(sorted(found.items()))


def _hijri_year(day: dt.date) -> int:
    return Gregorian.fromdate(day).to_hijri().year


def hijri_offset(session: OrmSession) -> int:
    """The register's Hijri offset in days (0 until the coordinator sets it)."""
    value = get_setting(session, HIJRI_OFFSET, 0)
    return value if value in HIJRI_OFFSETS else 0


def set_hijri_offset(session: OrmSession, value: str | int) -> int:
    """Set how many days the Moroccan Hijri date is after Umm al-Qura's: -1, 0 or +1.

    A setting of this register only: the delegation computes nothing from it, and every
    centre of a province follows the same official announcement anyway.
    """
    try:
        offset = int(str(value).strip())
    except ValueError:
        offset = None
    if offset not in HIJRI_OFFSETS:
        raise validation.reject(
            "offset",
            _("“{value}” is not a Hijri offset: write -1, 0 or +1 (days).").format(value=value),
        )
    put_setting(session, HIJRI_OFFSET, offset)
    return offset


def months_before(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` months earlier (the month's last day when it is shorter)."""
    year, month0 = divmod(day.year * 12 + day.month - 1 - months, 12)
    following = dt.date(year + (month0 + 1) // 12, (month0 + 1) % 12 + 1, 1)
    last_day = (following - dt.timedelta(days=1)).day
    return dt.date(year, month0 + 1, min(day.day, last_day))
