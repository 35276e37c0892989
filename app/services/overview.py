"""What the start screen and the status bar show: the centre, the season, today's work.

"At risk of dropping out" here is the simple field rule: absent at each of the group's
three latest marked sessions. Attendance rules become settings with the attendance
screens.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import case, exists, func, select

from app.models import Attendance, Beneficiary, Enrolment, Group, Session, Site, TerritoryUnit
from app.services.context import where
from app.services.groups import list_groups
from app.services.records import BeneficiaryRecord, GroupRecord, from_row
from app.services.unit_of_work import UnitOfWork
from app.vocabulary import AttendanceStatus, EnrolmentStatus, SessionStatus, Weekday

ABSENCES_IN_A_ROW = 3
RISK_WINDOW_DAYS = 42


@dataclass(frozen=True)
class AtRisk:
    beneficiary: BeneficiaryRecord
    group_name: str
    absences_in_a_row: int


@dataclass(frozen=True)
class Overview:
    centre_code: str
    centre_name: str
    season_label: str
    beneficiaries: int
    groups: tuple[GroupRecord, ...]
    today_groups: tuple[GroupRecord, ...]
    at_risk: tuple[AtRisk, ...]
    report_month: dt.date  # first day of the month whose report is due


@dataclass(frozen=True)
class TerritoryRecord:
    code: str
    name_ar: str
    name_fr: str
    level: str


@dataclass(frozen=True)
class Identity:
    """Which centre and season this register is at: the status bar's few words."""

    centre_code: str
    centre_name: str
    season_label: str


def identity(uow: UnitOfWork) -> Identity:
    place = where(uow.session)
    return Identity(place.centre.code, place.centre.name_ar, place.season.label)


def is_initialised(uow: UnitOfWork) -> bool:
    return uow.session.scalar(select(Site.kind)) == "centre"


def list_provinces(uow: UnitOfWork) -> list[TerritoryRecord]:
    rows = uow.session.scalars(
        select(TerritoryUnit)
        .where(TerritoryUnit.level.in_(("province", "prefecture")), TerritoryUnit.cl % 2 == 1)
        .order_by(TerritoryUnit.code)
    )
    return [from_row(TerritoryRecord, row) for row in rows]


def _at_risk(uow: UnitOfWork, *, today: dt.date) -> tuple[AtRisk, ...]:
    """Active members absent at each of their group's latest marked sessions."""
    since = today - dt.timedelta(days=RISK_WINDOW_DAYS)
    marked = exists().where(Attendance.session_id == Session.id)
    recent = (
        select(
            Session.id,
            Session.group_id,
            func.row_number()
            .over(
                partition_by=Session.group_id, order_by=(Session.date.desc(), Session.slot.desc())
            )
            .label("rank"),
        )
        .where(
            Session.date >= since,
            Session.date <= today,
            Session.cl % 2 == 1,
            Session.status != SessionStatus.CANCELLED.value,
            marked,
        )
        .subquery()
    )
    absences = func.sum(case((Attendance.status == AttendanceStatus.ABSENT.value, 1), else_=0))
    rows = uow.session.execute(
        select(Beneficiary, Group.name)
        .join(Attendance, Attendance.beneficiary_id == Beneficiary.id)
        .join(recent, recent.c.id == Attendance.session_id)
        .join(Group, Group.id == recent.c.group_id)
        .join(
            Enrolment,
            (Enrolment.group_id == Group.id) & (Enrolment.beneficiary_id == Beneficiary.id),
        )
        .where(
            recent.c.rank <= ABSENCES_IN_A_ROW,
            Attendance.cl % 2 == 1,
            Enrolment.cl % 2 == 1,
            Enrolment.status == EnrolmentStatus.ACTIVE.value,
        )
        .group_by(Beneficiary.id, Group.id)
        .having(absences == ABSENCES_IN_A_ROW)
        .order_by(Beneficiary.sort_key)
    ).all()
    return tuple(
        AtRisk(from_row(BeneficiaryRecord, person), name, ABSENCES_IN_A_ROW)
        for person, name in rows
    )


def overview(uow: UnitOfWork, *, today: dt.date) -> Overview:
    """Everything the start screen shows; NotInitialised on a blank register."""
    place = where(uow.session)
    groups = tuple(list_groups(uow))
    weekday = list(Weekday)[today.isoweekday() - 1].value
    count = uow.session.scalar(
        select(func.count()).select_from(Beneficiary).where(Beneficiary.cl % 2 == 1)
    )
    first_of_month = today.replace(day=1)
    previous_month = (first_of_month - dt.timedelta(days=1)).replace(day=1)
    return Overview(
        centre_code=place.centre.code,
        centre_name=place.centre.name_ar,
        season_label=place.season.label,
        beneficiaries=count or 0,
        groups=groups,
        today_groups=tuple(g for g in groups if weekday in g.days),
        at_risk=_at_risk(uow, today=today),
        report_month=previous_month,
    )
