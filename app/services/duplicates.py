"""Possible duplicates: finding pairs that may be one person, listing them, dismissing them.

Two living beneficiaries are a possible duplicate when they share a CIN, or the same
Arabic name (folded: hamza forms, ta marbuta, spaces) and the same birth date. Sync finds
them when records meet (app/sync/import_.py); nothing is merged without a person (the
merge itself is app/services/merging.py).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select

from app.i18n import _
from app.models import Beneficiary, Centre, DuplicateCandidate
from app.models.ids import natural_id
from app.services.errors import FieldError, InputRejected
from app.services.unit_of_work import UnitOfWork

CHUNK = 500


@dataclass(frozen=True)
class Person:
    id: uuid.UUID
    full_name_ar: str
    cin: str | None
    birth_date: dt.date
    centre_code: str


@dataclass(frozen=True)
class CandidateRecord:
    id: uuid.UUID
    reason: str
    status: str
    first: Person
    second: Person
    # The one of the two a merge kept; None unless merged.
    kept_id: uuid.UUID | None = None


def _pair_id(a: uuid.UUID, b: uuid.UUID) -> tuple[uuid.UUID, uuid.UUID, uuid.UUID]:
    first, second = sorted((a, b), key=str)
    return natural_id("duplicate", first, second), first, second


def _living(
    uow: UnitOfWork,
    column,  # noqa: ANN001
    values: list,
    *,
    removed_too: bool = False,
) -> list[Beneficiary]:
    found: list[Beneficiary] = []
    alive = () if removed_too else (Beneficiary.cl % 2 == 1,)
    for start in range(0, len(values), CHUNK):
        found += uow.session.scalars(
            select(Beneficiary).where(column.in_(values[start : start + CHUNK]), *alive)
        ).all()
    return found


def find_candidates(uow: UnitOfWork, beneficiary_ids: Iterable[uuid.UUID]) -> int:
    """Record every new possible duplicate of these people; return how many were new."""
    people = _living(uow, Beneficiary.id, list(beneficiary_ids))
    if not people:
        return 0
    by_cin: dict[str, list[Beneficiary]] = defaultdict(list)
    by_name: dict[tuple[str, dt.date], list[Beneficiary]] = defaultdict(list)
    for other in _living(uow, Beneficiary.cin, sorted({p.cin for p in people if p.cin})):
        by_cin[other.cin].append(other)
    for other in _living(
        uow, Beneficiary.sort_key, sorted({p.sort_key for p in people if p.sort_key})
    ):
        by_name[(other.sort_key, other.birth_date)].append(other)
    made = 0
    for person in people:
        matches = [(o, "cin") for o in by_cin.get(person.cin or "", [])]
        matches += [
            (o, "name_birth") for o in by_name.get((person.sort_key, person.birth_date), [])
        ]
        for other, reason in matches:
            if other.id == person.id:
                continue
            row_id, first, second = _pair_id(person.id, other.id)
            if uow.session.get(DuplicateCandidate, row_id) is not None:
                continue
            same_centre = person.centre_id == other.centre_id
            uow.add(
                DuplicateCandidate(
                    id=row_id,
                    first_id=first,
                    second_id=second,
                    reason=reason,
                    status="open",
                    centre_id=person.centre_id if same_centre else None,
                )
            )
            uow.session.flush()
            made += 1
    return made


def _person(row: Beneficiary, codes: dict[uuid.UUID, str]) -> Person:
    return Person(
        id=row.id,
        full_name_ar=f"{row.given_name_ar} {row.family_name_ar}",
        cin=row.cin,
        birth_date=row.birth_date,
        centre_code=codes.get(row.centre_id, ""),
    )


def list_candidates(uow: UnitOfWork, *, status: str = "open") -> list[CandidateRecord]:
    """The pairs of this status whose two people are here; a merged pair shows the
    removed one too (its tombstone), so that it says who was kept."""
    rows = uow.session.scalars(
        select(DuplicateCandidate).where(
            DuplicateCandidate.status == status, DuplicateCandidate.cl % 2 == 1
        )
    ).all()
    people = {
        p.id: p
        for p in _living(
            uow,
            Beneficiary.id,
            sorted({r.first_id for r in rows} | {r.second_id for r in rows}, key=str),
            removed_too=status == "merged",
        )
    }
    codes = {c.id: c.code for c in uow.session.scalars(select(Centre))}
    records = [
        CandidateRecord(
            row.id,
            row.reason,
            row.status,
            _person(people[row.first_id], codes),
            _person(people[row.second_id], codes),
            row.kept_id,
        )
        for row in rows
        if row.first_id in people and row.second_id in people
    ]
    return sorted(records, key=lambda r: (r.first.full_name_ar, str(r.id)))


def dismiss(uow: UnitOfWork, candidate_id: str) -> None:
    """Two different people after all: the pair is closed everywhere it travels."""
    try:
        row = uow.session.get(DuplicateCandidate, uuid.UUID(candidate_id))
    except ValueError:
        row = None
    if row is None:
        raise InputRejected(FieldError("id", _("No possible duplicate has this id.")))
    if row.status == "merged":
        raise InputRejected(
            FieldError("id", _("These two records were merged already: the pair is closed."))
        )
    row.status = "invalid"
    uow.session.flush()
