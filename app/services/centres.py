"""Setting up a register: the centre, its first season and its programme catalogue."""

from __future__ import annotations

import datetime as dt
import re
import uuid

from sqlalchemy import select

from app.i18n import _
from app.models import Centre, Programme, Season, Site, TerritoryUnit
from app.models.ids import natural_id
from app.services import validation
from app.services.catalogue import CATALOGUE
from app.services.context import (
    CURRENT_SEASON,
    put_setting,
    season_bounds,
    season_id,
    season_label_for,
)
from app.services.errors import FieldError, InputRejected
from app.services.records import CentreRecord, ProgrammeRecord, SeasonRecord, from_row
from app.services.text import has_arabic
from app.services.unit_of_work import UnitOfWork
from app.vocabulary import CentreKind

_CENTRE_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$")


def ensure_season(uow: UnitOfWork, label: str) -> Season:
    """The season with this label, created if this register does not have it yet."""
    start, end = season_bounds(label)
    season = uow.session.get(Season, season_id(label))
    if season is None:
        season = uow.add(Season(id=season_id(label), label=label, start_date=start, end_date=end))
    elif not season.alive:
        uow.restore(season)
    return season


def ensure_catalogue(uow: UnitOfWork, kind: CentreKind) -> list[Programme]:
    programmes = []
    for entry in CATALOGUE[kind]:
        row_id = natural_id("programme", entry.code)
        programme = uow.session.get(Programme, row_id)
        if programme is None:
            programme = uow.add(
                Programme(
                    id=row_id,
                    code=entry.code,
                    name_ar=entry.name_ar,
                    name_fr=entry.name_fr,
                    centre_kind=kind.value,
                    planned_hours=entry.planned_hours,
                    min_age=entry.min_age,
                    max_age=entry.max_age,
                )
            )
        programmes.append(programme)
    return programmes


def province(uow: UnitOfWork, code: str) -> TerritoryUnit:
    unit = uow.session.scalars(
        select(TerritoryUnit).where(
            TerritoryUnit.code == code.strip(),
            TerritoryUnit.level.in_(("province", "prefecture")),
            TerritoryUnit.cl % 2 == 1,
        )
    ).first()
    if unit is None:
        raise validation.reject(
            "province",
            _(
                "“{code}” is not a province or prefecture code; e.g. 01.511 for "
                "Tanger-Assilah or 03.561 for Taza."
            ).format(code=code),
        )
    return unit


def centre_id(code: str) -> uuid.UUID:
    """The id of the centre with this code: the same on every laptop and at the delegation."""
    return natural_id("centre", code.strip().upper())


def initialise_delegation(uow: UnitOfWork, *, province_code: str) -> TerritoryUnit:
    """Make this blank register the register of a provincial delegation."""
    site = uow.session.get(Site, uow.register.site_id)
    assert site is not None
    if site.kind != "unset":
        raise InputRejected(
            FieldError("", _("This register is already set up; it cannot be set up twice."))
        )
    unit = province(uow, province_code)
    site.kind, site.centre_id, site.province_code = "delegation", None, unit.code
    uow.session.flush()
    return unit


def initialise_centre(
    uow: UnitOfWork,
    *,
    code: str,
    name: str,
    kind: str,
    province_code: str,
    season: str | None = None,
    name_fr: str | None = None,
    today: dt.date,
) -> CentreRecord:
    """Make this blank register the register of one centre."""
    site = uow.session.get(Site, uow.register.site_id)
    assert site is not None
    if site.kind != "unset":
        raise InputRejected(
            FieldError("", _("This register is already set up; it cannot be set up twice."))
        )
    checks = validation.Checks()
    centre_code = code.strip()
    if not _CENTRE_CODE.match(centre_code):
        checks.fail(
            "centre_code",
            _("“{code}” is not a centre code: letters, digits, dot, dash; 32 at most.").format(
                code=code
            ),
        )
    centre_name = checks.check("centre_name", validation.text, name, required=True)
    centre_kind = checks.check("kind", validation.choice, kind, CentreKind)
    unit = checks.check("province", lambda _f, value: province(uow, value), province_code)
    label = season or season_label_for(today)
    checks.check("season", lambda _f, value: season_bounds(value), label)
    checks.done()

    centre = uow.add(
        Centre(
            # The code names the centre: a second laptop set up for the same centre makes
            # the same row, not a second centre.
            id=centre_id(centre_code),
            code=centre_code,
            name_ar=centre_name,
            name_fr=validation.clean_spaces(name_fr)
            or (None if has_arabic(centre_name) else centre_name),
            kind=centre_kind.value,
            province_code=unit.code,
            management_mode="direct",
        )
    )
    season_row = ensure_season(uow, label)
    ensure_catalogue(uow, centre_kind)
    site.kind, site.centre_id, site.province_code = "centre", centre.id, unit.code
    put_setting(uow.session, CURRENT_SEASON, str(season_row.id))
    uow.session.flush()
    return from_row(CentreRecord, centre)


def list_programmes(uow: UnitOfWork) -> list[ProgrammeRecord]:
    rows = uow.session.scalars(
        select(Programme).where(Programme.cl % 2 == 1).order_by(Programme.code)
    ).all()
    return [from_row(ProgrammeRecord, row) for row in rows]


def season_record(season: Season) -> SeasonRecord:
    return from_row(SeasonRecord, season)
