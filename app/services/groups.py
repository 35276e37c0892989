"""Groups of the season: opening them, listing them, enrolling people, ending enrolments."""

from __future__ import annotations

import datetime as dt
import re
import uuid
from dataclasses import dataclass

from sqlalchemy import Select, case, func, select

from app.i18n import _, current_language
from app.models import Beneficiary, Enrolment, Group, Programme, Season
from app.models.ids import natural_id
from app.services import validation
from app.services.context import (
    resolve_beneficiaries,
    resolve_beneficiary,
    resolve_group,
    resolve_programme,
    where,
)
from app.services.errors import FieldError, InputRejected
from app.services.records import EnrolmentRecord, GroupRecord, from_row
from app.services.unit_of_work import UnitOfWork
from app.vocabulary import EnrolmentStatus, Weekday

_HOURS = re.compile(r"^(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})$")
# How people write a clock time in a form: 8, 830, 0830, 8:30, 8h30, 8.30, 8h.
_CLOCK = re.compile(r"^(\d{1,2})(?:[:hH.]\s*(\d{2})?|(\d{2}))?$")
MAX_CAPACITY = 500


def parse_days(field: str, value: str) -> tuple[Weekday, ...]:
    """ "mon,wed" → (MON, WED) in week order; a clear message for anything else."""
    days = set()
    for part in value.replace(" ", "").split(","):
        if part:
            days.add(validation.choice(field, part, Weekday))
    if not days:
        raise validation.reject(field, _("Give at least one meeting day."))
    return tuple(day for day in Weekday if day in days)


def parse_hours(field: str, value: str | None) -> tuple[str | None, str | None]:
    """ "09:00-12:00" → ("09:00", "12:00"), start before end."""
    if value is None or not value.strip():
        return None, None
    match = _HOURS.match(value.strip())
    if match:
        h1, m1, h2, m2 = (int(g) for g in match.groups())
        if h1 < 24 and h2 < 24 and m1 < 60 and m2 < 60 and (h1, m1) < (h2, m2):
            return f"{h1:02d}:{m1:02d}", f"{h2:02d}:{m2:02d}"
    raise validation.reject(
        field, _("“{value}” is not a time range; write it as 09:00-12:00.").format(value=value)
    )


def clock_time(value: str) -> str:
    """ "830", "8h30", "8.30" → "08:30"; anything else comes back as typed, for
    :func:`parse_hours` to refuse with its message."""
    text = value.strip()
    match = _CLOCK.match(text)
    if not match:
        return text
    hour, minutes = match[1], match[2] or match[3] or "00"
    return f"{int(hour):02d}:{minutes}"


def hours_from(start: str, end: str) -> str | None:
    """The ``hours`` of :func:`add_group` from a form's two boxes (None when both are
    empty: a group may have no fixed hours)."""
    if not start.strip() and not end.strip():
        return None
    return f"{clock_time(start)}-{clock_time(end)}"


def _enrolled_counts(uow: UnitOfWork, group_ids: list[uuid.UUID]) -> dict[uuid.UUID, int]:
    rows = uow.session.execute(
        select(Enrolment.group_id, func.count())
        .where(
            Enrolment.group_id.in_(group_ids),
            Enrolment.cl % 2 == 1,
            Enrolment.status == EnrolmentStatus.ACTIVE.value,
        )
        .group_by(Enrolment.group_id)
    ).all()
    return dict(rows)  # type: ignore[arg-type]


def _record(group: Group, programme: Programme, season: Season, enrolled: int) -> GroupRecord:
    return from_row(
        GroupRecord,
        group,
        programme_code=programme.code,
        programme_name_ar=programme.name_ar,
        programme_name_fr=programme.name_fr,
        season_label=season.label,
        days=tuple(d for d in group.days.split(",") if d),
        enrolled=enrolled,
    )


def _age_message(name: str, age: int, programme: Programme) -> str:
    if programme.max_age is None:
        text = _(
            "{name} will be {age} at the start of the season; {programme} is for ages "
            "{low} and over."
        )
    elif programme.min_age is None:
        text = _(
            "{name} will be {age} at the start of the season; {programme} is for ages up to {high}."
        )
    else:
        text = _(
            "{name} will be {age} at the start of the season; {programme} is for ages "
            "{low} to {high}."
        )
    return text.format(
        name=name,
        age=age,
        programme=programme.name_ar if current_language() == "ar" else programme.name_fr,
        low=programme.min_age,
        high=programme.max_age,
    )


def add_group(
    uow: UnitOfWork,
    *,
    programme: str,
    name: str,
    days: str,
    hours: str | None = None,
    capacity: str | int | None = None,
) -> GroupRecord:
    """Open a group of a programme for the current season."""
    place = where(uow.session)
    checks = validation.Checks()
    programme_row = checks.check(
        "programme", lambda _f, ref: resolve_programme(uow.session, ref), programme
    )
    group_name = checks.check("name", validation.text, name, required=True, limit=100)
    if group_name and uow.session.scalar(
        select(func.count()).where(
            Group.name == group_name,
            Group.centre_id == place.centre.id,
            Group.season_id == place.season.id,
            Group.cl % 2 == 1,
        )
    ):
        checks.fail(
            "name", _("A group named “{name}” already exists this season.").format(name=group_name)
        )
    meeting_days = checks.check("days", parse_days, days)
    start, end = checks.check("hours", parse_hours, hours) or (None, None)
    places = checks.check("capacity", validation.positive_int, capacity, limit=MAX_CAPACITY)
    checks.done()

    group = uow.add(
        Group(
            centre_id=place.centre.id,
            programme_id=programme_row.id,
            season_id=place.season.id,
            name=group_name,
            days=",".join(d.value for d in meeting_days),
            start_time=start,
            end_time=end,
            capacity=places,
        )
    )
    uow.session.flush()
    return _record(group, programme_row, place.season, 0)


def list_groups(uow: UnitOfWork) -> list[GroupRecord]:
    """The current season's groups, by programme then name."""
    place = where(uow.session)
    rows = uow.session.execute(
        select(Group, Programme)
        .join(Programme, Programme.id == Group.programme_id)
        .where(
            Group.centre_id == place.centre.id,
            Group.season_id == place.season.id,
            Group.cl % 2 == 1,
        )
        .order_by(Programme.code, Group.name)
    ).all()
    counts = _enrolled_counts(uow, [g.id for g, _p in rows])
    return [_record(g, p, place.season, counts.get(g.id, 0)) for g, p in rows]


def enrol(
    uow: UnitOfWork,
    *,
    group: str,
    beneficiaries: list[str],
    start_date: dt.date | None = None,
    today: dt.date,
) -> list[EnrolmentRecord]:
    """Enrol people in a group, all or none: full groups, ages outside the programme's
    range and people already in the group are refused with their names."""
    place = where(uow.session)
    group_row = resolve_group(uow.session, group, place=place)
    programme = uow.session.get(Programme, group_row.programme_id)
    assert programme is not None
    start = start_date or max(today, place.season.start_date)
    if not place.season.start_date <= start <= place.season.end_date:
        raise validation.reject(
            "date",
            _("The enrolment date must fall within the season {season}.").format(
                season=place.season.label
            ),
        )
    rows: list[Enrolment] = []
    active = _enrolled_counts(uow, [group_row.id]).get(group_row.id, 0)
    people, errors = resolve_beneficiaries(uow.session, beneficiaries, place=place)
    for person in people:
        name = f"{person.given_name_ar} {person.family_name_ar}"
        age = validation.age_on(person.birth_date, place.season.start_date)
        if (programme.min_age is not None and age < programme.min_age) or (
            programme.max_age is not None and age > programme.max_age
        ):
            errors.append(FieldError("beneficiary", _age_message(name, age, programme)))
            continue
        enrolment_id = natural_id("enrolment", group_row.id, person.id)
        existing = uow.session.get(Enrolment, enrolment_id)
        if existing is not None and existing.alive and existing.status == "active":
            errors.append(
                FieldError(
                    "beneficiary", _("{name} is already enrolled in this group.").format(name=name)
                )
            )
            continue
        active += 1
        if group_row.capacity is not None and active > group_row.capacity:
            errors.append(
                FieldError(
                    "group",
                    _("The group {group} is full ({capacity} places).").format(
                        group=group_row.name, capacity=group_row.capacity
                    ),
                )
            )
            break
        if existing is None:
            existing = uow.add(
                Enrolment(
                    id=enrolment_id,
                    group_id=group_row.id,
                    beneficiary_id=person.id,
                    start_date=start,
                    status="active",
                )
            )
        else:
            # Enrolled again after leaving: the same row comes back to life.
            uow.restore(existing)
            existing.start_date, existing.status = start, "active"
            existing.end_date = existing.reason = existing.mention = None
        rows.append(existing)
    if errors:
        raise InputRejected(errors)
    uow.session.flush()
    return [from_row(EnrolmentRecord, row) for row in rows]


def end_enrolment(
    uow: UnitOfWork,
    *,
    group: str,
    beneficiary: str,
    outcome: str,
    end_date: dt.date,
    reason: str | None = None,
    mention: str | None = None,
) -> EnrolmentRecord:
    """Close an enrolment as completed, dropped out or transferred."""
    place = where(uow.session)
    group_row = resolve_group(uow.session, group, place=place)
    person = resolve_beneficiary(uow.session, beneficiary, place=place)
    row = uow.session.get(Enrolment, natural_id("enrolment", group_row.id, person.id))
    if row is None or not row.alive or row.status != EnrolmentStatus.ACTIVE.value:
        raise validation.reject("beneficiary", _("This person is not enrolled in this group."))
    status = validation.choice("outcome", outcome, EnrolmentStatus)
    if status is EnrolmentStatus.ACTIVE:
        raise validation.reject("outcome", _("Choose completed, dropped or transferred."))
    if status is EnrolmentStatus.DROPPED and not validation.clean_spaces(reason):
        raise validation.reject("reason", _("Say why the person dropped out."))
    if end_date < row.start_date:
        raise validation.reject("date", _("The end date is before the enrolment date."))
    row.status, row.end_date = status.value, end_date
    row.reason = validation.text("reason", reason, limit=500)
    row.mention = validation.text("mention", mention, limit=60)
    uow.session.flush()
    return from_row(EnrolmentRecord, row)


@dataclass(frozen=True)
class MemberRecord:
    """One person's enrolment in a group, with what a members list shows of the person."""

    enrolment_id: uuid.UUID
    group_id: uuid.UUID
    beneficiary_id: uuid.UUID
    family_name_ar: str
    given_name_ar: str
    family_name_latin: str | None
    given_name_latin: str | None
    cin: str | None
    birth_date: dt.date
    start_date: dt.date
    status: str
    end_date: dt.date | None
    reason: str | None
    mention: str | None

    @property
    def full_name_ar(self) -> str:
        return f"{self.given_name_ar} {self.family_name_ar}"

    @property
    def full_name_latin(self) -> str:
        return " ".join(p for p in (self.given_name_latin, self.family_name_latin) if p)


def enrolments_with_people(group_id: uuid.UUID) -> Select:
    """The living enrolments of a group with their living people, as (Enrolment,
    Beneficiary) rows; callers narrow and order it."""
    return (
        select(Enrolment, Beneficiary)
        .join(Beneficiary, Beneficiary.id == Enrolment.beneficiary_id)
        .where(
            Enrolment.group_id == group_id,
            Enrolment.cl % 2 == 1,
            Beneficiary.cl % 2 == 1,
        )
    )


def group_members(uow: UnitOfWork, *, group: str) -> list[MemberRecord]:
    """Everyone ever enrolled in a group this season: those still in it first, then those
    who left; by name within each."""
    group_row = resolve_group(uow.session, group, place=where(uow.session))
    still_in = case((Enrolment.status == EnrolmentStatus.ACTIVE.value, 0), else_=1)
    rows = uow.session.execute(
        enrolments_with_people(group_row.id).order_by(
            still_in, Beneficiary.sort_key, Beneficiary.id
        )
    ).all()
    return [
        from_row(
            MemberRecord,
            person,
            enrolment_id=enrolment.id,
            group_id=enrolment.group_id,
            beneficiary_id=person.id,
            start_date=enrolment.start_date,
            status=enrolment.status,
            end_date=enrolment.end_date,
            reason=enrolment.reason,
            mention=enrolment.mention,
        )
        for enrolment, person in rows
    ]
