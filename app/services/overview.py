"""What the start screen and the status bar show: the centre, the season, today's work.

Who is at risk of dropping out follows the register's rule (:mod:`app.services.at_risk`),
the same one that flags people in the attendance grid.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select

from app.models import Beneficiary, Site, TerritoryUnit
from app.services.at_risk import AtRisk, AtRiskRule, at_risk_rule, people_at_risk
from app.services.context import where
from app.services.groups import list_groups
from app.services.records import GroupRecord, from_row
from app.services.unit_of_work import UnitOfWork
from app.vocabulary import Weekday


@dataclass(frozen=True)
class Overview:
    centre_code: str
    centre_name: str
    season_label: str
    beneficiaries: int
    groups: tuple[GroupRecord, ...]
    today_groups: tuple[GroupRecord, ...]
    at_risk: tuple[AtRisk, ...]  # this month, by the rule below
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
        at_risk=people_at_risk(uow, today=today),
        at_risk_rule=at_risk_rule(uow),
        report_month=previous_month,
    )
