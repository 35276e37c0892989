"""Who may be dropping out: one rule, a setting of the register, for the start screen's
list and the attendance grid's flags alike.

An active member of a group is at risk when she was absent at each of the group's
``consecutive_absences`` latest marked sessions, or when she attended (present or late)
fewer than ``monthly_rate_below`` percent of the month's sessions she was marked at, once
she has ``MIN_MARKS_FOR_RATE`` marks that month. Either number at 0 turns its part off.

"The group's latest marked sessions" are the sessions it held (not cancelled, not on a
holiday, not on a day the centre was closed) at which anyone was marked, up to the end
of the month; the run of absences may begin in the months before, so someone absent
since late last month is flagged from the first days of this one.

:func:`assess_group` applies the rule to one group's month. The grid calls it with the
marks as they are typed (summed up per person by :meth:`MonthMarks.of`), the start
screen (:func:`people_at_risk`) with the same sums made by the database for every group
at once; both take the sessions before the month from :func:`earlier_sessions`, so for
the same month and the same marks they flag the same people. The start screen looks
through a very large centre a slice of groups at a time (:func:`group_slices`), so the
register's other work (a search typed meanwhile) is never kept waiting for long.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field, fields

from sqlalchemy import ColumnElement, case, exists, extract, func, null, or_, select, union_all

from app.i18n import _
from app.models import Attendance, Beneficiary, Enrolment, Group, Session
from app.models.ids import natural_id
from app.services import validation
from app.services.calendar import closed_days, hijri_offset, holidays_between
from app.services.context import Where, get_setting, put_setting, where
from app.services.records import BeneficiaryRecord
from app.services.sessions import parse_month
from app.services.unit_of_work import UnitOfWork
from app.vocabulary import AttendanceStatus, EnrolmentStatus, SessionStatus

RULE_SETTING = "at_risk_rule"
#: The start screen looks through a very large centre's month this many groups at a
#: time (about a tenth of a second each): a search typed meanwhile waits for one slice.
GROUPS_AT_A_TIME = 500
MAX_ABSENCES = 20
#: A share of fewer marks than this says little: one absence out of two is not a pattern.
MIN_MARKS_FOR_RATE = 3
ATTENDED = frozenset({AttendanceStatus.PRESENT.value, AttendanceStatus.LATE.value})
ABSENT = AttendanceStatus.ABSENT.value


@dataclass(frozen=True)
class AtRiskRule:
    consecutive_absences: int = 3
    monthly_rate_below: int = 60


FIELDS = ("consecutive_absences", "monthly_rate_below")


@dataclass(frozen=True)
class Risk:
    """Why one person is flagged."""

    # Absences at the group's latest marked sessions, the most recent one included.
    absences_in_a_row: int
    # Sessions attended out of the month's marked ones; None below MIN_MARKS_FOR_RATE.
    rate: float | None
    by_absences: bool
    by_rate: bool


@dataclass(frozen=True)
class MonthMarks:
    """One person's marks of the month in one group, as the rule reads them."""

    absent_days: frozenset[dt.date]
    marked: int
    attended: int

    @classmethod
    def of(cls, marks: Mapping[dt.date, str]) -> MonthMarks:
        return cls(
            frozenset(day for day, mark in marks.items() if mark == ABSENT),
            marked=len(marks),
            attended=sum(1 for mark in marks.values() if mark in ATTENDED),
        )


@dataclass(frozen=True)
class EarlierSessions:
    """A group's latest marked sessions before the month, oldest first, and the days
    each person was absent at them: where a run of absences may begin."""

    days: tuple[dt.date, ...] = ()
    absent: Mapping[uuid.UUID, frozenset[dt.date]] = field(default_factory=dict)


@dataclass(frozen=True)
class RiskBasis:
    """What the grid needs besides the month's marks to apply the rule."""

    rule: AtRiskRule
    earlier: EarlierSessions


@dataclass(frozen=True)
class AtRisk:
    beneficiary: BeneficiaryRecord
    group_name: str
    risk: Risk
    group_id: uuid.UUID
    sort_key: str  # the person's name as lists are ordered by it


# -- the setting -------------------------------------------------------------------------


def at_risk_rule(uow: UnitOfWork) -> AtRiskRule:
    """The register's rule; the defaults until the coordinator changes it."""
    stored = get_setting(uow.session, RULE_SETTING, {})
    values = stored if isinstance(stored, dict) else {}
    default = AtRiskRule()
    return AtRiskRule(
        **{
            name: value if isinstance(value := values.get(name), int) else getattr(default, name)
            for name in FIELDS
        }
    )


def _whole(field: str, value: str | int, *, top: int, message: str) -> int:
    try:
        number = int(str(value).strip())
    except ValueError:
        raise validation.reject(
            field, _("“{value}” is not a whole number.").format(value=value)
        ) from None
    if not 0 <= number <= top:
        raise validation.reject(field, message)
    return number


def change_rule(
    uow: UnitOfWork,
    *,
    consecutive_absences: str | int | None = None,
    monthly_rate_below: str | int | None = None,
    reset: bool = False,
) -> AtRiskRule:
    """Change the parts of the rule given (None: unchanged), or put back the defaults;
    all or nothing."""
    if reset and (consecutive_absences is not None or monthly_rate_below is not None):
        raise validation.reject("reset", _("Change this setting or reset it, not both."))
    checks = validation.Checks()
    if consecutive_absences is not None:
        checks.check(
            "consecutive_absences",
            _whole,
            consecutive_absences,
            top=MAX_ABSENCES,
            message=_("Give a number of absences from 0 (off) to {top}.").format(top=MAX_ABSENCES),
        )
    if monthly_rate_below is not None:
        checks.check(
            "monthly_rate_below",
            _whole,
            monthly_rate_below,
            top=100,
            message=_("Give a percentage from 0 to 100."),
        )
    values = checks.done()
    if reset:
        put_setting(uow.session, RULE_SETTING, {})
    elif values:
        stored = get_setting(uow.session, RULE_SETTING, {})
        kept = stored if isinstance(stored, dict) else {}
        put_setting(uow.session, RULE_SETTING, {**kept, **values})
    return at_risk_rule(uow)


# -- the rule ----------------------------------------------------------------------------


def attendance_rate(marks: Iterable[str]) -> float | None:
    """Sessions attended (present or late) out of sessions marked; None when none is."""
    marked = list(marks)
    if not marked:
        return None
    return sum(1 for mark in marked if mark in ATTENDED) / len(marked)


def assess_group(
    rule: AtRiskRule,
    *,
    month_days: Collection[dt.date],
    people: Mapping[uuid.UUID, MonthMarks],
    active: Collection[uuid.UUID],
    earlier: EarlierSessions,
) -> dict[uuid.UUID, Risk]:
    """The people of one group the rule flags, for one month.

    ``month_days``: the month's held sessions at which anyone of the group was marked;
    ``people``: the month's marks of those who may be flagged (someone missing here
    attended every session she was marked at); ``active``: who is still in the group
    (nobody else is flagged); ``earlier``: the sessions before the month.
    """
    latest = sorted(month_days, reverse=True) + list(reversed(earlier.days))
    flagged: dict[uuid.UUID, Risk] = {}
    unmarked = MonthMarks(frozenset(), marked=0, attended=0)
    for person in active:
        month = people.get(person, unmarked)
        before = earlier.absent.get(person, frozenset())
        streak = 0
        for day in latest:
            if day not in month.absent_days and day not in before:
                break
            streak += 1
        by_absences = 0 < rule.consecutive_absences <= streak
        counted = month.marked >= MIN_MARKS_FOR_RATE
        # Compared as whole numbers: 3 of 5 is 60 %, not below 60 %.
        by_rate = counted and month.attended * 100 < rule.monthly_rate_below * month.marked
        if by_absences or by_rate:
            rate = month.attended / month.marked if counted else None
            flagged[person] = Risk(streak, rate, by_absences=by_absences, by_rate=by_rate)
    return flagged


# -- reading the register ----------------------------------------------------------------


def _days_off(uow: UnitOfWork, place: Where, *, start: dt.date, end: dt.date) -> set[dt.date]:
    """Holidays and closed days from ``start`` to ``end``: no session is held on them,
    whatever rows and marks they may still carry."""
    if start > end:
        return set()
    holidays = holidays_between(start, end, offset=hijri_offset(uow.session))
    return set(holidays) | set(closed_days(uow.session, place.centre.id, start=start, end=end))


def _season_groups(place: Where, groups: Collection[uuid.UUID] | None) -> list[ColumnElement[bool]]:
    conditions = [
        Group.centre_id == place.centre.id,
        Group.season_id == place.season.id,
        Group.cl % 2 == 1,
    ]
    if groups is not None:
        conditions.append(Group.id.in_(groups))
    return conditions


def _held(days_off: set[dt.date]) -> list[ColumnElement[bool]]:
    """The conditions of a stored session that was held."""
    return [
        Session.slot == 1,
        Session.cl % 2 == 1,
        Session.status != SessionStatus.CANCELLED.value,
        Session.date.not_in(sorted(days_off)),
    ]


def _enrolled(first: dt.date, last: dt.date) -> list[ColumnElement[bool]]:
    """The enrolments of a group's sheet of the month: enrolled at some time in it."""
    return [
        Enrolment.cl % 2 == 1,
        Enrolment.start_date <= last,
        Enrolment.end_date.is_(None) | (Enrolment.end_date >= first),
    ]


def _on_sheet(first: dt.date, last: dt.date) -> list[ColumnElement[bool]]:
    """The people of a group's sheet of the month: living, enrolled at some time in it
    (``Enrolment`` and ``Beneficiary`` joined)."""
    return [*_enrolled(first, last), Beneficiary.cl % 2 == 1]


def earlier_sessions(
    uow: UnitOfWork,
    *,
    month: dt.date,
    rule: AtRiskRule,
    groups: Collection[uuid.UUID] | None = None,
) -> dict[uuid.UUID, EarlierSessions]:
    """For each group of the season (or of those given), its latest marked sessions
    before ``month`` (as many as the rule's run of absences needs) and who was absent at
    them."""
    count = rule.consecutive_absences
    if count == 0 or (groups is not None and not groups):
        return {}
    place = where(uow.session)
    days_off = _days_off(
        uow, place, start=place.season.start_date, end=month - dt.timedelta(days=1)
    )
    marked = exists().where(Attendance.session_id == Session.id, Attendance.cl % 2 == 1)
    ranked = (
        select(
            Session.id,
            Session.group_id,
            Session.date,
            func.row_number()
            .over(partition_by=Session.group_id, order_by=Session.date.desc())
            .label("rank"),
        )
        .join(Group, Group.id == Session.group_id)
        .where(*_season_groups(place, groups), *_held(days_off), Session.date < month, marked)
        .subquery()
    )
    days: dict[uuid.UUID, set[dt.date]] = {}
    absent: dict[uuid.UUID, dict[uuid.UUID, set[dt.date]]] = {}
    for group, day, person in uow.session.execute(
        select(ranked.c.group_id, ranked.c.date, Attendance.beneficiary_id)
        .outerjoin(
            Attendance,
            (Attendance.session_id == ranked.c.id)
            & (Attendance.cl % 2 == 1)
            & (Attendance.status == ABSENT),
        )
        .where(ranked.c.rank <= count)
    ):
        days.setdefault(group, set()).add(day)
        if person is not None:
            absent.setdefault(group, {}).setdefault(person, set()).add(day)
    return {
        group: EarlierSessions(
            tuple(sorted(found)),
            {person: frozenset(d) for person, d in absent.get(group, {}).items()},
        )
        for group, found in days.items()
    }


def risk_basis(uow: UnitOfWork, *, group_id: uuid.UUID, month: str) -> RiskBasis:
    """The rule and one group's sessions before ``month`` (YYYY-MM): for the grid."""
    first, _last = parse_month("month", month)
    rule = at_risk_rule(uow)
    earlier = earlier_sessions(uow, month=first, rule=rule, groups=[group_id])
    return RiskBasis(rule, earlier.get(group_id, EarlierSessions()))


def _day_bit(day: ColumnElement[dt.date]) -> ColumnElement[int]:
    """One bit per day of the month (bit 0 for the 1st): days summed up in SQL."""
    return case({n: 1 << (n - 1) for n in range(1, 32)}, value=extract("day", day), else_=0)


def _days_of(first: dt.date, mask: int) -> frozenset[dt.date]:
    days = []
    while mask:
        low = mask & -mask  # the lowest day left
        days.append(first.replace(day=low.bit_length()))
        mask ^= low
    return frozenset(days)


def group_slices(uow: UnitOfWork, *, size: int = GROUPS_AT_A_TIME) -> list[tuple[uuid.UUID, ...]]:
    """The season's groups, ``size`` at a time, to look through one slice per piece of
    work (none when the rule is off): :func:`people_at_risk` of each slice, put together
    by :func:`in_list_order`, is :func:`people_at_risk` of the whole season."""
    rule = at_risk_rule(uow)
    if not rule.consecutive_absences and not rule.monthly_rate_below:
        return []
    place = where(uow.session)
    groups = list(
        uow.session.scalars(select(Group.id).where(*_season_groups(place, None)).order_by(Group.id))
    )
    return [tuple(groups[start : start + size]) for start in range(0, len(groups), size)]


def people_at_risk(
    uow: UnitOfWork, *, today: dt.date, groups: Collection[uuid.UUID] | None = None
) -> tuple[AtRisk, ...]:
    """Everyone the rule flags in the groups of the season (or in those of them given),
    for the month of ``today``: by name, then group.

    What the grid reads from each group's sheet, summed up by the database for every
    group at once (:func:`_month_of_sheets`); then the rule applied group by group, with
    the sessions before the month where a run of absences may begin there.
    """
    place = where(uow.session)
    rule = at_risk_rule(uow)
    if not rule.consecutive_absences and not rule.monthly_rate_below:
        return ()
    first, last = parse_month("month", f"{today:%Y-%m}")
    days_off = _days_off(
        uow, place, start=max(first, place.season.start_date), end=min(last, place.season.end_date)
    )
    people: dict[uuid.UUID, dict[uuid.UUID, MonthMarks]] = {}
    active: dict[uuid.UUID, set[uuid.UUID]] = {}
    absent_all_month: set[uuid.UUID] = set()
    month_days, candidates = _month_of_sheets(
        uow, place, rule, groups=groups, first=first, last=last, days_off=days_off
    )
    for group, person, marked, attended, absent in candidates:
        latest = 1 << (month_days[group].bit_length() - 1)
        by_rate = marked >= MIN_MARKS_FOR_RATE and attended * 100 < rule.monthly_rate_below * marked
        if by_rate or (rule.consecutive_absences and absent & latest):
            people.setdefault(group, {})[person] = MonthMarks(
                _days_of(first, absent), marked=marked, attended=attended
            )
            active.setdefault(group, set()).add(person)
            if absent == month_days[group]:
                absent_all_month.add(group)

    # The sessions before the month matter where a run of absences may reach back to
    # them: a group with someone absent at every session of the month, or one not marked
    # yet this month.
    season = set(uow.session.scalars(select(Group.id).where(*_season_groups(place, groups))))
    earlier = earlier_sessions(
        uow, month=first, rule=rule, groups=absent_all_month | (season - month_days.keys())
    )
    # Where nobody was marked yet this month, a run may go on from the month before:
    # who was absent at the group's latest session then, if still in it.
    waiting = {
        group: {p for p, days in sessions.absent.items() if sessions.days[-1] in days}
        for group, sessions in earlier.items()
        if group not in month_days
    }
    for group, person in _still_in(uow, waiting, first=first, last=last):
        active.setdefault(group, set()).add(person)

    flagged = {
        (group, person): risk
        for group, members in active.items()
        for person, risk in assess_group(
            rule,
            month_days=_days_of(first, month_days.get(group, 0)),
            people=people.get(group, {}),
            active=members,
            earlier=earlier.get(group, EarlierSessions()),
        ).items()
    }
    return _records(uow, flagged)


def _month_of_sheets(
    uow: UnitOfWork,
    place: Where,
    rule: AtRiskRule,
    *,
    groups: Collection[uuid.UUID] | None,
    first: dt.date,
    last: dt.date,
    days_off: set[dt.date],
) -> tuple[dict[uuid.UUID, int], list[tuple[uuid.UUID, uuid.UUID, int, int, int]]]:
    """The month's sheets of the season's groups (or of those given), summed up in one
    pass over the month's marks: the days each group's sheet was marked (bits of the
    month: sessions at which someone on it was marked), and those still in their group
    who may be flagged, with their marks counted, attended, and absent (bits).

    Each person's month in each group is summed up from the marks alone, then joined
    with her enrolment (one seek in group and person order): a large centre marks tens
    of thousands of people a month, and most of them attend.
    """
    # The month's held sessions, with their day's bit worked out once per session (not
    # once per mark), in id order: the marks' index is read in its own order.
    sessions = (
        select(Session.id, Session.group_id, _day_bit(Session.date).label("bit"))
        .join(Group, Group.id == Session.group_id)
        .where(*_season_groups(place, groups), *_held(days_off))
        .where(Session.date >= first, Session.date <= last)
        .order_by(Session.id)
        .cte("month_sessions")
        .prefix_with("MATERIALIZED")
    )
    # Her marked days as bits too: one session a day, so their sum is their union.
    marks = (
        select(
            sessions.c.group_id,
            Attendance.beneficiary_id.label("person"),
            func.count().label("marked"),
            func.sum(case((Attendance.status.in_(ATTENDED), 1), else_=0)).label("attended"),
            func.sum(case((Attendance.status == ABSENT, sessions.c.bit), else_=0)).label("absent"),
            func.sum(sessions.c.bit).label("days"),
        )
        .join(Attendance, Attendance.session_id == sessions.c.id)
        .where(Attendance.cl % 2 == 1)
        .group_by(sessions.c.group_id, Attendance.beneficiary_id)
        .cte("month_marks")
        .prefix_with("MATERIALIZED")
    )
    # The people on the sheets: enrolled at some time in the month, still in the register.
    removed = select(Beneficiary.id).where(Beneficiary.cl % 2 == 0)
    sheets = (
        select(marks, Enrolment.status)
        .join(
            Enrolment,
            (Enrolment.group_id == marks.c.group_id) & (Enrolment.beneficiary_id == marks.c.person),
        )
        .where(*_enrolled(first, last), marks.c.person.not_in(removed))
        .cte("month_sheets")
        .prefix_with("MATERIALIZED")
    )
    # Who may be flagged, read off the sums: a low month as the rule reads it, or an
    # absence at her own latest marked session (its bit is the highest of her days, so
    # her absences then outweigh her other days; the group's latest is checked after).
    may_be_flagged = []
    if rule.monthly_rate_below:
        may_be_flagged.append(
            (sheets.c.marked >= MIN_MARKS_FOR_RATE)
            & (sheets.c.attended * 100 < rule.monthly_rate_below * sheets.c.marked)
        )
    if rule.consecutive_absences:
        may_be_flagged.append(sheets.c.absent * 2 > sheets.c.days)
    flaggable = select(
        sheets.c.group_id, sheets.c.person, sheets.c.marked, sheets.c.attended, sheets.c.absent
    ).where(sheets.c.status == EnrolmentStatus.ACTIVE.value, or_(*may_be_flagged))
    # The sheets' days, as the union of their people's: few distinct sets per group.
    days = select(sheets.c.group_id, null(), sheets.c.days, null(), null()).group_by(
        sheets.c.group_id, sheets.c.days
    )
    month_days: dict[uuid.UUID, int] = {}
    candidates = []
    for group, person, *sums in uow.session.execute(union_all(flaggable, days)):
        if person is None:
            month_days[group] = month_days.get(group, 0) | int(sums[0])
        else:
            candidates.append((group, person, *(int(value) for value in sums)))
    return month_days, candidates


def _still_in(
    uow: UnitOfWork, wanted: Mapping[uuid.UUID, set[uuid.UUID]], *, first: dt.date, last: dt.date
) -> list[tuple[uuid.UUID, uuid.UUID]]:
    """Which of these (group → people) are still in their group and on its month's sheet."""
    ids = [
        natural_id("enrolment", group, person)
        for group, people in wanted.items()
        for person in people
    ]
    if not ids:
        return []
    return [
        (group, person)
        for group, person in uow.session.execute(
            select(Enrolment.group_id, Enrolment.beneficiary_id)
            .join(Beneficiary, Beneficiary.id == Enrolment.beneficiary_id)
            .where(
                Enrolment.id.in_(ids),
                Enrolment.status == EnrolmentStatus.ACTIVE.value,
                *_on_sheet(first, last),
            )
        )
    ]


def _records(
    uow: UnitOfWork, flagged: Mapping[tuple[uuid.UUID, uuid.UUID], Risk]
) -> tuple[AtRisk, ...]:
    """The flagged people still in the register, as records, by name then group."""
    if not flagged:
        return ()
    columns = [getattr(Beneficiary, f.name) for f in fields(BeneficiaryRecord)]
    people: dict[uuid.UUID, tuple[str, BeneficiaryRecord]] = {}
    # Plain rows, not ORM objects: a large centre flags thousands of people.
    for key, *values in uow.session.execute(
        select(Beneficiary.sort_key, *columns).where(
            Beneficiary.id.in_({person for _g, person in flagged}), Beneficiary.cl % 2 == 1
        )
    ):
        record = BeneficiaryRecord(*values)
        people[record.id] = (key or "", record)
    names = dict(
        uow.session.execute(
            select(Group.id, Group.name).where(Group.id.in_({group for group, _p in flagged}))
        ).all()
    )
    return in_list_order(
        AtRisk(people[person][1], names[group], risk, group_id=group, sort_key=people[person][0])
        for (group, person), risk in flagged.items()
        if person in people
    )


def in_list_order(found: Iterable[AtRisk]) -> tuple[AtRisk, ...]:
    """Flagged people in the start screen's order, by name then group: one list from
    the lists of several slices of groups."""
    return tuple(
        sorted(found, key=lambda r: (r.sort_key, r.group_name, r.group_id, r.beneficiary.id))
    )
