"""Every row of a list checked before anything is written; then the writing, all or none.

``plan_import`` reads each row of people through the register's own checks
(``beneficiaries.clean``: names, sex, dates, CIN, phone, a guardian for a minor) and
sorts it: a new person, a person the register already has (same ID number, or same
names and birth date), or a refused row with its reasons, column by column. A person
twice in the file is refused the second time; an ID number the register gives to
someone else is refused. Rows naming a group are checked against the season's groups,
the programme's ages and the places left.

``carry_out`` writes the plan in the caller's unit of work: every new person in bulk,
then the enrolments through ``groups.enrol``. It refuses the whole file while any row is
refused, unless the valid rows only were asked for. People already in the register are
never added again nor changed, so importing the same file twice adds nobody the second
time (only enrolments they do not have yet).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from app.i18n import _, current_language, ngettext
from app.services import beneficiaries, groups
from app.services.centres import list_programmes
from app.services.context import where
from app.services.errors import FieldError, InputRejected
from app.services.imports.cleaning import clean_row, shown
from app.services.imports.headers import BY_KEY, Column, Layout, check_mapping, field_label
from app.services.imports.reading import SourceRow, Table, listing, refuse
from app.services.progress import Progress
from app.services.records import BeneficiaryRecord, GroupRecord, ProgrammeRecord
from app.services.text import fold
from app.services.unit_of_work import UnitOfWork
from app.services.validation import age_on
from app.vocabulary import EnrolmentStatus

BATCH = 500
_STEP = 100


@dataclass(frozen=True)
class RowProblem:
    """Why one cell (or one row) of the file is refused."""

    row: int  # as the spreadsheet numbers it
    column: str  # "C — تاريخ الازدياد", or the field's name when the file has no such column
    value: str
    message: str


@dataclass(frozen=True)
class PlannedPerson:
    """A valid row: a person to add, or one the register already has."""

    row: int
    values: Mapping[str, object]  # the stored values, as beneficiaries.clean gives them
    existing: BeneficiaryRecord | None
    groups: tuple[GroupRecord, ...]  # groups to enrol the person in (not yet a member)
    start_date: dt.date | None

    @property
    def name(self) -> str:
        return f"{self.values['given_name_ar']} {self.values['family_name_ar']}"


@dataclass(frozen=True)
class ImportPlan:
    file_name: str
    today: dt.date
    people: tuple[PlannedPerson, ...]
    problems: tuple[RowProblem, ...]

    @property
    def new(self) -> tuple[PlannedPerson, ...]:
        return tuple(p for p in self.people if p.existing is None)

    @property
    def known(self) -> tuple[PlannedPerson, ...]:
        return tuple(p for p in self.people if p.existing is not None)

    @property
    def rejected_rows(self) -> tuple[int, ...]:
        return tuple(sorted({p.row for p in self.problems}))

    @property
    def enrolments(self) -> int:
        return sum(len(p.groups) for p in self.people)


@dataclass(frozen=True)
class ImportResult:
    registered: int
    enrolled: int
    already: int  # people already in the register, left as they were
    left_out: int  # refused rows not imported (with "valid rows only")
    ids: tuple[uuid.UUID, ...]  # the people registered, in the file's order


class ImportRefused(InputRejected):
    """Rows of the file are refused, so nothing was imported; ``plan`` says which."""

    def __init__(self, plan: ImportPlan) -> None:
        self.plan = plan
        count = len(plan.rejected_rows)
        super().__init__(
            FieldError(
                "file",
                ngettext(
                    "{n} row of {name} is refused, so nothing was imported.",
                    "{n} rows of {name} are refused, so nothing was imported.",
                    count,
                ).format(n=count, name=plan.file_name),
            )
        )


class _Rows:
    """The problems found so far, each placed in its column."""

    def __init__(self, columns: Mapping[str, Column]) -> None:
        self.columns = columns
        self._found: list[tuple[int, int, RowProblem]] = []

    def refuse(self, source: SourceRow, field: str, message: str) -> None:
        column = self.columns.get(field)
        if column is not None:
            where_, order = column.title(), column.index
            value = shown(source.values[column.index])
        else:
            where_ = field_label(field) if field in BY_KEY else field
            value, order = "", len(source.values)
        self._found.append(
            (source.number, order, RowProblem(source.number, where_, value, message))
        )

    def problems(self) -> tuple[RowProblem, ...]:
        """Row by row, and within a row from the first column to the last."""
        return tuple(p for _row, _order, p in sorted(self._found, key=lambda f: f[:2]))


@dataclass
class _Candidate:
    source: SourceRow
    values: dict[str, object]
    group_names: tuple[str, ...]
    enrolment_date: dt.date | None


def _person_key(family: object, given: object, birth: object) -> tuple[str, str, object]:
    """Who a person is when no ID number says it: folded names and the birth date."""
    return fold(str(family)), fold(str(given)), birth


def _key_of(values: Mapping[str, object]) -> tuple[str, str, object]:
    return _person_key(values["family_name_ar"], values["given_name_ar"], values["birth_date"])


def plan_import(
    uow: UnitOfWork,
    table: Table,
    layout: Layout,
    mapping: Sequence[str | None],
    *,
    today: dt.date,
    progress: Progress | None = None,
) -> ImportPlan:
    """Check every row of ``table`` under ``mapping``; nothing is written."""
    check_mapping(layout, mapping)
    columns = {key: c for c, key in zip(layout.columns, mapping, strict=True) if key}
    rows = table.rows[layout.data_start :]
    if not rows:
        raise refuse(
            _("{name} has its header but no row of people under it.").format(name=table.path.name)
        )
    found = _Rows(columns)
    candidates = _checked_rows(rows, columns, found, today=today, progress=progress)
    people = _against_register(uow, candidates, found)
    return ImportPlan(
        file_name=table.path.name,
        today=today,
        people=tuple(people),
        problems=found.problems(),
    )


def _checked_rows(
    rows: Sequence[SourceRow],
    columns: Mapping[str, Column],
    found: _Rows,
    *,
    today: dt.date,
    progress: Progress | None,
) -> list[_Candidate]:
    """The rows the register's checks accept, each person once."""
    candidates: list[_Candidate] = []
    seen_cin: dict[object, int] = {}
    seen_person: dict[tuple[str, str, object], int] = {}
    for number, source in enumerate(rows):
        if progress is not None and number % _STEP == 0:
            progress.step(number, len(rows))
        cells = {key: source.values[column.index] for key, column in columns.items()}
        cleaned = clean_row(cells, today=today)
        errors = list(cleaned.errors)
        try:
            values = beneficiaries.clean(cleaned.data, today=today)
        except InputRejected as rejected:
            # A cell the cleaning already refused is not refused a second time as empty.
            failed = {e.field for e in errors}
            errors += [e for e in rejected.errors if e.field not in failed]
            values = {}
        if errors:
            for error in errors:
                found.refuse(source, error.field, error.message)
            continue
        cin = values["cin"]
        person = _key_of(values)
        if cin and cin in seen_cin:
            found.refuse(
                source, "cin", _("The same ID number as row {row}.").format(row=seen_cin[cin])
            )
            continue
        if person in seen_person:
            found.refuse(
                source,
                "family_name_ar",
                _("The same person (names and birth date) as row {row}.").format(
                    row=seen_person[person]
                ),
            )
            continue
        if cin:
            seen_cin[cin] = source.number
        seen_person[person] = source.number
        candidates.append(_Candidate(source, values, cleaned.groups, cleaned.enrolment_date))
    if progress is not None:
        progress.step(len(rows), len(rows))
    return candidates


class _Groups:
    """The season's groups as an import meets them: by name, with their places left."""

    def __init__(self, uow: UnitOfWork) -> None:
        self.uow = uow
        place = where(uow.session)
        self.season_start, self.season_end = place.season.start_date, place.season.end_date
        self.season_label = place.season.label
        self.by_name = {fold(g.name): g for g in groups.list_groups(uow)}
        self.programmes: dict[uuid.UUID, ProgrammeRecord] = {p.id: p for p in list_programmes(uow)}
        self.taken = {g.id: g.enrolled for g in self.by_name.values()}
        self._members: dict[uuid.UUID, set[uuid.UUID]] = {}

    def active_members(self, group: GroupRecord) -> set[uuid.UUID]:
        if group.id not in self._members:
            self._members[group.id] = {
                m.beneficiary_id
                for m in groups.group_members(self.uow, group=str(group.id))
                if m.status == EnrolmentStatus.ACTIVE.value
            }
        return self._members[group.id]

    def age_refusal(self, group: GroupRecord, name: str, birth: dt.date) -> str | None:
        """The same refusal ``groups.enrol`` would give, said before anything is written."""
        programme = self.programmes[group.programme_id]
        low, high = programme.min_age, programme.max_age
        age = age_on(birth, self.season_start)
        if (low is None or age >= low) and (high is None or age <= high):
            return None
        if high is None:
            text = _(
                "{name} will be {age} at the start of the season; {programme} is for ages "
                "{low} and over."
            )
        elif low is None:
            text = _(
                "{name} will be {age} at the start of the season; {programme} is for ages up "
                "to {high}."
            )
        else:
            text = _(
                "{name} will be {age} at the start of the season; {programme} is for ages "
                "{low} to {high}."
            )
        title = programme.name_ar if current_language() == "ar" else programme.name_fr
        return text.format(name=name, age=age, programme=title, low=low, high=high)


def _against_register(
    uow: UnitOfWork, candidates: list[_Candidate], found: _Rows
) -> list[PlannedPerson]:
    """Each checked row as a new or known person, with the groups to enrol it in; rows
    that clash with the register or with a group are refused."""
    if not candidates:
        return []
    already = beneficiaries.people_like(
        uow,
        cins={c.values["cin"] for c in candidates if c.values["cin"]},
        people=[
            (
                str(c.values["family_name_ar"]),
                str(c.values["given_name_ar"]),
                c.values["birth_date"],
            )
            for c in candidates
        ],
    )
    by_cin = {p.cin: p for p in already if p.cin}
    by_person: dict[tuple[str, str, object], BeneficiaryRecord] = {}
    for record in already:
        by_person.setdefault(
            _person_key(record.family_name_ar, record.given_name_ar, record.birth_date), record
        )
    season = _Groups(uow) if any(c.group_names for c in candidates) else None
    people = []
    for candidate in candidates:
        values, source = candidate.values, candidate.source
        key = _key_of(values)
        cin = values["cin"]
        existing = by_cin.get(cin) if cin else None
        if (
            existing is not None
            and _person_key(existing.family_name_ar, existing.given_name_ar, existing.birth_date)
            != key
        ):
            found.refuse(
                source,
                "cin",
                _("{cin} is already the ID number of {name}, born {birth} (record {id}).").format(
                    cin=cin,
                    name=existing.full_name_ar,
                    birth=existing.birth_date.isoformat(),
                    id=str(existing.id)[:8],
                ),
            )
            continue
        if existing is None:
            existing = by_person.get(key)
            if existing is not None and existing.cin and cin and existing.cin != cin:
                found.refuse(
                    source,
                    "cin",
                    _(
                        "{name}, born {birth}, is already registered with the ID number {cin} "
                        "(record {id})."
                    ).format(
                        name=existing.full_name_ar,
                        birth=existing.birth_date.isoformat(),
                        cin=existing.cin,
                        id=str(existing.id)[:8],
                    ),
                )
                continue
        enrol_in: tuple[GroupRecord, ...] | None = ()
        if candidate.group_names:
            assert season is not None
            enrol_in = _groups_of(season, candidate, existing, found)
        if enrol_in is None:
            continue
        people.append(
            PlannedPerson(
                row=source.number,
                values=values,
                existing=existing,
                groups=enrol_in,
                start_date=candidate.enrolment_date,
            )
        )
    return people


def _groups_of(
    season: _Groups,
    candidate: _Candidate,
    existing: BeneficiaryRecord | None,
    found: _Rows,
) -> tuple[GroupRecord, ...] | None:
    """The groups a row enrols its person in (None: the row is refused)."""
    source, values = candidate.source, candidate.values
    name = f"{values['given_name_ar']} {values['family_name_ar']}"
    errors: list[tuple[str, str]] = []
    start = candidate.enrolment_date
    if start is not None and not season.season_start <= start <= season.season_end:
        errors.append(
            (
                "enrolment_date",
                _("The enrolment date must fall within the season {season}.").format(
                    season=season.season_label
                ),
            )
        )
    chosen: list[GroupRecord] = []
    for group_name in candidate.group_names:
        group = season.by_name.get(fold(group_name))
        if group is None:
            errors.append(
                (
                    "group",
                    _("There is no group “{group}” this season; its groups: {names}.").format(
                        group=group_name,
                        names=listing(g.name for g in season.by_name.values()),
                    ),
                )
            )
            continue
        if existing is not None and existing.id in season.active_members(group):
            continue
        refusal = season.age_refusal(group, name, values["birth_date"])  # type: ignore[arg-type]
        if refusal is not None:
            errors.append(("group", refusal))
            continue
        if group.capacity is not None and season.taken[group.id] >= group.capacity:
            errors.append(
                (
                    "group",
                    _("The group {group} is full ({capacity} places).").format(
                        group=group.name, capacity=group.capacity
                    ),
                )
            )
            continue
        chosen.append(group)
    if errors:
        for field, message in errors:
            found.refuse(source, field, message)
        return None
    for group in chosen:
        season.taken[group.id] += 1
    return tuple(chosen)


def carry_out(
    uow: UnitOfWork,
    plan: ImportPlan,
    *,
    valid_only: bool = False,
    progress: Progress | None = None,
) -> ImportResult:
    """Write ``plan``: ImportRefused (nothing written) while a row is refused, unless
    ``valid_only``. Cancelling through ``progress`` raises Cancelled: the caller's unit
    of work then rolls everything back."""
    if plan.problems and not valid_only:
        raise ImportRefused(plan)
    new = plan.new
    total = len(new) + plan.enrolments
    ids: list[uuid.UUID] = []
    for start in range(0, len(new), BATCH):
        ids += beneficiaries.add_checked(uow, [p.values for p in new[start : start + BATCH]])
        if progress is not None:
            progress.step(len(ids), total)
    person_ids = {p.row: p.existing.id for p in plan.known if p.existing is not None}
    person_ids.update({p.row: i for p, i in zip(new, ids, strict=True)})
    buckets: dict[tuple[uuid.UUID, dt.date | None], list[str]] = {}
    for person in plan.people:
        for group in person.groups:
            buckets.setdefault((group.id, person.start_date), []).append(
                str(person_ids[person.row])
            )
    enrolled = 0
    for (group_id, start), people in buckets.items():
        enrolled += len(
            groups.enrol(
                uow, group=str(group_id), beneficiaries=people, start_date=start, today=plan.today
            )
        )
        if progress is not None:
            progress.step(len(ids) + enrolled, total)
    return ImportResult(
        registered=len(ids),
        enrolled=enrolled,
        already=len(plan.known),
        left_out=len(plan.rejected_rows),
        ids=tuple(ids),
    )


def import_rows(
    uow: UnitOfWork,
    table: Table,
    layout: Layout,
    mapping: Sequence[str | None],
    *,
    today: dt.date,
    valid_only: bool = False,
    progress: Progress | None = None,
) -> tuple[ImportPlan, ImportResult]:
    """Check every row, then write, in one unit of work: what is written is exactly what
    was checked, even if the register changed since a preview."""
    plan = plan_import(uow, table, layout, mapping, today=today, progress=progress)
    return plan, carry_out(uow, plan, valid_only=valid_only, progress=progress)
