"""Merging two records of one person, and what arrives for the removed one afterwards.

``merge`` ends a possible duplicate (app/services/duplicates.py) the way a person chose:
the kept record takes the other's information where its own is empty (a filled field is
never overwritten); everything that pointed at the other record (enrolments, attendance
marks, event participations, follow-ups, certificates) points at the kept one; the other
record is removed (a tombstone) and the pair is closed as "merged", naming the record
kept. All in one unit of work, so it travels to the other registers as ordinary changes.

Rows whose id is made from the person (an enrolment: group + person; a mark: session +
person; a participation: event + person) cannot change person in place: the kept
person's row of the same natural id takes their values (made, or brought back, when
missing) and the other's row is removed. When the kept person already has that row, the
two are combined, the same way on every register:
- a mark: the stronger of the two, present > late > excused > absent (one person on two
  lines of a sheet was there if either line says so);
- an enrolment: the further outcome, completed > active > transferred > dropped, with its
  end date, reason and mention; the earlier start date;
- a participation: the kept person's, its empty fields filled from the other's.

``follow_merges`` runs after each bundle is merged (app/sync/import_.py). A laptop that
has not heard of a merge yet keeps writing rows for the removed person (marks, an
enrolment, a correction of a mark already moved); when they arrive they follow the merge
to the kept person, by the rules above, so every register that does it writes the same
values. A change to a removed row that no removal of that row had seen is such a late
change: once followed, the row is acknowledged (a change without fields that has seen it,
at the same causal length), so it is followed once and the row stays removed exactly as
before. Following never steps a causal length: a register that knows less than another
must not outvote, by following more late changes, what the other decided.

Two merges of one pair made apart, one keeping each record, remove both. The pair keeps
the record the later merge named (last writer wins, as for any field), and
``follow_merges`` brings it back with the marks, enrolments and participations that the
other merge, and the rows following it anywhere, had moved away; what went to the other
record then follows it back, by the rules above. A merge's own changes are numbered
between the pair's two changes (closed, then the record kept), which is how a register
tells what a merge made elsewhere removed. The same holds for merges made apart that
removed a whole circle of records: the first of the circle by id comes back. A person
brought back this way steps its causal length by one, so the restore beats the removals
(nothing but a person's own choice steps a removed record further); every register that
does it writes the same values. Removed by hand after that, it stays
removed: someone chose it.

A register that finds a pair before it hears of the pair's merge makes the pair's row
too, open and later by the clock, so the pair would read open again everywhere; one of
the two being removed, ``follow_merges`` finds the merge in the log and closes the pair
again, naming the record the merge kept.

``orphans`` counts the living rows left pointing at a person removed without a merge (a
record deleted by hand keeps its marks and enrolments): they are kept, in case the person
is brought back, and reported.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, exists, func, or_, select
from sqlalchemy.orm import aliased

from app.i18n import _
from app.models import (
    Attendance,
    Beneficiary,
    Centre,
    Certificate,
    ChangeLog,
    DuplicateCandidate,
    Enrolment,
    EventParticipant,
    FollowUp,
    Synced,
    synced_columns,
)
from app.models.ids import natural_id
from app.services.context import by_id_or_prefix
from app.services.duplicates import find_candidates
from app.services.errors import FieldError, InputRejected
from app.services.records import BeneficiaryRecord, from_row
from app.services.unit_of_work import UnitOfWork
from app.vocabulary import AttendanceStatus, EnrolmentStatus

CHUNK = 500

MARK_STRENGTH = {
    AttendanceStatus.PRESENT.value: 3,
    AttendanceStatus.LATE.value: 2,
    AttendanceStatus.EXCUSED.value: 1,
    AttendanceStatus.ABSENT.value: 0,
}
OUTCOME_STRENGTH = {
    EnrolmentStatus.COMPLETED.value: 3,
    EnrolmentStatus.ACTIVE.value: 2,
    EnrolmentStatus.TRANSFERRED.value: 1,
    EnrolmentStatus.DROPPED.value: 0,
}
# An enrolment's outcome: these fields go together.
OUTCOME_FIELDS = ("status", "end_date", "reason", "mention")

# Rows whose id is the natural id (kind, parent, person): model → (kind, parent column).
NATURAL: dict[type[Synced], tuple[str, str]] = {
    Enrolment: ("enrolment", "group_id"),
    Attendance: ("attendance", "session_id"),
    EventParticipant: ("event_participant", "event_id"),
}
# Every kind of row that names a person, in the order they are moved.
REFERRING: tuple[type[Synced], ...] = (
    Enrolment,
    Attendance,
    EventParticipant,
    FollowUp,
    Certificate,
)
# Columns of the rows moved in place that name a row of NATURAL: when it belonged to the
# removed person, it moved too, to the natural id of the kept one.
LINKS: dict[str, type[Synced]] = {"enrolment_id": Enrolment, "participant_id": EventParticipant}
# What a person's record may take from the other: everything optional. The names, sex and
# birth date made the pair and stay as the kept record has them.
ABSORBED = tuple(
    c.key for c in Beneficiary.__table__.columns if c.nullable and not c.info.get("local")
)


@dataclass(frozen=True)
class MergeSide:
    """One of the two records, as the person choosing which to keep sees it."""

    person: BeneficiaryRecord
    centre_code: str
    enrolments: int
    marks: int
    #: Follow-ups, event participations and certificates.
    others: int


@dataclass(frozen=True)
class MergePreview:
    candidate_id: uuid.UUID
    reason: str
    first: MergeSide
    second: MergeSide


@dataclass(frozen=True)
class Merged:
    candidate_id: uuid.UUID
    kept: BeneficiaryRecord
    removed_id: uuid.UUID
    #: The fields the kept record took from the other one.
    filled: tuple[str, ...]
    #: Rows that now point at the kept person.
    moved: int
    #: Of those, rows combined with one the kept person already had.
    combined: int


# -- the merge ------------------------------------------------------------------------


def _open_pair(
    uow: UnitOfWork, candidate_id: str | uuid.UUID
) -> tuple[DuplicateCandidate, Beneficiary, Beneficiary]:
    """The open pair ``candidate_id`` names and its two living people; a clear refusal
    when it cannot be merged."""
    rows = by_id_or_prefix(uow.session, DuplicateCandidate, str(candidate_id))
    if len(rows) != 1:
        raise InputRejected(FieldError("id", _("No possible duplicate has this id.")))
    pair = rows[0]
    if pair.status == "merged":
        raise InputRejected(
            FieldError("id", _("These two records were merged already: the pair is closed."))
        )
    if pair.status != "open":
        raise InputRejected(
            FieldError(
                "id",
                _("This pair was marked as two different people: there is nothing to merge."),
            )
        )
    first = uow.session.get(Beneficiary, pair.first_id)
    second = uow.session.get(Beneficiary, pair.second_id)
    if first is None or second is None or not first.alive or not second.alive:
        raise InputRejected(
            FieldError("id", _("One of the two records was removed: there is nothing to merge."))
        )
    if first.centre_id != second.centre_id:
        codes = _centre_codes(uow)
        raise InputRejected(
            FieldError(
                "id",
                _(
                    "These two records belong to two centres ({first} and {second}); each "
                    "centre keeps its own record, so they are not merged."
                ).format(
                    first=codes.get(first.centre_id, ""), second=codes.get(second.centre_id, "")
                ),
            )
        )
    return pair, first, second


def _centre_codes(uow: UnitOfWork) -> dict[uuid.UUID, str]:
    return {c.id: c.code for c in uow.session.scalars(select(Centre))}


def _count(uow: UnitOfWork, model: type[Synced], person: uuid.UUID) -> int:
    return uow.session.scalar(
        select(func.count())
        .select_from(model)
        .where(model.beneficiary_id == person, model.cl % 2 == 1)
    )


def _side(uow: UnitOfWork, row: Beneficiary, codes: dict[uuid.UUID, str]) -> MergeSide:
    return MergeSide(
        person=from_row(BeneficiaryRecord, row),
        centre_code=codes.get(row.centre_id, ""),
        enrolments=_count(uow, Enrolment, row.id),
        marks=_count(uow, Attendance, row.id),
        others=sum(_count(uow, m, row.id) for m in (EventParticipant, FollowUp, Certificate)),
    )


def preview(uow: UnitOfWork, candidate_id: str | uuid.UUID) -> MergePreview:
    """The two records of an open pair side by side, with what hangs on each."""
    pair, first, second = _open_pair(uow, candidate_id)
    codes = _centre_codes(uow)
    return MergePreview(pair.id, pair.reason, _side(uow, first, codes), _side(uow, second, codes))


def _kept_one(pair: DuplicateCandidate, keep: str | uuid.UUID) -> uuid.UUID:
    """The one of the pair ``keep`` names: its id, or the start of it."""
    typed = str(keep).strip().lower()
    matches = [
        person
        for person in (pair.first_id, pair.second_id)
        if typed and (str(person) == typed or (len(typed) >= 6 and str(person).startswith(typed)))
    ]
    if len(matches) > 1:
        raise InputRejected(
            FieldError(
                "keep",
                _("“{ref}” is the start of both records' ids; type more of it.").format(ref=keep),
            )
        )
    if not matches:
        raise InputRejected(
            FieldError(
                "keep",
                _("“{ref}” is not one of the two records of this pair.").format(ref=keep),
            )
        )
    return matches[0]


def merge(uow: UnitOfWork, candidate_id: str | uuid.UUID, *, keep: str | uuid.UUID) -> Merged:
    """Make the two records of a possible duplicate one: ``keep`` stays, the other goes."""
    pair, first, second = _open_pair(uow, candidate_id)
    kept_id = _kept_one(pair, keep)
    kept, removed = (first, second) if first.id == kept_id else (second, first)
    # The pair's first change closes it and its last names the record kept: the merge's
    # own changes are numbered in between, so a register that learns of a merge of the
    # same pair made elsewhere, keeping the other record, can tell what this one removed.
    pair.status = "merged"
    uow.session.flush()
    filled = _absorb(kept, removed)
    mover = _Mover(uow)
    for model in REFERRING:
        for row in _rows_of(uow, model, [removed.id]):
            if row.alive:
                mover.move(row, removed=removed.id, kept=kept.id)
    uow.delete(removed)
    uow.session.flush()
    pair.kept_id = kept.id
    uow.session.flush()
    # Someone else may be this person too: the kept record, with what it took, says so.
    find_candidates(uow, [kept.id])
    return Merged(
        pair.id,
        from_row(BeneficiaryRecord, kept),
        removed.id,
        filled,
        mover.moved + mover.combined,
        mover.combined,
    )


def _absorb(kept: Beneficiary, other: Beneficiary) -> tuple[str, ...]:
    """Fill the kept record's empty fields from the other's; return their names."""
    filled = []
    for name in ABSORBED:
        if getattr(kept, name) in (None, "") and getattr(other, name) not in (None, ""):
            setattr(kept, name, getattr(other, name))
            filled.append(name)
    return tuple(filled)


def _rows_of(uow: UnitOfWork, model: type[Synced], people: Sequence[uuid.UUID]) -> list[Any]:
    """Every row of ``model`` (removed ones too) naming one of ``people``, in a stable order:
    rows combined into one take empty fields first come, first served."""
    found: list[Any] = []
    for start in range(0, len(people), CHUNK):
        found += uow.session.scalars(
            select(model).where(model.beneficiary_id.in_(people[start : start + CHUNK]))
        ).all()
    return sorted(found, key=lambda row: (str(row.beneficiary_id), str(row.id)))


def _values(model: type[Synced], row: Any) -> dict[str, Any]:
    """A row's shared fields but its identity and its person."""
    return {
        name: getattr(row, name)
        for name in synced_columns(model.__table__)
        if name not in ("id", "cl", "beneficiary_id")
    }


def _combine(target: Any, other: Any) -> None:
    """Fold ``other`` (the removed person's row) into ``target`` (the kept person's)."""
    if isinstance(target, Attendance):
        if MARK_STRENGTH.get(other.status, -1) > MARK_STRENGTH.get(target.status, -1):
            target.status = other.status
        return
    if isinstance(target, Enrolment):
        ours = OUTCOME_STRENGTH.get(target.status, -1)
        theirs = OUTCOME_STRENGTH.get(other.status, -1)
        if theirs > ours:
            for name in OUTCOME_FIELDS:
                setattr(target, name, getattr(other, name))
        elif theirs == ours:
            _fill(target, other, OUTCOME_FIELDS)
        target.start_date = min(target.start_date, other.start_date)
        return
    _fill(target, other, _values(type(target), other))


def _fill(target: Any, other: Any, names: Sequence[str] | dict[str, Any]) -> None:
    for name in names:
        if getattr(target, name) is None and getattr(other, name) is not None:
            setattr(target, name, getattr(other, name))


class _Mover:
    """Moves rows from a removed person to the kept one, counting what it did."""

    def __init__(self, uow: UnitOfWork) -> None:
        self.uow = uow
        self.moved = 0
        self.combined = 0

    def _target(self, row: Any, kept: uuid.UUID) -> tuple[uuid.UUID, Any]:
        """The natural id of ``row``'s counterpart for the kept person, and that row."""
        model = type(row)
        kind, parent = NATURAL[model]
        target_id = natural_id(kind, getattr(row, parent), kept)
        return target_id, self.uow.session.get(model, target_id)

    def _linked(
        self, model: type[Synced], row_id: uuid.UUID, *, removed: uuid.UUID, kept: uuid.UUID
    ) -> uuid.UUID:
        """Where a link to ``row_id`` points once the removed person's rows moved."""
        linked = self.uow.session.get(model, row_id)
        if linked is None or linked.beneficiary_id != removed:
            return row_id
        kind, parent = NATURAL[model]
        return natural_id(kind, getattr(linked, parent), kept)

    def move(self, row: Any, *, removed: uuid.UUID, kept: uuid.UUID) -> None:
        """A living row of the removed person becomes the kept person's."""
        model = type(row)
        if model not in NATURAL:
            row.beneficiary_id = kept
            for column, linked in LINKS.items():
                value = getattr(row, column, None)
                if value is not None:
                    setattr(row, column, self._linked(linked, value, removed=removed, kept=kept))
            self.moved += 1
            return
        target_id, target = self._target(row, kept)
        if target is None:
            self.uow.add(model(id=target_id, beneficiary_id=kept, **_values(model, row)))
            # Visible to the next look-up: two removed people may fold into one row.
            self.uow.session.flush()
            self.moved += 1
        elif target.alive:
            _combine(target, row)
            self.combined += 1
        else:
            # The kept person's row was removed; the moved one says it holds again.
            self.uow.restore(target)
            for name, value in _values(model, row).items():
                setattr(target, name, value)
            self.moved += 1
        self.uow.delete(row)

    def follow_late(self, row: Any, *, kept: uuid.UUID) -> None:
        """A removed row of the removed person changed by a laptop that had not seen the
        removal: the change joins the row it moved to (never bringing a removed one
        back), and the row, still removed, acknowledges the change."""
        _target_id, target = self._target(row, kept)
        if target is not None and target.alive:
            _combine(target, row)
            self.combined += 1
        self.uow.acknowledge(row)


# -- after an import -----------------------------------------------------------------


@dataclass(frozen=True)
class _Pair:
    """A merged pair as the register holds it: the record kept and the one removed."""

    id: uuid.UUID
    kept: uuid.UUID
    removed: uuid.UUID


@dataclass(frozen=True)
class _MergeMade:
    """One merge as the change log holds it: where it was made, the record it kept, the
    numbers of its first and last changes (the pair's, its own changes in between), the
    clock of the first, and the order of the last among the pair's changes."""

    pair: _Pair
    origin: str
    first_seq: int
    last_seq: int
    began: tuple[int, int]
    decided: tuple[int, int, str, int]
    kept: uuid.UUID

    @property
    def removed(self) -> uuid.UUID:
        return self.pair.removed if self.kept == self.pair.kept else self.pair.kept


def _merged_pairs(uow: UnitOfWork) -> list[_Pair]:
    """Every merged pair, in id order: when two merges removed one person keeping two
    others, the first pair in that order says where the person's rows go, everywhere."""
    pairs = [
        _Pair(pair_id, kept, second if kept == first else first)
        for pair_id, first, second, kept in uow.session.execute(
            select(
                DuplicateCandidate.id,
                DuplicateCandidate.first_id,
                DuplicateCandidate.second_id,
                DuplicateCandidate.kept_id,
            ).where(DuplicateCandidate.kept_id.is_not(None), DuplicateCandidate.cl % 2 == 1)
        )
        if kept in (first, second)
    ]
    return sorted(pairs, key=lambda pair: str(pair.id))


def _removed_among(uow: UnitOfWork, people: Sequence[uuid.UUID]) -> set[uuid.UUID]:
    removed: set[uuid.UUID] = set()
    for start in range(0, len(people), CHUNK):
        removed.update(
            uow.session.scalars(
                select(Beneficiary.id).where(
                    Beneficiary.id.in_(people[start : start + CHUNK]), Beneficiary.cl % 2 == 0
                )
            )
        )
    return removed


def _walk(
    step: dict[uuid.UUID, uuid.UUID], removed: set[uuid.UUID]
) -> tuple[dict[uuid.UUID, uuid.UUID], set[uuid.UUID]]:
    """Each removed person a merge named and the end of its chain of merges; and the
    people no chain can end with: a removed end that no merge removed in turn, or, when
    merges made apart each kept the one another removed (a circle), the first of the
    circle by id."""
    kept_of: dict[uuid.UUID, uuid.UUID] = {}
    stuck: set[uuid.UUID] = set()
    for person in sorted(step, key=str):
        if person not in removed:
            continue  # brought back since: it stands on its own again
        seen, kept = [person], step[person]
        # The kept one merged in turn into a third: follow to the end.
        while kept in step and kept in removed and kept not in seen:
            seen.append(kept)
            kept = step[kept]
        if kept in seen:
            stuck.add(min(seen[seen.index(kept) :], key=str))
            continue
        if kept in removed:
            stuck.add(kept)
        kept_of[person] = kept
    return kept_of, stuck


def _merges_made(uow: UnitOfWork, pairs: Sequence[_Pair]) -> list[_MergeMade]:
    """Every merge of these pairs the change log holds, the ones that lost too."""
    by_id = {pair.id: pair for pair in pairs}
    ids = sorted(by_id, key=str)
    entries = []
    for start in range(0, len(ids), CHUNK):
        entries += uow.session.execute(
            select(
                ChangeLog.row_id,
                ChangeLog.origin_site,
                ChangeLog.origin_seq,
                ChangeLog.hlc_wall,
                ChangeLog.hlc_counter,
                ChangeLog.fields,
            )
            .where(ChangeLog.row_id.in_(ids[start : start + CHUNK]))
            .where(ChangeLog.table_name == DuplicateCandidate.__tablename__)
        ).all()
    made: list[_MergeMade] = []
    began: dict[tuple[uuid.UUID, str], tuple[int, tuple[int, int]]] = {}
    for pair_id, origin, seq, wall, counter, fields in sorted(
        entries, key=lambda e: (str(e[0]), e[1], e[2])
    ):
        values = json.loads(fields)
        if values.get("status") == "merged":
            began[(pair_id, origin)] = (seq, (wall, counter))
        kept = values.get("kept_id")
        if kept is not None and (pair_id, origin) in began:
            first_seq, clock = began[(pair_id, origin)]
            made.append(
                _MergeMade(
                    by_id[pair_id],
                    origin,
                    first_seq,
                    seq,
                    clock,
                    (wall, counter, origin, seq),
                    uuid.UUID(kept),
                )
            )
    return made


def _living_since(uow: UnitOfWork, row_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, int]:
    """Each row's last causal length that said it was alive."""
    found: dict[uuid.UUID, int] = {}
    for start in range(0, len(row_ids), CHUNK):
        found.update(
            (row_id, cl)
            for row_id, cl in uow.session.execute(
                select(ChangeLog.row_id, func.max(ChangeLog.cl))
                .where(ChangeLog.row_id.in_(row_ids[start : start + CHUNK]), ChangeLog.cl % 2 == 1)
                .group_by(ChangeLog.row_id)
            )
        )
    return found


def _removed_by(uow: UnitOfWork, person: uuid.UUID, merges: Sequence[_MergeMade]) -> int | None:
    """The causal length these merges removed ``person`` with, if one of them did."""
    found = [
        cl
        for made in merges
        for cl in uow.session.scalars(
            select(ChangeLog.cl).where(
                ChangeLog.row_id == person,
                ChangeLog.origin_site == made.origin,
                ChangeLog.origin_seq > made.first_seq,
                ChangeLog.origin_seq < made.last_seq,
                ChangeLog.cl % 2 == 0,
            )
        )
    ]
    return max(found) if found else None


def _moved_away_since(
    uow: UnitOfWork, person: uuid.UUID, *, began: tuple[int, int], others: Sequence[uuid.UUID]
) -> list[Any]:
    """The removed rows of ``person`` that one of ``others`` has too (they were moved
    there), removed at ``began`` or later: by the merges, or by rows following them."""
    moved = []
    for model, (kind, parent) in NATURAL.items():
        for row in _rows_of(uow, model, [person]):
            if not row.alive and any(
                uow.session.get(model, natural_id(kind, getattr(row, parent), other)) is not None
                for other in others
            ):
                moved.append(row)
    ids = [row.id for row in moved]
    alive_at = _living_since(uow, ids)
    since: set[uuid.UUID] = set()
    for start in range(0, len(ids), CHUNK):
        for row_id, cl, wall, counter in uow.session.execute(
            select(ChangeLog.row_id, ChangeLog.cl, ChangeLog.hlc_wall, ChangeLog.hlc_counter).where(
                ChangeLog.row_id.in_(ids[start : start + CHUNK]), ChangeLog.cl % 2 == 0
            )
        ):
            # A removal after the row was last alive, and after the first merge began.
            if cl > alive_at.get(row_id, 0) and (wall, counter) >= began:
                since.add(row_id)
    return [row for row in moved if row.id in since]


def _bring_back_person(uow: UnitOfWork, person: uuid.UUID, merges: Sequence[_MergeMade]) -> int:
    """Bring back ``person``, which these merges removed, unless someone brought it back
    since (a later removal is then someone's choice); with it, its marks, enrolments and
    participations that went to the records the merges kept. A restore steps the causal
    length, so it beats the removals everywhere. Returns how many rows came back."""
    removed_with = _removed_by(uow, person, merges)
    record = uow.session.get(Beneficiary, person)
    if (
        removed_with is None
        or record is None
        or record.alive
        or _living_since(uow, [person]).get(person, 0) > removed_with
    ):
        return 0
    uow.restore(record)
    rows = _moved_away_since(
        uow,
        person,
        began=min(made.began for made in merges),
        others=sorted({made.kept for made in merges}, key=str),
    )
    for row in rows:
        uow.restore(row)
    return 1 + len(rows)


def _bring_back(
    uow: UnitOfWork, stuck: set[uuid.UUID], pairs: Sequence[_Pair]
) -> dict[uuid.UUID, int]:
    """Two merges of one pair made apart, each keeping the other record, removed both
    (or merges made apart removed a whole circle of records): the record the pair now
    names as kept (the first of the circle) comes back, so one of them survives. Returns
    the people brought back, and how many rows came back with each."""
    concerned = [pair for pair in pairs if stuck & {pair.kept, pair.removed}]
    merges_of: dict[uuid.UUID, list[_MergeMade]] = {}
    for made in _merges_made(uow, concerned):
        if made.removed in stuck:
            merges_of.setdefault(made.removed, []).append(made)
    # A person removed by hand, not by a merge, stays removed: what follows it is orphaned.
    back = {
        person: _bring_back_person(uow, person, merges_of[person])
        for person in sorted(merges_of, key=str)
    }
    return {person: rows for person, rows in back.items() if rows}


def _close_again(uow: UnitOfWork) -> int:
    """A register that found a pair before it heard of its merge made the pair's row
    too, open, and later by the clock: its row wins and the pair reads open again (or a
    pair dismissed apart from its merge reads "two people"). One of the two is removed,
    and the log holds the merge: the pair is closed again, naming the record the last
    merge kept. Returns how many pairs were."""
    first, second = aliased(Beneficiary), aliased(Beneficiary)
    reopened = uow.session.scalars(
        select(DuplicateCandidate)
        .join(first, first.id == DuplicateCandidate.first_id)
        .join(second, second.id == DuplicateCandidate.second_id)
        .where(
            DuplicateCandidate.status != "merged",
            DuplicateCandidate.cl % 2 == 1,
            or_(first.cl % 2 == 0, second.cl % 2 == 0),
        )
    ).all()
    if not reopened:
        return 0
    last: dict[uuid.UUID, _MergeMade] = {}
    for made in _merges_made(uow, [_Pair(r.id, r.first_id, r.second_id) for r in reopened]):
        if made.pair.id not in last or made.decided > last[made.pair.id].decided:
            last[made.pair.id] = made
    for pair in reopened:
        if pair.id in last:
            pair.status, pair.kept_id = "merged", last[pair.id].kept
    uow.session.flush()
    return len(last)


def _merged_away(uow: UnitOfWork) -> tuple[dict[uuid.UUID, uuid.UUID], int]:
    """Each removed person a merge named, and the end of its chain of merges; and how
    many rows were brought back so that every chain ends with someone."""
    pairs = _merged_pairs(uow)
    if not pairs:
        return {}, 0
    step: dict[uuid.UUID, uuid.UUID] = {}
    for pair in pairs:
        step.setdefault(pair.removed, pair.kept)
    removed = _removed_among(uow, sorted({p.kept for p in pairs} | set(step), key=str))
    kept_of, stuck = _walk(step, removed)
    if not stuck:
        return kept_of, 0
    brought_back = _bring_back(uow, stuck, pairs)
    if not brought_back:
        return kept_of, 0
    uow.session.flush()
    kept_of, _stuck = _walk(step, removed - brought_back.keys())
    return kept_of, sum(brought_back.values())


def _unseen_changes(uow: UnitOfWork, row_ids: Sequence[uuid.UUID]) -> set[uuid.UUID]:
    """The removed rows among ``row_ids`` with a change no removal of theirs had seen: a
    removal's base clock is the newest change of the row its writer knew."""
    change, removal = aliased(ChangeLog), aliased(ChangeLog)
    seen = exists().where(
        removal.row_id == change.row_id,
        removal.cl % 2 == 0,
        or_(
            removal.base_wall > change.hlc_wall,
            and_(
                removal.base_wall == change.hlc_wall,
                removal.base_counter >= change.hlc_counter,
            ),
        ),
    )
    found: set[uuid.UUID] = set()
    for start in range(0, len(row_ids), CHUNK):
        found.update(
            uow.session.scalars(
                select(change.row_id)
                .where(
                    change.row_id.in_(row_ids[start : start + CHUNK]),
                    change.cl % 2 == 1,
                    change.fields != "{}",
                    ~seen,
                )
                .distinct()
            )
        )
    return found


def follow_merges(uow: UnitOfWork) -> int:
    """Move to the kept person what arrived for people merged away; return how many rows
    were written. Does nothing (two small queries) when no merge is known here."""
    written = _close_again(uow)
    kept_of, brought_back = _merged_away(uow)
    written += brought_back
    if not kept_of:
        return written
    removed = sorted(kept_of, key=str)
    mover = _Mover(uow)
    late: list[Any] = []
    for model in REFERRING:
        rows = _rows_of(uow, model, removed)
        # Split before moving: a row removed here now is not a late one.
        if model in NATURAL:
            late += [row for row in rows if not row.alive]
        for row in [row for row in rows if row.alive]:
            person = row.beneficiary_id
            mover.move(row, removed=person, kept=kept_of[person])
    # One look at the log for every removed row and person: changes no removal had seen.
    unseen = _unseen_changes(uow, [row.id for row in late] + removed)
    for row in late:
        if row.id in unseen:
            mover.follow_late(row, kept=kept_of[row.beneficiary_id])
    written += mover.moved + mover.combined
    # A late correction of the removed record itself: what it filled in, the kept one
    # takes where empty.
    corrected = sorted(unseen & kept_of.keys(), key=str)
    people = _people(uow, set(corrected) | {kept_of[p] for p in corrected})
    for person_id in corrected:
        person, kept = people[person_id], people.get(kept_of[person_id])
        if kept is not None:
            _absorb(kept, person)
        uow.acknowledge(person)
        written += 1
    uow.session.flush()
    return written


def _people(uow: UnitOfWork, ids: set[uuid.UUID]) -> dict[uuid.UUID, Beneficiary]:
    wanted = sorted(ids, key=str)
    found: dict[uuid.UUID, Beneficiary] = {}
    for start in range(0, len(wanted), CHUNK):
        for row in uow.session.scalars(
            select(Beneficiary).where(Beneficiary.id.in_(wanted[start : start + CHUNK]))
        ):
            found[row.id] = row
    return found


# -- what is left pointing nowhere ---------------------------------------------------------


def orphans(uow: UnitOfWork) -> int:
    """How many living rows point at a person removed without a merge."""
    removed = list(uow.session.scalars(select(Beneficiary.id).where(Beneficiary.cl % 2 == 0)))
    count = 0
    for model in REFERRING:
        for start in range(0, len(removed), CHUNK):
            count += uow.session.scalar(
                select(func.count())
                .select_from(model)
                .where(model.cl % 2 == 1, model.beneficiary_id.in_(removed[start : start + CHUNK]))
            )
    return count
