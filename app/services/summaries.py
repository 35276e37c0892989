"""The centre's numbers for a month or a season: the monthly activity report and the
season's balance (الحصيلة).

:func:`summarise` counts everything the printed summary (app/pdf/summary.py), its
spreadsheet (app/services/summary_workbook.py) and ``sijill stats`` show, once, so the
three always agree. The terms, precisely:

period
    A calendar month (YYYY-MM) or a season (YYYY-YYYY, from its first to its last day as
    the register stores it). A period that has not begun by today is refused.
groups of the period
    The centre's living groups whose season overlaps the period.
enrolment of the period
    A living enrolment of a living person in a group of the period, open on at least one
    day of the period: it started on or before the period's last day and did not end
    before its first (no end date, or an end date on or after the first day).
enrolled
    People with at least one enrolment of the period. A person in two groups is one person
    in the people tables and counts in each of her groups and programmes, whose columns
    count enrolments.
new
    Enrolled people whose first enrolment on record at the centre (any living group, any
    season) started within the period.
joined
    Enrolments of the period that started within it (groups and programmes).
completed, dropped out, transferred
    Enrolments that ended with this outcome on a day of the period. In the people tables
    a person counts once for each outcome she had; the dropout reasons count dropouts
    (enrolments), grouped by the reason as written.
age band
    Age in whole years on the first day of the period.
session held
    A day of a group's session calendar (app/services/sessions.py: its meeting days, less
    public holidays and cancelled sessions, plus extra sessions) within the period, the
    group's season, and up to today. Session days are the distinct dates on which at least
    one group met.
attendance rate
    (present + late) / marks taken, in percent to one decimal, over the living marks of
    living people at sessions held. A mark taken at a session cancelled afterwards stays in
    the register but is not counted. None when nothing was marked.
follow-up outcomes
    For a month: people of the centre with a follow-up dated within the month, each
    counted once, under her latest outcome of the month. For a season: its graduates
    (people who completed a training in it), each under her latest outcome up to today,
    or under "no follow-up yet": what became of the season's graduates, since they are
    followed after it ends.
attendance by month
    Sessions held and the attendance rate of each month from the start of the season up
    to the end of the period (and today), for the groups of the period.

Everything is read with plain SELECTs and counted here in Python, so SQLite and
PostgreSQL give the same numbers from the same SQL.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from sqlalchemy import func, or_, select

from app.i18n import _
from app.models import (
    Attendance,
    Beneficiary,
    Enrolment,
    FollowUp,
    Group,
    Programme,
    Season,
    Session,
)
from app.services import validation
from app.services.context import season_bounds, season_id, where
from app.services.sessions import DayStatus, group_calendar, parse_month
from app.services.unit_of_work import UnitOfWork
from app.vocabulary import (
    Area,
    AttendanceStatus,
    Disability,
    EnrolmentStatus,
    FollowUpOutcome,
    Sex,
)

MONTH, SEASON = "month", "season"
# Age bands: (code, lowest age, highest age or None). Kindergarten, school age, minors of
# working age, then the adult bands of the training centres.
AGE_BANDS: tuple[tuple[str, int, int | None], ...] = (
    ("0-5", 0, 5),
    ("6-14", 6, 14),
    ("15-17", 15, 17),
    ("18-24", 18, 24),
    ("25-34", 25, 34),
    ("35-44", 35, 44),
    ("45-59", 45, 59),
    ("60+", 60, None),
)
UNKNOWN = "unknown"  # an area not recorded
NO_DISABILITY = "none"
NO_FOLLOW_UP = "none"  # a graduate of the season the centre has no news of yet
TOTAL = "total"
_HELD = (DayStatus.PLANNED.value, DayStatus.EXTRA.value)
_ATTENDED = (AttendanceStatus.PRESENT.value, AttendanceStatus.LATE.value)


@dataclass(frozen=True)
class AttendanceFigures:
    """Sessions held and the marks taken at them."""

    sessions_held: int
    marked: int
    present: int
    late: int
    absent: int
    excused: int
    #: (present + late) / marked in percent, one decimal; None when nothing was marked.
    attendance_rate: float | None


@dataclass(frozen=True)
class PeopleCounts:
    """People of one category (``key``: a code such as "F", "18-24", "urban", "none")."""

    key: str
    enrolled: int
    new: int
    completed: int
    dropped: int
    transferred: int


@dataclass(frozen=True)
class EnrolmentCounts:
    """Enrolments of a group, a programme or the centre."""

    enrolled: int
    joined: int
    completed: int
    dropped: int
    transferred: int


@dataclass(frozen=True)
class GroupLine:
    group_id: uuid.UUID
    name: str
    programme_code: str
    programme_name_ar: str
    programme_name_fr: str
    enrolments: EnrolmentCounts
    attendance: AttendanceFigures


@dataclass(frozen=True)
class ProgrammeLine:
    programme_id: uuid.UUID
    code: str
    name_ar: str
    name_fr: str
    groups: int
    enrolments: EnrolmentCounts
    attendance: AttendanceFigures


@dataclass(frozen=True)
class ReasonLine:
    #: As written when the enrolment was ended; None when no reason was given.
    reason: str | None
    dropouts: int


@dataclass(frozen=True)
class OutcomeLine:
    outcome: str
    people: int


@dataclass(frozen=True)
class MonthLine:
    month: dt.date  # its first day
    attendance: AttendanceFigures


@dataclass(frozen=True)
class Summary:
    """The numbers of one period, as the report prints them."""

    kind: str  # "month" or "season"
    label: str  # "2026-11" or "2025-2026"
    start: dt.date
    end: dt.date
    #: Sessions are counted up to this day: the period's end, or today when earlier.
    counted_until: dt.date
    made_on: dt.date
    centre_code: str
    centre_name_ar: str
    centre_name_fr: str | None
    #: The season the period belongs to (None for a month outside every season).
    season_label: str | None
    people: PeopleCounts
    enrolments: EnrolmentCounts
    groups: int
    session_days: int
    attendance: AttendanceFigures
    followed_up: int
    by_sex: tuple[PeopleCounts, ...]
    by_area: tuple[PeopleCounts, ...]
    by_age: tuple[PeopleCounts, ...]
    by_disability: tuple[PeopleCounts, ...]
    by_programme: tuple[ProgrammeLine, ...]
    by_group: tuple[GroupLine, ...]
    dropout_reasons: tuple[ReasonLine, ...]
    follow_up_outcomes: tuple[OutcomeLine, ...]
    attendance_by_month: tuple[MonthLine, ...]


@dataclass(frozen=True)
class _Period:
    kind: str
    label: str
    start: dt.date
    end: dt.date
    season: Season | None


@dataclass
class _Person:
    sex: str
    birth_date: dt.date
    area: str | None
    disability: str | None
    new: bool = False
    # The outcomes (completed, dropped, transferred) of her enrolments ended in the period.
    outcomes: set[str] = field(default_factory=set)


@dataclass(frozen=True)
class _GroupInfo:
    group: Group
    programme: Programme
    held: frozenset[dt.date]  # from the start of the attendance series to counted_until


def _period(uow: UnitOfWork, *, month: str | None, season: str | None, today: dt.date) -> _Period:
    if (month is None) == (season is None):
        raise validation.reject(MONTH, _("Give either a month (YYYY-MM) or a season (YYYY-YYYY)."))
    if month is not None:
        first, last = parse_month(MONTH, month)
        containing = uow.session.scalars(
            select(Season)
            .where(Season.start_date <= first, Season.end_date >= first, Season.cl % 2 == 1)
            .order_by(Season.start_date)
        ).first()
        found = _Period(MONTH, first.strftime("%Y-%m"), first, last, containing)
    else:
        assert season is not None
        label = season.strip()
        season_bounds(label)  # refuses what is not written as a season
        row = uow.session.get(Season, season_id(label))
        if row is None or not row.alive:
            raise validation.reject(
                SEASON, _("The register has no season {season}.").format(season=label)
            )
        found = _Period(SEASON, row.label, row.start_date, row.end_date, row)
    if found.start > today:
        raise validation.reject(
            found.kind,
            _("The period {period} has not begun yet.").format(period=found.label),
        )
    return found


def _rate(attended: int, marked: int) -> float | None:
    return round(100 * attended / marked, 1) if marked else None


def _figures(sessions: int, marks: Counter[str]) -> AttendanceFigures:
    marked = sum(marks.values())
    attended = sum(marks[s] for s in _ATTENDED)
    return AttendanceFigures(
        sessions_held=sessions,
        marked=marked,
        present=marks[AttendanceStatus.PRESENT.value],
        late=marks[AttendanceStatus.LATE.value],
        absent=marks[AttendanceStatus.ABSENT.value],
        excused=marks[AttendanceStatus.EXCUSED.value],
        attendance_rate=_rate(attended, marked),
    )


def _age_band(birth: dt.date, on: dt.date) -> str:
    age = validation.age_on(birth, on)
    return next(code for code, _low, high in AGE_BANDS if high is None or age <= high)


def _people_counts(key: str, people: Iterable[_Person]) -> PeopleCounts:
    found = list(people)

    def having(outcome: EnrolmentStatus) -> int:
        return sum(1 for p in found if outcome.value in p.outcomes)

    return PeopleCounts(
        key=key,
        enrolled=len(found),
        new=sum(1 for p in found if p.new),
        completed=having(EnrolmentStatus.COMPLETED),
        dropped=having(EnrolmentStatus.DROPPED),
        transferred=having(EnrolmentStatus.TRANSFERRED),
    )


def _breakdown(
    people: list[_Person], category: Callable[[_Person], str], keys: Iterable[str]
) -> tuple[PeopleCounts, ...]:
    """One line per key, in order, zeros included; codes found outside ``keys`` (a value
    a newer version or a bundle brought) follow, sorted, so every person is counted."""
    by_key: dict[str, list[_Person]] = defaultdict(list)
    for person in people:
        by_key[category(person)].append(person)
    ordered = list(keys)
    ordered += sorted(set(by_key) - set(ordered))
    return tuple(_people_counts(key, by_key.get(key, [])) for key in ordered)


def _enrolment_counts(
    rows: list[tuple[dt.date, str, dt.date | None]], period: _Period
) -> EnrolmentCounts:
    """Counts of enrolments given as (start, status, end)."""

    def ended(status: EnrolmentStatus) -> int:
        return sum(
            1
            for _start, s, end in rows
            if s == status.value and end is not None and period.start <= end <= period.end
        )

    return EnrolmentCounts(
        enrolled=len(rows),
        joined=sum(1 for start, _s, _e in rows if period.start <= start <= period.end),
        completed=ended(EnrolmentStatus.COMPLETED),
        dropped=ended(EnrolmentStatus.DROPPED),
        transferred=ended(EnrolmentStatus.TRANSFERRED),
    )


def _next_month(day: dt.date) -> dt.date:
    return dt.date(day.year + day.month // 12, day.month % 12 + 1, 1)


def _months(first: dt.date, last: dt.date) -> list[dt.date]:
    """The first days of the months from ``first`` to ``last``."""
    months, day = [], first.replace(day=1)
    while day <= last:
        months.append(day)
        day = _next_month(day)
    return months


def _follow_ups(
    uow: UnitOfWork,
    *,
    centre_id: uuid.UUID,
    period: _Period,
    graduates: set[uuid.UUID],
    today: dt.date,
) -> tuple[int, tuple[OutcomeLine, ...]]:
    """How many people were followed up, and the outcome lines (module docstring)."""
    query = (
        select(FollowUp.beneficiary_id, FollowUp.outcome)
        .join(Beneficiary, Beneficiary.id == FollowUp.beneficiary_id)
        .where(
            Beneficiary.centre_id == centre_id,
            Beneficiary.cl % 2 == 1,
            FollowUp.cl % 2 == 1,
        )
        .order_by(FollowUp.date, FollowUp.id)
    )
    if period.kind == MONTH:
        query = query.where(FollowUp.date >= period.start, FollowUp.date <= period.end)
    else:
        query = query.where(FollowUp.date <= today)
    latest: dict[uuid.UUID, str] = {}
    for person_id, outcome in uow.session.execute(query):
        if period.kind == MONTH or person_id in graduates:
            latest[person_id] = outcome  # in date order: the last one wins
    outcomes = Counter(latest.values())
    keys = [o.value for o in FollowUpOutcome]
    keys += sorted(set(outcomes) - set(keys))
    if period.kind == SEASON:
        keys.append(NO_FOLLOW_UP)
        outcomes[NO_FOLLOW_UP] = len(graduates) - len(latest)
    return len(latest), tuple(OutcomeLine(key, outcomes[key]) for key in keys)


def _groups_of_period(
    uow: UnitOfWork,
    *,
    centre_id: uuid.UUID,
    period: _Period,
    series_start: dt.date,
    counted_until: dt.date,
) -> dict[uuid.UUID, _GroupInfo]:
    """The groups of the period, in programme code then name order, with the days each
    one met from ``series_start`` to ``counted_until``."""
    groups: dict[uuid.UUID, _GroupInfo] = {}
    for group, programme, group_season in uow.session.execute(
        select(Group, Programme, Season)
        .join(Programme, Programme.id == Group.programme_id)
        .join(Season, Season.id == Group.season_id)
        .where(
            Group.centre_id == centre_id,
            Group.cl % 2 == 1,
            Season.start_date <= period.end,
            Season.end_date >= period.start,
        )
        .order_by(Programme.code, Group.name, Group.id)
    ):
        start = max(series_start, group_season.start_date)
        end = min(counted_until, group_season.end_date)
        days = group_calendar(uow, group, start=start, end=end) if start <= end else {}
        held = frozenset(day for day, found in days.items() if found.status in _HELD)
        groups[group.id] = _GroupInfo(group, programme, held)
    return groups


class _Attendance:
    """The marks taken at the sessions the groups held, by group and day."""

    def __init__(
        self,
        uow: UnitOfWork,
        groups: dict[uuid.UUID, _GroupInfo],
        *,
        centre_id: uuid.UUID,
        first: dt.date,
        last: dt.date,
    ) -> None:
        self.groups = groups
        self.marks: dict[tuple[uuid.UUID, dt.date], Counter[str]] = defaultdict(Counter)
        for group_id, day, status, count in uow.session.execute(
            select(Session.group_id, Session.date, Attendance.status, func.count())
            .join(Attendance, Attendance.session_id == Session.id)
            .join(Beneficiary, Beneficiary.id == Attendance.beneficiary_id)
            .join(Group, Group.id == Session.group_id)
            .where(
                Group.centre_id == centre_id,
                Group.cl % 2 == 1,
                Session.cl % 2 == 1,
                Attendance.cl % 2 == 1,
                Beneficiary.cl % 2 == 1,
                Session.date >= first,
                Session.date <= last,
            )
            .group_by(Session.group_id, Session.date, Attendance.status)
        ):
            info = groups.get(group_id)
            # A cancelled session's marks are kept in the register, not counted here.
            if info is not None and day in info.held:
                self.marks[(group_id, day)][status] += count

    def figures(
        self, group_ids: Iterable[uuid.UUID], *, first: dt.date, last: dt.date
    ) -> AttendanceFigures:
        sessions, found = 0, Counter[str]()
        for group_id in group_ids:
            for day in self.groups[group_id].held:
                if first <= day <= last:
                    sessions += 1
                    found.update(self.marks.get((group_id, day), Counter()))
        return _figures(sessions, found)


_Enrolments = dict[uuid.UUID, list[tuple[dt.date, str, dt.date | None]]]


def _enrolments_of_period(
    uow: UnitOfWork,
    groups: dict[uuid.UUID, _GroupInfo],
    *,
    centre_id: uuid.UUID,
    period: _Period,
) -> tuple[_Enrolments, dict[uuid.UUID, _Person], Counter[str | None]]:
    """The enrolments of the period by group as (start, status, end), their people, and
    the reasons of the dropouts."""
    enrolments: _Enrolments = defaultdict(list)
    people: dict[uuid.UUID, _Person] = {}
    reasons: Counter[str | None] = Counter()
    for row in uow.session.execute(
        select(
            Enrolment.group_id,
            Enrolment.beneficiary_id,
            Enrolment.start_date,
            Enrolment.status,
            Enrolment.end_date,
            Enrolment.reason,
            Beneficiary.sex,
            Beneficiary.birth_date,
            Beneficiary.area,
            Beneficiary.disability,
        )
        .join(Group, Group.id == Enrolment.group_id)
        .join(Beneficiary, Beneficiary.id == Enrolment.beneficiary_id)
        .where(
            Group.centre_id == centre_id,
            Group.cl % 2 == 1,
            Enrolment.cl % 2 == 1,
            Beneficiary.cl % 2 == 1,
            Enrolment.start_date <= period.end,
            or_(Enrolment.end_date.is_(None), Enrolment.end_date >= period.start),
        )
    ):
        if row.group_id not in groups:
            continue
        enrolments[row.group_id].append((row.start_date, row.status, row.end_date))
        person = people.get(row.beneficiary_id)
        if person is None:
            person = _Person(row.sex, row.birth_date, row.area, row.disability)
            people[row.beneficiary_id] = person
        ended_now = row.end_date is not None and period.start <= row.end_date <= period.end
        if ended_now and row.status != EnrolmentStatus.ACTIVE.value:
            person.outcomes.add(row.status)
            if row.status == EnrolmentStatus.DROPPED.value:
                reasons[validation.clean_spaces(row.reason) or None] += 1

    first_enrolments = uow.session.execute(
        select(Enrolment.beneficiary_id, func.min(Enrolment.start_date))
        .join(Group, Group.id == Enrolment.group_id)
        .where(Group.centre_id == centre_id, Group.cl % 2 == 1, Enrolment.cl % 2 == 1)
        .group_by(Enrolment.beneficiary_id)
    )
    for person_id, first in first_enrolments:
        if person_id in people and period.start <= first <= period.end:
            people[person_id].new = True
    return enrolments, people, reasons


def summarise(
    uow: UnitOfWork, *, month: str | None = None, season: str | None = None, today: dt.date
) -> Summary:
    """The numbers of a month or of a season at this register's centre (give one)."""
    place = where(uow.session)
    centre_id = place.centre.id
    period = _period(uow, month=month, season=season, today=today)
    counted_until = min(period.end, today)
    # Attendance by month runs from the start of the period's season.
    series_start = period.season.start_date if period.season is not None else period.start
    groups = _groups_of_period(
        uow,
        centre_id=centre_id,
        period=period,
        series_start=series_start,
        counted_until=counted_until,
    )
    marks = _Attendance(uow, groups, centre_id=centre_id, first=series_start, last=counted_until)
    enrolments, people, reasons = _enrolments_of_period(
        uow, groups, centre_id=centre_id, period=period
    )
    graduates = {
        person_id
        for person_id, person in people.items()
        if EnrolmentStatus.COMPLETED.value in person.outcomes
    }
    followed_up, outcome_lines = _follow_ups(
        uow, centre_id=centre_id, period=period, graduates=graduates, today=today
    )

    # Lines by group and by programme, in programme code then group name order.
    group_lines = []
    by_programme: dict[uuid.UUID, list[uuid.UUID]] = {}
    for group_id, info in groups.items():
        by_programme.setdefault(info.programme.id, []).append(group_id)
        group_lines.append(
            GroupLine(
                group_id=group_id,
                name=info.group.name,
                programme_code=info.programme.code,
                programme_name_ar=info.programme.name_ar,
                programme_name_fr=info.programme.name_fr,
                enrolments=_enrolment_counts(enrolments[group_id], period),
                attendance=marks.figures([group_id], first=period.start, last=period.end),
            )
        )
    programme_lines = []
    for group_ids in by_programme.values():
        programme = groups[group_ids[0]].programme
        programme_lines.append(
            ProgrammeLine(
                programme_id=programme.id,
                code=programme.code,
                name_ar=programme.name_ar,
                name_fr=programme.name_fr,
                groups=len(group_ids),
                enrolments=_enrolment_counts([e for g in group_ids for e in enrolments[g]], period),
                attendance=marks.figures(group_ids, first=period.start, last=period.end),
            )
        )

    everyone = list(people.values())
    months = tuple(
        MonthLine(
            month=first,
            attendance=marks.figures(
                groups, first=first, last=_next_month(first) - dt.timedelta(days=1)
            ),
        )
        for first in _months(series_start, counted_until)
    )
    return Summary(
        kind=period.kind,
        label=period.label,
        start=period.start,
        end=period.end,
        counted_until=counted_until,
        made_on=today,
        centre_code=place.centre.code,
        centre_name_ar=place.centre.name_ar,
        centre_name_fr=place.centre.name_fr,
        season_label=period.season.label if period.season is not None else None,
        people=_people_counts(TOTAL, everyone),
        enrolments=_enrolment_counts([e for rows in enrolments.values() for e in rows], period),
        groups=len(groups),
        session_days=len(
            {day for info in groups.values() for day in info.held if day >= period.start}
        ),
        attendance=marks.figures(groups, first=period.start, last=period.end),
        followed_up=followed_up,
        by_sex=_breakdown(everyone, lambda p: p.sex, [s.value for s in Sex]),
        by_area=_breakdown(
            everyone, lambda p: p.area or UNKNOWN, [a.value for a in Area] + [UNKNOWN]
        ),
        by_age=_breakdown(
            everyone,
            lambda p: _age_band(p.birth_date, period.start),
            [code for code, _low, _high in AGE_BANDS],
        ),
        by_disability=_breakdown(
            everyone,
            lambda p: p.disability or NO_DISABILITY,
            [NO_DISABILITY, *(d.value for d in Disability)],
        ),
        by_programme=tuple(programme_lines),
        by_group=tuple(group_lines),
        dropout_reasons=tuple(
            ReasonLine(reason, count)
            for reason, count in sorted(reasons.items(), key=lambda r: (-r[1], r[0] or ""))
        ),
        follow_up_outcomes=outcome_lines,
        attendance_by_month=months,
    )
