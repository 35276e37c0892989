"""Where an action happens: this site, its centre and the current season.

Also the resolution of references people type (a programme code, a group name, a CIN or
the first characters of an id) into rows, with a clear message when nothing or more than
one thing matches.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import uuid
from dataclasses import dataclass
from typing import TypeVar

from sqlalchemy import String, cast, select
from sqlalchemy.orm import Session as OrmSession

from app.i18n import _
from app.models import Beneficiary, Centre, Group, Programme, Season, Setting, Site, Synced
from app.models.ids import natural_id
from app.services.errors import FieldError, InputRejected, NotFound, NotInitialised

M = TypeVar("M", bound=Synced)
CURRENT_SEASON = "current_season"
_SEASON_LABEL = re.compile(r"^(\d{4})-(\d{4})$")


@dataclass(frozen=True)
class Where:
    site: Site
    centre: Centre
    season: Season


def season_label_for(day: dt.date) -> str:
    """The season a day falls in: September opens a new one."""
    start = day.year if day.month >= 9 else day.year - 1
    return f"{start}-{start + 1}"


def season_bounds(label: str) -> tuple[dt.date, dt.date]:
    match = _SEASON_LABEL.match(label)
    if not match or int(match[2]) != int(match[1]) + 1:
        raise NotFound(
            "season", _("“{value}” is not a season; write it as 2025-2026.").format(value=label)
        )
    start = int(match[1])
    return dt.date(start, 9, 1), dt.date(start + 1, 6, 30)


def season_id(label: str) -> uuid.UUID:
    return natural_id("season", label)


def get_setting(session: OrmSession, key: str, default: object = None) -> object:
    row = session.get(Setting, key)
    return json.loads(row.value) if row else default


def put_setting(session: OrmSession, key: str, value: object) -> None:
    row = session.get(Setting, key)
    if row is None:
        session.add(Setting(key=key, value=json.dumps(value, ensure_ascii=False)))
    else:
        row.value = json.dumps(value, ensure_ascii=False)


def where(session: OrmSession) -> Where:
    """The site, centre and current season; NotInitialised on a blank database."""
    site = session.scalars(select(Site)).one()
    if site.kind != "centre" or site.centre_id is None:
        raise NotInitialised(_("This register has no centre yet: run “sijill init” first."))
    centre = session.get(Centre, site.centre_id)
    season_key = get_setting(session, CURRENT_SEASON)
    season = session.get(Season, uuid.UUID(str(season_key))) if season_key else None
    if centre is None or season is None:
        raise NotInitialised(_("This register has no centre yet: run “sijill init” first."))
    return Where(site, centre, season)


def by_id_or_prefix(session: OrmSession, model: type[M], ref: str) -> list[M]:
    """Living rows whose id is ``ref`` or starts with it (at least 6 hex characters)."""
    compact = ref.strip().lower()
    try:
        row = session.get(model, uuid.UUID(compact))
        return [row] if row is not None and row.alive else []
    except ValueError:
        pass
    hexes = compact.replace("-", "")
    if len(hexes) < 6 or not re.fullmatch(r"[0-9a-f]+", hexes):
        return []
    # SQLite stores UUIDs as 32 hex digits, PostgreSQL as the uuid type: compare as text.
    column = cast(model.id, String)
    pattern = hexes if session.bind.dialect.name == "sqlite" else compact
    rows = session.scalars(
        select(model).where(column.like(f"{pattern}%"), model.cl % 2 == 1).limit(2)
    ).all()
    return list(rows)


def one_match(rows: list[M], field: str, ref: str) -> M:
    """The one row a reference typed in ``field`` matched; a clear refusal otherwise."""
    if not rows:
        raise NotFound(field, _("Nothing in the register matches “{ref}”.").format(ref=ref))
    if len(rows) > 1:
        raise InputRejected(
            FieldError(
                field,
                _("“{ref}” matches more than one record; type more of the name or number.").format(
                    ref=ref
                ),
            )
        )
    return rows[0]


def resolve_programme(session: OrmSession, ref: str) -> Programme:
    rows = session.scalars(
        select(Programme).where(Programme.code == ref.strip().upper(), Programme.cl % 2 == 1)
    ).all()
    return one_match(list(rows) or by_id_or_prefix(session, Programme, ref), "programme", ref)


def resolve_group(session: OrmSession, ref: str, *, place: Where) -> Group:
    rows = session.scalars(
        select(Group).where(
            Group.name == ref.strip(),
            Group.centre_id == place.centre.id,
            Group.season_id == place.season.id,
            Group.cl % 2 == 1,
        )
    ).all()
    return one_match(list(rows) or by_id_or_prefix(session, Group, ref), "group", ref)


def resolve_beneficiary(session: OrmSession, ref: str, *, place: Where) -> Beneficiary:
    cin = re.sub(r"[\s\-]", "", ref).upper()
    rows = session.scalars(
        select(Beneficiary).where(
            Beneficiary.cin == cin,
            Beneficiary.centre_id == place.centre.id,
            Beneficiary.cl % 2 == 1,
        )
    ).all()
    return one_match(list(rows) or by_id_or_prefix(session, Beneficiary, ref), "beneficiary", ref)


def resolve_beneficiaries(
    session: OrmSession, refs: list[str], *, place: Where
) -> tuple[list[Beneficiary], list[FieldError]]:
    """The distinct people a list of references names, in the order given, and a refusal
    for each reference that names nobody (the caller decides: all or none)."""
    people: list[Beneficiary] = []
    errors: list[FieldError] = []
    seen: set[uuid.UUID] = set()
    for ref in refs:
        try:
            person = resolve_beneficiary(session, ref, place=place)
        except InputRejected as rejected:
            errors.extend(rejected.errors)
            continue
        if person.id not in seen:
            seen.add(person.id)
            people.append(person)
    return people, errors
