"""What the start screen and the status bar show: the centre, the season, today's work.

Who is at risk of dropping out follows the register's rule (:mod:`app.services.at_risk`),
the same one that flags people in the attendance grid. Finding them reads the whole
month's attendance, so the start screen asks for them apart (``people_at_risk``), after
these figures, which stay quick however large the register.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from sqlalchemy import func, select

from app.models import Beneficiary, Group, Programme, Site, TerritoryUnit
from app.services.at_risk import AtRiskRule, at_risk_rule
from app.services.context import where
from app.services.records import from_row
from app.services.unit_of_work import UnitOfWork
from app.vocabulary import Weekday


@dataclass(frozen=True)
class TodayGroup:
    """A group that meets today, as the start screen names it."""

    id: uuid.UUID
    name: str
    programme_name_ar: str
    start_time: str | None
    end_time: str | None


@dataclass(frozen=True)
class Overview:
    centre_code: str
    centre_name: str
    season_label: str
    beneficiaries: int
    groups: int  # the season's
    today_groups: tuple[TodayGroup, ...]  # by programme, then name
    at_risk_rule: AtRiskRule
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


def overview(uow: UnitOfWork, *, today: dt.date) -> Overview:
    """The start screen's figures; NotInitialised on a blank register."""
    place = where(uow.session)
    weekday = list(Weekday)[today.isoweekday() - 1].value
    season_groups = (
        Group.centre_id == place.centre.id,
        Group.season_id == place.season.id,
        Group.cl % 2 == 1,
    )
    # A large centre runs thousands of groups: they are counted, and only those whose
    # days name today's are read (a few short columns each).
    groups = uow.session.scalar(select(func.count()).select_from(Group).where(*season_groups))
    meeting = uow.session.execute(
        select(
            Group.id, Group.name, Programme.name_ar, Group.start_time, Group.end_time, Group.days
        )
        .join(Programme, Programme.id == Group.programme_id)
        .where(*season_groups, Group.days.contains(weekday))
        .order_by(Programme.code, Group.name)
    ).all()
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
        groups=groups or 0,
        today_groups=tuple(
            TodayGroup(*values) for *values, days in meeting if weekday in days.split(",")
        ),
        at_risk_rule=at_risk_rule(uow),
        report_month=previous_month,
    )
