"""The session calendar of a group: which days it meets, month by month.

A group meets on the weekdays of its schedule within the season, except on public
holidays and on the days its centre is closed (:mod:`app.services.calendar`,
:mod:`app.services.closures`). Nothing is stored for an ordinary session day; a
``Session`` row is written only where the register must remember something: a session
cancelled by hand (status "cancelled", with its reason), an extra session on a day off
the schedule (status "planned" on a non-schedule day, with its reason), or a day someone
was marked at (:mod:`app.services.attendance`). Rows have the natural id of (group, day,
slot 1) and are written through the unit of work, so they sync and every laptop agrees
on one row per day.

Cancelling a session, or closing the centre on its day, keeps the marks already taken at
it: they stay in the register, but the session no longer counts as held, and no new mark
is accepted on it.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import select

from app.i18n import _
from app.models import Group, Session
from app.models.ids import natural_id
from app.services import validation
from app.services.calendar import closed_days, hijri_offset, holidays_between
from app.services.context import Where, resolve_group, where
from app.services.unit_of_work import UnitOfWork
from app.vocabulary import SessionStatus, Weekday

_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
REASON_LIMIT = 200


class DayStatus(StrEnum):
    """What a day is for a group: a session of its schedule, an extra session added by
    hand, a cancelled session, a session the centre's closure takes out, or a public
    holiday on one of its meeting days."""

    PLANNED = "planned"
    EXTRA = "extra"
    CANCELLED = "cancelled"
    CLOSED = "closed"
    HOLIDAY = "holiday"


#: The days a group holds a session: the columns of its attendance sheet.
HELD = frozenset({DayStatus.PLANNED.value, DayStatus.EXTRA.value})


@dataclass(frozen=True)
class SessionDay:
    date: dt.date
    status: str
    # Why: a cancellation's, a closure's or an extra session's reason as typed, a
    # holiday's name translated into the reader's language.
    reason: str | None


def weekday_of(day: dt.date) -> Weekday:
    return list(Weekday)[day.isoweekday() - 1]


def group_calendar(
    uow: UnitOfWork, group: Group, *, start: dt.date, end: dt.date
) -> dict[dt.date, SessionDay]:
    """The days from ``start`` to ``end`` that matter to ``group``, by date; days it does
    not meet and holidays off its schedule are left out. The caller keeps the range
    within the season."""
    holidays = holidays_between(start, end, offset=hijri_offset(uow.session))
    closed = closed_days(uow.session, group.centre_id, start=start, end=end)
    meets = set(group.days.split(","))
    stored = {
        row.date: row
        for row in uow.session.scalars(
            select(Session).where(
                Session.group_id == group.id,
                Session.slot == 1,
                Session.date >= start,
                Session.date <= end,
                Session.cl % 2 == 1,
            )
        )
    }
    days: dict[dt.date, SessionDay] = {}
    day = start
    while day <= end:
        row = stored.get(day)
        on_schedule = weekday_of(day).value in meets
        if (on_schedule or row is not None) and day in holidays:
            # A holiday wins even over a stored row: the Hijri offset may have moved the
            # holiday onto it after it was written.
            days[day] = SessionDay(day, DayStatus.HOLIDAY.value, _(holidays[day]))
        elif (on_schedule or row is not None) and day in closed:
            # A closure wins over the rows of its days too: removing it brings them back.
            days[day] = SessionDay(day, DayStatus.CLOSED.value, closed[day])
        elif row is not None and row.status == SessionStatus.CANCELLED.value:
            days[day] = SessionDay(day, DayStatus.CANCELLED.value, row.reason)
        elif row is not None and not on_schedule:
            days[day] = SessionDay(day, DayStatus.EXTRA.value, row.reason)
        elif on_schedule:
            days[day] = SessionDay(day, DayStatus.PLANNED.value, row.reason if row else None)
        day += dt.timedelta(days=1)
    return days


def parse_month(field: str, value: str) -> tuple[dt.date, dt.date]:
    """ "2026-11" → its first and last days."""
    match = _MONTH.match(value.strip())
    if match and 1 <= int(match[2]) <= 12:
        first = dt.date(int(match[1]), int(match[2]), 1)
        following = dt.date(first.year + first.month // 12, first.month % 12 + 1, 1)
        return first, following - dt.timedelta(days=1)
    raise validation.reject(
        field, _("“{value}” is not a month; write it as YYYY-MM.").format(value=value)
    )


def month_sessions(uow: UnitOfWork, *, group: str, month: str) -> list[SessionDay]:
    """A group's session days of a month (planned, extra, cancelled, and holidays on its
    meeting days), in date order: the columns of its monthly attendance sheet."""
    place = where(uow.session)
    group_row = resolve_group(uow.session, group, place=place)
    first, last = parse_month("month", month)
    start, end = max(first, place.season.start_date), min(last, place.season.end_date)
    if start > end:
        raise validation.reject(
            "month",
            _("This month is outside the season {season}.").format(season=place.season.label),
        )
    return list(group_calendar(uow, group_row, start=start, end=end).values())


def day_in_season(field: str, value: str | dt.date, *, place: Where) -> dt.date:
    day = validation.parse_date(field, value)
    assert day is not None
    if not place.season.start_date <= day <= place.season.end_date:
        raise validation.reject(
            field,
            _("This date is outside the season {season}.").format(season=place.season.label),
        )
    return day


def reason_text(field: str, value: str | None) -> str:
    reason = validation.text(field, value, required=True, limit=REASON_LIMIT)
    assert reason is not None
    return reason


def _store(uow: UnitOfWork, group: Group, *, day: dt.date, status: str, reason: str) -> None:
    """Write the one session row of ``group`` on ``day`` with this status and reason."""
    session_id = natural_id("session", group.id, day.isoformat(), 1)
    row = uow.session.get(Session, session_id)
    if row is None:
        uow.add(
            Session(
                id=session_id, group_id=group.id, date=day, slot=1, status=status, reason=reason
            )
        )
    else:
        uow.restore(row)
        row.status, row.reason = status, reason
    uow.session.flush()


def _day_of_group(
    uow: UnitOfWork, *, group: str, date: str | dt.date, reason: str
) -> tuple[Group, dt.date, str, SessionDay | None]:
    """The checked group, day and reason of a change to one session, and what that day
    is for the group now (None: it does not meet)."""
    place = where(uow.session)
    group_row = resolve_group(uow.session, group, place=place)
    checks = validation.Checks()
    day = checks.check("date", day_in_season, date, place=place)
    text = checks.check("reason", reason_text, reason)
    checks.done()
    return group_row, day, text, group_calendar(uow, group_row, start=day, end=day).get(day)


def refuse_day_off(uow: UnitOfWork, group: Group, *, day: dt.date, field: str = "date") -> None:
    """Refuse a session on a public holiday or a day the group's centre is closed, on its
    schedule or not: no session is held then, not even an extra one."""
    holiday = holidays_between(day, day, offset=hijri_offset(uow.session)).get(day)
    if holiday is not None:
        raise validation.reject(
            field,
            _("{date} is a public holiday ({holiday}).").format(
                date=day.isoformat(), holiday=_(holiday)
            ),
        )
    closure = closed_days(uow.session, group.centre_id, start=day, end=day).get(day)
    if closure is not None:
        raise validation.reject(
            field,
            _("The centre is closed on {date} ({reason}).").format(
                date=day.isoformat(), reason=closure
            ),
        )


def add_session(uow: UnitOfWork, *, group: str, date: str | dt.date, reason: str) -> SessionDay:
    """An extra session on a day the group does not meet (a make-up day, an exam), or a
    cancelled session held after all. Future days of the season may be planned."""
    group_row, day, text, current = _day_of_group(uow, group=group, date=date, reason=reason)
    refuse_day_off(uow, group_row, day=day)
    if current is not None and current.status != DayStatus.CANCELLED.value:
        raise validation.reject(
            "date",
            _("The group {group} already has a session on {date}.").format(
                group=group_row.name, date=day.isoformat()
            ),
        )
    _store(uow, group_row, day=day, status=SessionStatus.PLANNED.value, reason=text)
    return group_calendar(uow, group_row, start=day, end=day)[day]


def cancel_session(uow: UnitOfWork, *, group: str, date: str | dt.date, reason: str) -> SessionDay:
    """Cancel one session of a group, with the reason the sheet will show. Marks already
    taken that day are kept, but the session no longer counts as held."""
    group_row, day, text, current = _day_of_group(uow, group=group, date=date, reason=reason)
    if current is None:
        raise validation.reject(
            "date",
            _("The group {group} has no session on {date}.").format(
                group=group_row.name, date=day.isoformat()
            ),
        )
    refuse_day_off(uow, group_row, day=day)
    _store(uow, group_row, day=day, status=SessionStatus.CANCELLED.value, reason=text)
    return group_calendar(uow, group_row, start=day, end=day)[day]


def has_extra_session(uow: UnitOfWork, group: Group, *, day: dt.date) -> bool:
    """Whether ``group`` has an extra (added, not cancelled) session on ``day``."""
    found = group_calendar(uow, group, start=day, end=day).get(day)
    return found is not None and found.status == DayStatus.EXTRA.value
