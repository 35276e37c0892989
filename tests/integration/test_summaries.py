"""The centre's numbers (app/services/summaries.py) against a count made here by hand.

A demo centre with a season and a half of records, plus the cases that trip counts up:
a cancelled session that keeps its marks, an extra session on a day off, a transfer, a
dropout reason typed with stray spaces, a person in two groups at once, a person with no
area recorded, a deleted person, a graduate followed up twice. The expected numbers are
counted in this module from every row, with plain loops that follow the definitions in
the service's docstring, never with the service's own helpers; the summary must match
them to the last number, for months and seasons, past and current, on SQLite and on
PostgreSQL. The CLI gives the same numbers as JSON, and refuses bad periods cleanly.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import uuid
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session as OrmSession

from app.models import (
    Attendance,
    Beneficiary,
    Enrolment,
    FollowUp,
    Group,
    Programme,
    Season,
    Session,
    Site,
)
from app.services import attendance, calendar, demo, followups, groups, sessions
from app.services.beneficiaries import BeneficiaryInput, register_beneficiary, remove_beneficiary
from app.services.register import Register, open_register
from app.services.summaries import summarise
from tests.integration.conftest import TODAY, Result, make_centre

SEED, PEOPLE, MONTHS = 3, 120, 15
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
SEXES = ["F", "M"]
AREAS = ["urban", "rural", "unknown"]
AGE_BANDS = [
    ("0-5", 0, 5),
    ("6-14", 6, 14),
    ("15-17", 15, 17),
    ("18-24", 18, 24),
    ("25-34", 25, 34),
    ("35-44", 35, 44),
    ("45-59", 45, 59),
    ("60+", 60, 200),
]
DISABILITIES = ["none", "motor", "visual", "hearing", "intellectual", "autism", "multiple", "other"]
OUTCOMES = ["job", "cooperative", "own_business", "further_training", "seeking"]
PERIODS = [
    {"month": "2026-11"},
    {"month": "2026-03"},
    {"month": "2026-06"},
    {"season": "2025-2026"},
    {"season": "2026-2027"},
]


# -- the register ------------------------------------------------------------------------


def _held_day(register: Register, group: str, *, after: dt.date) -> dt.date:
    with register.unit_of_work(read_only=True) as uow:
        days = sessions.month_sessions(uow, group=group, month="2026-11")
    return next(d.date for d in days if d.status == "planned" and after <= d.date <= TODAY)


def _members(register: Register, group: str) -> list[Any]:
    with register.unit_of_work(read_only=True) as uow:
        return [m for m in groups.group_members(uow, group=group) if m.status == "active"]


def add_awkward_cases(register: Register) -> None:
    """Through the services, the records that make counting hard (see the docstring)."""
    with register.unit_of_work(read_only=True) as uow:
        found = sorted(groups.list_groups(uow), key=lambda g: g.name)
        graduates = followups.list_graduates(uow, today=TODAY)
    first, second = str(found[0].id), str(found[1].id)

    # A person with no area, in two groups at once from 3 November.
    with register.unit_of_work() as uow:
        person = register_beneficiary(
            uow,
            BeneficiaryInput(
                family_name_ar="الإدريسي",
                given_name_ar="سلمى",
                sex="F",
                birth_date="1996-05-05",
                cin="ZT99001",
                disability="autism",
            ),
            today=TODAY,
        )
        for group in (first, second):
            groups.enrol(
                uow,
                group=group,
                beneficiaries=[str(person.id)],
                start_date=dt.date(2026, 11, 3),
                today=TODAY,
            )
    marked_day = _held_day(register, first, after=dt.date(2026, 11, 3))
    with register.unit_of_work() as uow:
        attendance.mark_attendance(
            uow,
            group=first,
            date=marked_day,
            status="late",
            beneficiaries=[str(person.id)],
            today=TODAY,
        )

    # A session that was marked, then cancelled: its marks stay but no longer count.
    cancelled = _held_day(register, first, after=dt.date(2026, 11, 1))
    with register.unit_of_work() as uow:
        sessions.cancel_session(uow, group=first, date=cancelled, reason="إضراب")

    # An extra session on a Sunday, marked.
    second_members = _members(register, second)
    sunday = dt.date(2026, 11, 15)
    with register.unit_of_work() as uow:
        sessions.add_session(uow, group=second, date=sunday, reason="حصة تعويضية")
        attendance.mark_attendance(
            uow,
            group=second,
            date=sunday,
            status="present",
            beneficiaries=[str(m.beneficiary_id) for m in second_members[:5]],
            today=TODAY,
        )
        attendance.mark_attendance(
            uow,
            group=second,
            date=sunday,
            status="absent",
            beneficiaries=[str(m.beneficiary_id) for m in second_members[5:7]],
            today=TODAY,
        )

    # A transfer, a dropout typed with stray spaces, and a person deleted with her marks.
    first_members = _members(register, first)
    with register.unit_of_work() as uow:
        groups.end_enrolment(
            uow,
            group=second,
            beneficiary=str(second_members[8].beneficiary_id),
            outcome="transferred",
            end_date=dt.date(2026, 11, 10),
        )
        groups.end_enrolment(
            uow,
            group=first,
            beneficiary=str(first_members[1].beneficiary_id),
            outcome="dropped",
            end_date=dt.date(2026, 11, 12),
            reason="  عدم توفر   وسيلة النقل ",
        )
        remove_beneficiary(uow, first_members[2].beneficiary_id)

    # A graduate followed up twice in November: the later outcome counts.
    with register.unit_of_work() as uow:
        for day, outcome in ((dt.date(2026, 11, 5), "seeking"), (dt.date(2026, 11, 19), "job")):
            followups.record_follow_up(
                uow,
                beneficiary=str(graduates[0].beneficiary_id),
                outcome=outcome,
                date=day,
                today=TODAY,
            )


def build_centre(location: str) -> Register:
    register = make_centre(location)
    demo.create_demo(register, seed=SEED, beneficiaries=PEOPLE, months=MONTHS, today=TODAY)
    add_awkward_cases(register)
    return register


@pytest.fixture
def centre(tmp_path: Path) -> Iterator[Register]:
    register = build_centre(str(tmp_path / "centre.sqlite"))
    yield register
    register.close()


# -- the count by hand -------------------------------------------------------------------


def _alive(row: Any) -> bool:
    return row.cl % 2 == 1


def _age(birth: dt.date, on: dt.date) -> int:
    years = on.year - birth.year
    return years - 1 if (on.month, on.day) < (birth.month, birth.day) else years


def _rate(attended: int, marked: int) -> float | None:
    return round(100 * attended / marked, 1) if marked else None


def _figures(sessions_held: int, marks: list[str]) -> dict[str, Any]:
    count = Counter(marks)
    return {
        "sessions_held": sessions_held,
        "marked": len(marks),
        "present": count["present"],
        "late": count["late"],
        "absent": count["absent"],
        "excused": count["excused"],
        "attendance_rate": _rate(count["present"] + count["late"], len(marks)),
    }


def _month_end(first: dt.date) -> dt.date:
    following = dt.date(first.year + first.month // 12, first.month % 12 + 1, 1)
    return following - dt.timedelta(days=1)


def count_by_hand(
    session: OrmSession, *, month: str | None = None, season: str | None = None
) -> dict[str, Any]:
    """Every number of the summary, counted from all the rows with plain loops."""
    centre_id = session.scalars(select(Site.centre_id)).one()
    seasons = list(session.scalars(select(Season)))
    if month is not None:
        start = dt.date(int(month[:4]), int(month[5:]), 1)
        end = _month_end(start)
        own = [s for s in seasons if _alive(s) and s.start_date <= start <= s.end_date]
        period_season = own[0] if own else None
        kind, label = "month", month
    else:
        period_season = next(s for s in seasons if s.label == season and _alive(s))
        start, end = period_season.start_date, period_season.end_date
        kind, label = "season", season
    until = min(end, TODAY)
    series_start = period_season.start_date if period_season else start

    season_of = {s.id: s for s in seasons}
    programmes = {p.id: p for p in session.scalars(select(Programme))}
    group_list = [
        g
        for g in session.scalars(select(Group))
        if _alive(g)
        and g.centre_id == centre_id
        and season_of[g.season_id].start_date <= end
        and season_of[g.season_id].end_date >= start
    ]
    group_list.sort(key=lambda g: (programmes[g.programme_id].code, g.name, g.id))
    in_scope = {g.id for g in group_list}
    people = {b.id: b for b in session.scalars(select(Beneficiary)) if _alive(b)}
    session_rows = {s.id: s for s in session.scalars(select(Session)) if _alive(s)}

    # Days each group met: meeting days and extra sessions, less holidays and cancellations.
    offset = calendar.hijri_offset(session)
    held: dict[uuid.UUID, set[dt.date]] = {}
    for g in group_list:
        own_season = season_of[g.season_id]
        first, last = max(series_start, own_season.start_date), min(until, own_season.end_date)
        holidays = calendar.holidays_between(first, last, offset=offset) if first <= last else {}
        stored = {r.date: r for r in session_rows.values() if r.group_id == g.id and r.slot == 1}
        days = set()
        day = first
        while day <= last:
            row = stored.get(day)
            meets = WEEKDAYS[day.weekday()] in g.days.split(",")
            cancelled = row is not None and row.status == "cancelled"
            if day not in holidays and not cancelled and (meets or row is not None):
                days.add(day)
            day += dt.timedelta(days=1)
        held[g.id] = days

    marks: dict[tuple[uuid.UUID, dt.date], list[str]] = defaultdict(list)
    for mark in session.scalars(select(Attendance)):
        row = session_rows.get(mark.session_id)
        if not _alive(mark) or row is None or mark.beneficiary_id not in people:
            continue
        if row.group_id in in_scope and row.date in held[row.group_id]:
            marks[(row.group_id, row.date)].append(mark.status)

    def figures(group_ids: list[uuid.UUID], first: dt.date, last: dt.date) -> dict[str, Any]:
        days = [(g, d) for g in group_ids for d in held[g] if first <= d <= last]
        return _figures(len(days), [m for key in days for m in marks.get(key, [])])

    all_enrolments = [e for e in session.scalars(select(Enrolment)) if _alive(e)]
    centre_groups = {
        g.id for g in session.scalars(select(Group)) if _alive(g) and g.centre_id == centre_id
    }
    first_start: dict[uuid.UUID, dt.date] = {}
    for e in all_enrolments:
        if e.group_id in centre_groups:
            known = first_start.get(e.beneficiary_id)
            first_start[e.beneficiary_id] = min(known, e.start_date) if known else e.start_date
    of_period = [
        e
        for e in all_enrolments
        if e.group_id in in_scope
        and e.beneficiary_id in people
        and e.start_date <= end
        and (e.end_date is None or e.end_date >= start)
    ]

    def ended(e: Enrolment, status: str) -> bool:
        return e.status == status and e.end_date is not None and start <= e.end_date <= end

    def enrolment_counts(rows: list[Enrolment]) -> dict[str, int]:
        return {
            "enrolled": len(rows),
            "joined": sum(1 for e in rows if start <= e.start_date <= end),
            "completed": sum(1 for e in rows if ended(e, "completed")),
            "dropped": sum(1 for e in rows if ended(e, "dropped")),
            "transferred": sum(1 for e in rows if ended(e, "transferred")),
        }

    person_ids = {e.beneficiary_id for e in of_period}

    def people_counts(key: str, ids: set[uuid.UUID]) -> dict[str, Any]:
        def had(status: str) -> int:
            return sum(
                1 for p in ids if any(ended(e, status) for e in of_period if e.beneficiary_id == p)
            )

        return {
            "key": key,
            "enrolled": len(ids),
            "new": sum(1 for p in ids if start <= first_start[p] <= end),
            "completed": had("completed"),
            "dropped": had("dropped"),
            "transferred": had("transferred"),
        }

    def band(birth: dt.date) -> str:
        age = _age(birth, start)
        return next(code for code, _low, high in AGE_BANDS if age <= high)

    def breakdown(keys: list[str], key_of: Callable[[Beneficiary], str]) -> list[dict[str, Any]]:
        return [
            people_counts(key, {p for p in person_ids if key_of(people[p]) == key}) for key in keys
        ]

    reasons = Counter(
        (" ".join(e.reason.split()) if e.reason else None) or None
        for e in of_period
        if ended(e, "dropped")
    )

    # Follow-ups: the month's, or what became of the season's graduates.
    graduates = {e.beneficiary_id for e in of_period if ended(e, "completed")}
    latest: dict[uuid.UUID, FollowUp] = {}
    for f in session.scalars(select(FollowUp)):
        person = people.get(f.beneficiary_id)
        if not _alive(f) or person is None or person.centre_id != centre_id:
            continue
        if kind == "month":
            counted = start <= f.date <= end
        else:
            counted = f.date <= TODAY and f.beneficiary_id in graduates
        known = latest.get(f.beneficiary_id)
        if counted and (known is None or (f.date, f.id) > (known.date, known.id)):
            latest[f.beneficiary_id] = f
    outcomes = Counter(f.outcome for f in latest.values())
    outcome_lines = [{"outcome": o, "people": outcomes[o]} for o in OUTCOMES]
    if kind == "season":
        outcome_lines.append({"outcome": "none", "people": len(graduates) - len(latest)})

    by_programme: dict[uuid.UUID, list[uuid.UUID]] = {}
    for g in group_list:
        by_programme.setdefault(g.programme_id, []).append(g.id)
    months = []
    first_of_month = series_start.replace(day=1)
    while first_of_month <= until:
        months.append(
            {
                "month": first_of_month,
                "attendance": figures(list(in_scope), first_of_month, _month_end(first_of_month)),
            }
        )
        first_of_month = _month_end(first_of_month) + dt.timedelta(days=1)

    return {
        "kind": kind,
        "label": label,
        "start": start,
        "end": end,
        "counted_until": until,
        "made_on": TODAY,
        "season_label": period_season.label if period_season else None,
        "people": people_counts("total", person_ids),
        "enrolments": enrolment_counts(of_period),
        "groups": len(group_list),
        "session_days": len({d for g in in_scope for d in held[g] if d >= start}),
        "attendance": figures(list(in_scope), start, end),
        "followed_up": len(latest),
        "by_sex": breakdown(SEXES, lambda p: p.sex),
        "by_area": breakdown(AREAS, lambda p: p.area or "unknown"),
        "by_age": breakdown([code for code, _l, _h in AGE_BANDS], lambda p: band(p.birth_date)),
        "by_disability": breakdown(DISABILITIES, lambda p: p.disability or "none"),
        "by_programme": [
            {
                "programme_id": programme_id,
                "code": programmes[programme_id].code,
                "name_ar": programmes[programme_id].name_ar,
                "name_fr": programmes[programme_id].name_fr,
                "groups": len(ids),
                "enrolments": enrolment_counts([e for e in of_period if e.group_id in ids]),
                "attendance": figures(ids, start, end),
            }
            for programme_id, ids in by_programme.items()
        ],
        "by_group": [
            {
                "group_id": g.id,
                "name": g.name,
                "programme_code": programmes[g.programme_id].code,
                "programme_name_ar": programmes[g.programme_id].name_ar,
                "programme_name_fr": programmes[g.programme_id].name_fr,
                "enrolments": enrolment_counts([e for e in of_period if e.group_id == g.id]),
                "attendance": figures([g.id], start, end),
            }
            for g in group_list
        ],
        "dropout_reasons": [
            {"reason": reason, "dropouts": n}
            for reason, n in sorted(reasons.items(), key=lambda r: (-r[1], r[0] or ""))
        ],
        "follow_up_outcomes": outcome_lines,
        "attendance_by_month": months,
    }


def _as_dict(register: Register, **period: str) -> dict[str, Any]:
    with register.unit_of_work(read_only=True) as uow:
        return dataclasses.asdict(summarise(uow, today=TODAY, **period))


def _plain(data: dict[str, Any]) -> Any:
    """Lists for tuples, text for dates and ids: the two sides compare as data."""
    return json.loads(json.dumps(data, default=str, ensure_ascii=False))


def _without_centre(summary: dict[str, Any]) -> dict[str, Any]:
    """The summary less the centre's names, which the count by hand does not make up."""
    return _plain({k: v for k, v in summary.items() if not k.startswith("centre_")})


# -- the tests ---------------------------------------------------------------------------


@pytest.mark.parametrize("period", PERIODS, ids=lambda p: next(iter(p.values())))
def test_every_number_matches_a_count_by_hand(centre: Register, period: dict[str, str]) -> None:
    summary = _as_dict(centre, **period)
    with centre.reading() as session:
        expected = count_by_hand(session, **period)
    assert _without_centre(summary) == _plain(expected)


def test_the_awkward_cases_show_where_a_coordinator_would_look(centre: Register) -> None:
    """Not a second count: what the November report must visibly say about them."""
    november = _as_dict(centre, month="2026-11")
    assert november["enrolments"]["transferred"] == 1
    assert {"reason": "عدم توفر وسيلة النقل", "dropouts": 1} in november["dropout_reasons"]
    # The new person is in two groups: one person, two enrolments.
    assert november["people"]["enrolled"] == november["enrolments"]["enrolled"] - 1
    assert next(r for r in november["by_area"] if r["key"] == "unknown")["enrolled"] == 1
    assert next(r for r in november["by_disability"] if r["key"] == "autism")["new"] == 1
    # The two follow-ups of one graduate count once, under the later outcome.
    assert next(o for o in november["follow_up_outcomes"] if o["outcome"] == "job")["people"] >= 1
    assert november["followed_up"] == sum(o["people"] for o in november["follow_up_outcomes"])
    # Every breakdown adds up to the total.
    for table in ("by_sex", "by_area", "by_age", "by_disability"):
        assert sum(r["enrolled"] for r in november[table]) == november["people"]["enrolled"]
    rate = november["attendance"]
    assert rate["marked"] == rate["present"] + rate["late"] + rate["absent"] + rate["excused"]
    assert november["counted_until"] == TODAY


def test_a_season_counts_what_became_of_its_graduates(centre: Register) -> None:
    season = _as_dict(centre, season="2025-2026")
    assert season["people"]["completed"] > 0
    lines = {o["outcome"]: o["people"] for o in season["follow_up_outcomes"]}
    assert sum(lines.values()) == season["people"]["completed"]
    assert season["followed_up"] == season["people"]["completed"] - lines["none"]
    assert [m["month"].month for m in season["attendance_by_month"]] == [
        9,
        10,
        11,
        12,
        1,
        2,
        3,
        4,
        5,
        6,
    ]


def test_stats_json_gives_the_service_numbers(
    run_cli: Callable[..., Result], tmp_path: Path
) -> None:
    build_centre(str(tmp_path / "cli.sqlite")).close()
    result = run_cli("stats", "--month", "2026-11", "--json")
    assert result.code == 0, result.err
    printed = json.loads(result.out)
    register = open_register(str(tmp_path / "cli.sqlite"))
    try:
        expected = _plain(_as_dict(register, month="2026-11"))
    finally:
        register.close()
    assert printed == expected
    assert printed["attendance"]["attendance_rate"] == expected["attendance"]["attendance_rate"]


def test_stats_text_is_a_readable_table(run_cli: Callable[..., Result], tmp_path: Path) -> None:
    build_centre(str(tmp_path / "cli.sqlite")).close()
    result = run_cli("stats", "--season", "2025-2026")
    assert result.code == 0, result.err
    lines = result.out.splitlines()
    assert lines[0].startswith("حصيلة الموسم 2025-2026")
    assert "# المعطيات الرئيسية" in lines
    total = next(line for line in lines if line.startswith("مجموع المستفيدين\t"))
    register = open_register(str(tmp_path / "cli.sqlite"))
    try:
        people = _as_dict(register, season="2025-2026")["people"]
    finally:
        register.close()
    assert total.split("\t")[1:] == [
        str(people[k]) for k in ("enrolled", "new", "completed", "dropped", "transferred")
    ]


@pytest.mark.parametrize(
    ("args", "option", "words"),
    [
        (("--month", "2026-13"), "--month", "YYYY-MM"),
        (("--month", "2027-01"), "--month", "2027-01"),
        (("--season", "2019-2020"), "--season", "2019-2020"),
        (("--season", "2025/2026"), "--season", "2025-2026"),
    ],
)
def test_a_bad_period_is_refused_with_exit_3(
    run_cli: Callable[..., Result],
    tmp_path: Path,
    args: tuple[str, ...],
    option: str,
    words: str,
) -> None:
    make_centre(str(tmp_path / "cli.sqlite")).close()
    result = run_cli("stats", *args, "--xlsx", str(tmp_path / "out.xlsx"))
    assert result.code == 3
    assert result.out == ""
    assert result.err.startswith(f"sijill: {option}: ")
    assert words in result.err
    assert not (tmp_path / "out.xlsx").exists()


def test_a_spreadsheet_in_a_missing_folder_is_refused(
    run_cli: Callable[..., Result], tmp_path: Path
) -> None:
    make_centre(str(tmp_path / "cli.sqlite")).close()
    result = run_cli("stats", "--month", "2026-11", "--xlsx", str(tmp_path / "no" / "s.xlsx"))
    assert result.code == 3
    assert result.err.startswith("sijill: --xlsx: ")
    assert not (tmp_path / "no").exists()


def test_sqlite_and_postgresql_give_the_same_numbers(tmp_path: Path, pg_database_url: str) -> None:
    lite = build_centre(str(tmp_path / "centre.sqlite"))
    postgres = build_centre(pg_database_url)
    try:
        for period in PERIODS:
            on_sqlite = _as_dict(lite, **period)
            assert _as_dict(postgres, **period) == on_sqlite
            with postgres.reading() as session:
                assert _without_centre(on_sqlite) == _plain(count_by_hand(session, **period))
    finally:
        lite.close()
        postgres.close()
