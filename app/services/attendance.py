"""Marking attendance: a session of a group on a day, and each person's mark at it.

Sessions and marks have natural ids, so marking the same person on the same day again,
on this laptop or another, changes the one existing mark instead of adding a second.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from app.i18n import _
from app.models import Attendance, Enrolment, Session
from app.models.ids import natural_id
from app.services import validation
from app.services.context import resolve_beneficiaries, resolve_beneficiary, resolve_group, where
from app.services.errors import FieldError, InputRejected
from app.services.records import AttendanceRecord
from app.services.sessions import has_extra_session, refuse_day_off
from app.services.unit_of_work import UnitOfWork
from app.vocabulary import AttendanceStatus, SessionStatus, Weekday


def mark_attendance(
    uow: UnitOfWork,
    *,
    group: str,
    date: str | dt.date,
    status: str,
    beneficiaries: list[str],
    today: dt.date,
    slot: int = 1,
) -> list[AttendanceRecord]:
    """Mark people present, absent, excused or late at a group's session on ``date``."""
    place = where(uow.session)
    group_row = resolve_group(uow.session, group, place=place)
    day = validation.parse_date("date", date)
    assert day is not None
    validation.not_future("date", day, today=today)
    mark = validation.choice("status", status, AttendanceStatus)
    if not place.season.start_date <= day <= place.season.end_date:
        raise validation.reject(
            "date", _("This date is outside the season {season}.").format(season=place.season.label)
        )
    weekday = list(Weekday)[day.isoweekday() - 1]
    # A day off the schedule is refused unless an extra session was added for it.
    if weekday.value not in group_row.days.split(",") and not has_extra_session(
        uow, group_row, day=day
    ):
        raise validation.reject(
            "date",
            _("The group {group} does not meet on {weekday}.").format(
                group=group_row.name, weekday=weekday.label
            ),
        )

    # Neither on a public holiday nor on a day the centre is closed.
    refuse_day_off(uow, group_row, day=day)
    session_id = natural_id("session", group_row.id, day.isoformat(), slot)
    session = uow.session.get(Session, session_id)
    if session is not None and session.status == SessionStatus.CANCELLED.value:
        raise validation.reject("date", _("The session of this day was cancelled."))

    found, errors = resolve_beneficiaries(uow.session, beneficiaries, place=place)
    people = []
    for person in found:
        enrolment = uow.session.get(Enrolment, natural_id("enrolment", group_row.id, person.id))
        if (
            enrolment is None
            or not enrolment.alive
            or enrolment.start_date > day
            or (enrolment.end_date is not None and enrolment.end_date < day)
        ):
            errors.append(
                FieldError(
                    "beneficiary",
                    _("{name} was not enrolled in {group} on {date}.").format(
                        name=f"{person.given_name_ar} {person.family_name_ar}",
                        group=group_row.name,
                        date=day.isoformat(),
                    ),
                )
            )
            continue
        people.append(person)
    if errors:
        raise InputRejected(errors)

    if session is None:
        session = uow.add(
            Session(
                id=session_id,
                group_id=group_row.id,
                date=day,
                slot=slot,
                status=SessionStatus.PLANNED.value,
            )
        )
    elif not session.alive:
        uow.restore(session)
    records = []
    for person in people:
        mark_id = natural_id("attendance", session.id, person.id)
        row = uow.session.get(Attendance, mark_id)
        if row is None:
            row = uow.add(
                Attendance(
                    id=mark_id, session_id=session.id, beneficiary_id=person.id, status=mark.value
                )
            )
        else:
            uow.restore(row)
            row.status = mark.value
        records.append(
            AttendanceRecord(
                id=row.id,
                session_id=session.id,
                group_id=group_row.id,
                date=day,
                beneficiary_id=person.id,
                status=mark.value,
            )
        )
    uow.session.flush()
    return records


def marks_of_group(uow: UnitOfWork, *, group: str) -> list[AttendanceRecord]:
    """Every living mark of a group, by date then person."""
    group_row = resolve_group(uow.session, group, place=where(uow.session))
    rows = uow.session.execute(
        select(Attendance, Session)
        .join(Session, Session.id == Attendance.session_id)
        .where(Session.group_id == group_row.id, Attendance.cl % 2 == 1, Session.cl % 2 == 1)
        .order_by(Session.date, Attendance.beneficiary_id)
    ).all()
    return [
        AttendanceRecord(
            id=a.id,
            session_id=s.id,
            group_id=group_row.id,
            date=s.date,
            beneficiary_id=a.beneficiary_id,
            status=a.status,
        )
        for a, s in rows
    ]


def clear_attendance(
    uow: UnitOfWork, *, group: str, date: dt.date, beneficiary: str
) -> AttendanceRecord | None:
    """Take a mark back (the cell becomes unmarked again); the mark stays as a tombstone
    so that the laptop that made it learns of the change. Returns the cleared mark."""
    place = where(uow.session)
    group_row = resolve_group(uow.session, group, place=place)
    person = resolve_beneficiary(uow.session, beneficiary, place=place)
    session_id = natural_id("session", group_row.id, date.isoformat(), 1)
    row = uow.session.get(Attendance, natural_id("attendance", session_id, person.id))
    if row is None or not row.alive:
        return None
    uow.delete(row)
    uow.session.flush()
    return AttendanceRecord(
        id=row.id,
        session_id=session_id,
        group_id=group_row.id,
        date=date,
        beneficiary_id=person.id,
        status=row.status,
    )
