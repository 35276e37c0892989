"""Centre closures the coordinator enters: vacations, strikes, weather alerts.

A closure is a record of its own (:mod:`app.models.closure`), read by every group's
calendar (:func:`app.services.sessions.group_calendar`): it takes out the sessions of its
days for the groups that exist when it is entered and for those opened later, and
removing it brings them back. Marks already taken on its days stay in the register.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from sqlalchemy import select

from app.i18n import _
from app.models import Closure, Group
from app.services import validation
from app.services.context import Where, by_id_or_prefix, one_match, where
from app.services.sessions import DayStatus, day_in_season, group_calendar, reason_text
from app.services.unit_of_work import UnitOfWork


@dataclass(frozen=True)
class ClosureRecord:
    id: uuid.UUID
    first_day: dt.date
    last_day: dt.date
    reason: str
    # The sessions of this season's groups that fall on its days, counted when read.
    sessions: int


def _record(uow: UnitOfWork, closure: Closure, *, place: Where) -> ClosureRecord:
    groups = uow.session.scalars(
        select(Group).where(
            Group.centre_id == closure.centre_id,
            Group.season_id == place.season.id,
            Group.cl % 2 == 1,
        )
    )
    start = max(closure.first_day, place.season.start_date)
    end = min(closure.last_day, place.season.end_date)
    sessions = sum(
        1
        for group in groups
        for day in group_calendar(uow, group, start=start, end=end).values()
        if day.status == DayStatus.CLOSED.value
    )
    return ClosureRecord(
        closure.id, closure.first_day, closure.last_day, closure.reason, sessions=sessions
    )


def add_closure(
    uow: UnitOfWork, *, start: str | dt.date, end: str | dt.date, reason: str
) -> ClosureRecord:
    """Close the centre from ``start`` to ``end`` (both included, within the season) for
    ``reason``: no group holds a session on those days."""
    place = where(uow.session)
    checks = validation.Checks()
    first = checks.check("from", day_in_season, start, place=place)
    last = checks.check("to", day_in_season, end, place=place)
    text = checks.check("reason", reason_text, reason)
    if first is not None and last is not None and last < first:
        checks.fail("to", _("The closure ends before it starts."))
    checks.done()
    closure = uow.add(
        Closure(centre_id=place.centre.id, first_day=first, last_day=last, reason=text)
    )
    uow.session.flush()
    return _record(uow, closure, place=place)


def list_closures(uow: UnitOfWork) -> list[ClosureRecord]:
    """The centre's closures that touch the current season, by first day."""
    place = where(uow.session)
    rows = uow.session.scalars(
        select(Closure)
        .where(
            Closure.centre_id == place.centre.id,
            Closure.cl % 2 == 1,
            Closure.first_day <= place.season.end_date,
            Closure.last_day >= place.season.start_date,
        )
        .order_by(Closure.first_day, Closure.id)
    )
    return [_record(uow, row, place=place) for row in rows]


def remove_closure(uow: UnitOfWork, closure: str) -> ClosureRecord:
    """Take a closure back (entered by mistake, or the strike was called off): the
    sessions of its days are held again. The record stays as a tombstone, so that the
    other laptops learn of it."""
    place = where(uow.session)
    rows = [
        row
        for row in by_id_or_prefix(uow.session, Closure, closure)
        if row.centre_id == place.centre.id
    ]
    row = one_match(rows, "closure", closure)
    # Counted while it still holds: the sessions its removal brings back.
    removed = _record(uow, row, place=place)
    uow.delete(row)
    uow.session.flush()
    return removed
