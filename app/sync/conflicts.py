"""The values that lost to a concurrent edit, for a person to look at, and marking them seen.

When two computers change the same field of the same record before exchanging, the merge
keeps the later value and writes the other to the conflict log (SYNC.md: nothing vanishes
silently). Here each open entry becomes a record a coordinator can read: whose record
(a beneficiary by name), which field, the value kept and the value lost, and on which
computer and when each was written.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select, update

from app.models import MODEL_BY_TABLE, Beneficiary, Site, SyncConflict
from app.services import keys
from app.services.unit_of_work import UnitOfWork

HERE = "here"
ELSEWHERE = "elsewhere"


@dataclass(frozen=True)
class Writer:
    """Where a value was written: ``kind`` is "here" (this register), "delegation" or
    "centre" (a trusted register, with its code and name), or "elsewhere" (a computer
    this register knows only through what the delegation relayed, such as another
    laptop of the same centre)."""

    kind: str
    code: str = ""
    name: str = ""


@dataclass(frozen=True)
class ConflictRecord:
    id: uuid.UUID
    table_name: str
    row_id: uuid.UUID
    field: str
    #: The beneficiary the record belongs to, by name (None for other records).
    person: str | None
    #: The values as stored: text, a number, an ISO date, True/False, or None.
    kept_value: Any
    lost_value: Any
    kept_by: Writer
    lost_by: Writer
    kept_at: dt.datetime
    lost_at: dt.datetime
    detected_at: dt.datetime


def _moment(ms: int) -> dt.datetime:
    return dt.datetime.fromtimestamp(ms / 1000, tz=dt.UTC)


def _writers(uow: UnitOfWork) -> dict[str, Writer]:
    """Every site id this register can name: its own (current and retired) and the
    trusted registers' last known ones."""
    site = uow.session.scalars(select(Site)).one()
    named = {
        trusted.identity.site_id: Writer(
            trusted.identity.role, trusted.identity.code, trusted.identity.name
        )
        for trusted in keys.trusted_identities(uow)
    }
    for own in (site.site_id, *filter(None, site.retired_site_ids.split(","))):
        named[own] = Writer(HERE)
    return named


def _person(uow: UnitOfWork, table_name: str, row_id: uuid.UUID) -> str | None:
    """The beneficiary a row is about: the row itself, or the one it names (an
    enrolment, an attendance mark, a follow-up)."""
    beneficiary_id: uuid.UUID | None = row_id
    if table_name != Beneficiary.__tablename__:
        model = MODEL_BY_TABLE.get(table_name)
        column = getattr(model, "beneficiary_id", None) if model is not None else None
        if column is None:
            return None
        beneficiary_id = uow.session.scalar(select(column).where(model.id == row_id))
        if beneficiary_id is None:
            return None
    person = uow.session.get(Beneficiary, beneficiary_id)
    return f"{person.given_name_ar} {person.family_name_ar}" if person is not None else None


def open_conflicts(uow: UnitOfWork) -> list[ConflictRecord]:
    """The conflicts nobody has marked seen yet, the latest found first."""
    rows = uow.session.scalars(
        select(SyncConflict)
        .where(SyncConflict.seen == 0)
        .order_by(SyncConflict.detected_ms.desc(), SyncConflict.table_name, SyncConflict.field)
    ).all()
    if not rows:
        return []
    writers = _writers(uow)
    people: dict[tuple[str, uuid.UUID], str | None] = {}
    records = []
    for row in rows:
        key = (row.table_name, row.row_id)
        if key not in people:
            people[key] = _person(uow, row.table_name, row.row_id)
        records.append(
            ConflictRecord(
                id=row.id,
                table_name=row.table_name,
                row_id=row.row_id,
                field=row.field,
                person=people[key],
                kept_value=json.loads(row.kept_value),
                lost_value=json.loads(row.lost_value),
                kept_by=writers.get(row.kept_site, Writer(ELSEWHERE)),
                lost_by=writers.get(row.lost_site, Writer(ELSEWHERE)),
                kept_at=_moment(row.kept_wall),
                lost_at=_moment(row.lost_wall),
                detected_at=_moment(row.detected_ms),
            )
        )
    return records


def mark_seen(uow: UnitOfWork, ids: Iterable[uuid.UUID]) -> int:
    """A person has looked at these conflicts: they leave the open list. Returns how
    many were still open."""
    wanted = list(ids)
    if not wanted:
        return 0
    result = uow.session.execute(
        update(SyncConflict)
        .where(SyncConflict.id.in_(wanted), SyncConflict.seen == 0)
        .values(seen=1)
        .execution_options(synchronize_session=False)
    )
    return int(result.rowcount or 0)
