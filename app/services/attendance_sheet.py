"""The monthly attendance sheet of a group, as data: who, which days, which marks.

One function feeds both the attendance grid on screen and the printed sheet, so the two
always show the same rows, columns and totals. Columns are the month's sessions that
count (planned or extra); holidays, cancelled sessions and the days the centre is closed
get no column, and the marks typed on a session before it was cancelled (or its day
closed) stay in the register but not on the sheet. Rows are the people enrolled in the
group at any time during the month, in the register's name order.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field

from sqlalchemy import select

from app.models import Attendance, Beneficiary, Centre, Enrolment, Programme, Session, Staff
from app.services.context import resolve_group, where
from app.services.groups import enrolments_with_people
from app.services.records import BeneficiaryRecord, from_row
from app.services.sessions import HELD, SessionDay, group_calendar, parse_month
from app.services.unit_of_work import UnitOfWork
from app.vocabulary import AttendanceStatus


@dataclass(frozen=True)
class SheetRow:
    person: BeneficiaryRecord
    enrolment_status: str
    start_date: dt.date
    end_date: dt.date | None
    # Mark per column date; a date missing here is unmarked (never a default).
    marks: dict[dt.date, str] = field(default_factory=dict)

    def count(self, status: AttendanceStatus) -> int:
        return sum(1 for mark in self.marks.values() if mark == status.value)

    def enrolled_on(self, day: dt.date) -> bool:
        return self.start_date <= day and (self.end_date is None or day <= self.end_date)


@dataclass(frozen=True)
class MonthSheet:
    group_id: uuid.UUID
    group_name: str
    programme_name_ar: str
    programme_name_fr: str
    educator_name: str | None
    centre_name_ar: str
    centre_name_fr: str | None
    season_label: str
    month: dt.date  # the first day of the month
    columns: tuple[SessionDay, ...]
    # Holidays, cancelled sessions and closed days of the month.
    left_out: tuple[SessionDay, ...]
    rows: tuple[SheetRow, ...]

    def column_count(self, day: dt.date, status: AttendanceStatus) -> int:
        return sum(1 for row in self.rows if row.marks.get(day) == status.value)


def month_sheet(uow: UnitOfWork, *, group: str, month: str) -> MonthSheet:
    """The sheet of ``group`` for ``month`` (YYYY-MM), marks included."""
    place = where(uow.session)
    group_row = resolve_group(uow.session, group, place=place)
    first, last = parse_month("month", month)
    start, end = max(first, place.season.start_date), min(last, place.season.end_date)
    days = group_calendar(uow, group_row, start=start, end=end) if start <= end else {}
    columns = tuple(d for d in days.values() if d.status in HELD)
    left_out = tuple(d for d in days.values() if d.status not in HELD)

    members = uow.session.execute(
        enrolments_with_people(group_row.id)
        .where(
            Enrolment.start_date <= last,
            (Enrolment.end_date.is_(None)) | (Enrolment.end_date >= first),
        )
        .order_by(Beneficiary.sort_key, Beneficiary.id)
    ).all()
    column_days = {d.date for d in columns}
    marks: dict[uuid.UUID, dict[dt.date, str]] = {}
    for person_id, day, status in uow.session.execute(
        select(Attendance.beneficiary_id, Session.date, Attendance.status)
        .join(Session, Session.id == Attendance.session_id)
        .where(
            Session.group_id == group_row.id,
            Session.date >= first,
            Session.date <= last,
            Session.cl % 2 == 1,
            Attendance.cl % 2 == 1,
        )
    ):
        if day in column_days:
            marks.setdefault(person_id, {})[day] = status
    rows = tuple(
        SheetRow(
            person=from_row(BeneficiaryRecord, person),
            enrolment_status=enrolment.status,
            start_date=enrolment.start_date,
            end_date=enrolment.end_date,
            marks=marks.get(person.id, {}),
        )
        for enrolment, person in members
    )
    programme = uow.session.get(Programme, group_row.programme_id)
    educator = uow.session.get(Staff, group_row.educator_id) if group_row.educator_id else None
    centre = uow.session.get(Centre, group_row.centre_id) or place.centre
    assert programme is not None
    return MonthSheet(
        group_id=group_row.id,
        group_name=group_row.name,
        programme_name_ar=programme.name_ar,
        programme_name_fr=programme.name_fr,
        educator_name=f"{educator.given_name_ar} {educator.family_name_ar}" if educator else None,
        centre_name_ar=centre.name_ar,
        centre_name_fr=centre.name_fr,
        season_label=place.season.label,
        month=first,
        columns=columns,
        left_out=left_out,
        rows=rows,
    )
