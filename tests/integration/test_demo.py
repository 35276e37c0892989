"""The demo centre: reproducible to the byte, and realistic where a user would look.

Runs `sijill` in this process against files of its own (`--db`), with SIJILL_TODAY fixed
and SIJILL_HOME isolated by the top-level conftest.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections import Counter
from collections.abc import Iterator
from dataclasses import fields
from pathlib import Path

import pytest
from sqlalchemy import select

from app.cli.main import main
from app.models import (
    Attendance,
    Beneficiary,
    Enrolment,
    Event,
    EventParticipant,
    FollowUp,
    Group,
    Programme,
    Season,
    Session,
    Staff,
)
from app.services import calendar, demo, validation
from app.services.beneficiaries import BeneficiaryInput, clean
from app.services.integrity import log_differences
from app.services.register import Register, open_register
from app.services.text import has_arabic, has_latin
from app.vocabulary import FollowUpOutcome, Weekday
from tests.integration.conftest import init_args

TODAY = dt.date(2026, 11, 22)
INIT = init_args("EFT-TAZA-01", name="مركز التربية والتكوين الأمل")
PEOPLE = 300


def sijill(capsys: pytest.CaptureFixture[str], db: Path, *args: str) -> str:
    """Run `sijill --db DB ARGS`; return its standard output, failing on a non-zero exit."""
    capsys.readouterr()
    code = main(["--db", str(db), *args])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    return captured.out


def copy_database(source: Path, target: Path) -> None:
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)


@pytest.fixture(autouse=True)
def _fixed_today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SIJILL_TODAY", TODAY.isoformat())


@pytest.fixture
def initialised(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    """A centre set up with `sijill init`, not yet filled."""
    db = tmp_path / "initialised.sqlite"
    sijill(capsys, db, *INIT)
    return db


# -- determinism -------------------------------------------------------------------------


def test_same_seed_gives_the_same_dump(
    initialised: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    copies = {name: tmp_path / f"{name}.sqlite" for name in ("first", "second", "other")}
    for copy in copies.values():
        copy_database(initialised, copy)
    sijill(capsys, copies["first"], "demo", "--seed", "3", "--beneficiaries", str(PEOPLE))
    sijill(capsys, copies["second"], "demo", "--seed", "3", "--beneficiaries", str(PEOPLE))
    sijill(capsys, copies["other"], "demo", "--seed", "4", "--beneficiaries", str(PEOPLE))

    first = sijill(capsys, copies["first"], "dump", "--json")
    assert sijill(capsys, copies["first"], "dump", "--json") == first
    assert sijill(capsys, copies["second"], "dump", "--json") == first
    assert sijill(capsys, copies["other"], "dump", "--json") != first


def test_same_seed_on_two_separately_initialised_registers(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    dumps = []
    for name in ("a", "b"):
        db = tmp_path / f"{name}.sqlite"
        sijill(capsys, db, *INIT)
        sijill(capsys, db, "demo", "--seed", "3", "--beneficiaries", str(PEOPLE))
        dumps.append(sijill(capsys, db, "dump", "--json"))
    assert dumps[0] == dumps[1]


# -- realism -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def filled(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Register]:
    """One demo register for the realism checks (built once: they only read it)."""
    folder = tmp_path_factory.mktemp("demo")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SIJILL_HOME", str(folder / "home"))
        register = open_register(str(folder / "demo.sqlite"))
        summary = demo.create_demo(register, seed=3, beneficiaries=PEOPLE, months=10, today=TODAY)
        assert summary
        yield register
        register.close()


def rows(register: Register, model: type) -> list:
    with register.reading() as session:
        return list(session.scalars(select(model)))


def test_everything_written_is_in_the_change_log(filled: Register) -> None:
    with filled.unit_of_work() as uow:
        assert log_differences(uow) == []


def test_the_people_asked_for_with_valid_fields(filled: Register) -> None:
    people = rows(filled, Beneficiary)
    assert len(people) == PEOPLE
    form = {f.name for f in fields(BeneficiaryInput)}
    for person in people:
        stored = {name: getattr(person, name) for name in form}
        # The demo stores exactly what the form would have stored from the same input.
        assert clean(BeneficiaryInput(**stored), today=TODAY) == stored, person.id
    cins = [p.cin for p in people if p.cin]
    assert len(cins) == len(set(cins)), "a CIN is used twice in the centre"
    sexes = Counter(p.sex for p in people)
    assert sexes["F"] > 3 * sexes["M"] > 0, "a training centre: mostly women, some men"


def test_every_child_has_a_guardian_and_no_card(filled: Register) -> None:
    children = [
        p
        for p in rows(filled, Beneficiary)
        if validation.age_on(p.birth_date, TODAY) < validation.ADULT_AGE
    ]
    assert children, "the demo should include some minors"
    for child in children:
        assert child.guardian_name and child.cin is None, child.id


def test_ages_fit_the_programme_of_every_enrolment(filled: Register) -> None:
    with filled.reading() as session:
        found = session.execute(
            select(Beneficiary.birth_date, Season.start_date, Programme.min_age, Programme.max_age)
            .join(Enrolment, Enrolment.beneficiary_id == Beneficiary.id)
            .join(Group, Group.id == Enrolment.group_id)
            .join(Season, Season.id == Group.season_id)
            .join(Programme, Programme.id == Group.programme_id)
        ).all()
    assert len(found) >= PEOPLE
    for birth, start, low, high in found:
        age = validation.age_on(birth, start)
        assert (low is None or age >= low) and (high is None or age <= high)


def test_outcomes_dropouts_and_follow_ups(filled: Register) -> None:
    enrolments = rows(filled, Enrolment)
    seasons = {s.id: s for s in rows(filled, Season)}
    groups = {g.id: g for g in rows(filled, Group)}
    by_status = Counter(e.status for e in enrolments)
    assert by_status["completed"] and by_status["dropped"] and by_status["active"]
    assert by_status["dropped"] < 0.25 * len(enrolments), "dropouts are a minority"
    assert len({e.beneficiary_id for e in enrolments}) < len(enrolments), "some come back"
    for enrolment in enrolments:
        season = seasons[groups[enrolment.group_id].season_id]
        if enrolment.status == "dropped":
            assert enrolment.reason and has_arabic(enrolment.reason)
            assert enrolment.start_date <= enrolment.end_date <= TODAY
        elif enrolment.status == "completed":
            assert season.end_date < TODAY and enrolment.end_date == season.end_date
            assert enrolment.mention in demo.MENTIONS
        else:
            assert season.end_date >= TODAY and enrolment.end_date is None

    follow_ups = rows(filled, FollowUp)
    completed = {e.id: e for e in enrolments if e.status == "completed"}
    assert 0.4 * len(completed) < len(follow_ups) < 0.8 * len(completed)
    assert {f.outcome for f in follow_ups} <= {o.value for o in FollowUpOutcome}
    for follow_up in follow_ups:
        assert completed[follow_up.enrolment_id].end_date < follow_up.date <= TODAY


def test_marks_only_on_session_days_of_the_enrolment(filled: Register) -> None:
    groups = {g.id: g for g in rows(filled, Group)}
    seasons = {s.id: s for s in rows(filled, Season)}
    sessions = {s.id: s for s in rows(filled, Session)}
    enrolments = {(e.group_id, e.beneficiary_id): e for e in rows(filled, Enrolment)}
    marks = rows(filled, Attendance)
    assert len(marks) > 20 * PEOPLE
    for session in sessions.values():
        group = groups[session.group_id]
        season = seasons[group.season_id]
        weekday = list(Weekday)[session.date.isoweekday() - 1].value
        assert weekday in group.days.split(",")
        assert season.start_date <= session.date <= min(season.end_date, TODAY)
        assert not demo.is_holiday(session.date)
    # Green March day and Independence Day fall inside the window: no session on them.
    assert not [s for s in sessions.values() if (s.date.month, s.date.day) in ((11, 6), (11, 18))]
    for mark in marks:
        session = sessions[mark.session_id]
        assert session.status == "planned"
        enrolment = enrolments[(session.group_id, mark.beneficiary_id)]
        assert enrolment.start_date <= session.date
        assert enrolment.end_date is None or session.date <= enrolment.end_date
    statuses = Counter(m.status for m in marks)
    came = (statuses["present"] + statuses["late"]) / len(marks)
    assert 0.8 < came < 0.95 and statuses["excused"] and statuses["absent"]


def test_groups_staff_and_events(filled: Register) -> None:
    staff = {s.id for s in rows(filled, Staff)}
    enrolled = Counter(e.group_id for e in rows(filled, Enrolment))
    for group in rows(filled, Group):
        assert group.educator_id in staff
        assert 2 <= len(group.days.split(",")) <= 4 and group.start_time < group.end_time
        assert enrolled[group.id] <= group.capacity
    events = rows(filled, Event)
    assert len(events) >= 2
    participants = rows(filled, EventParticipant)
    for event in events:
        here = [p for p in participants if p.event_id == event.id]
        assert any(p.role == "speaker" and p.guest_name for p in here)
        assert sum(1 for p in here if p.beneficiary_id) >= 10


def test_name_lists_are_varied_and_well_formed() -> None:
    assert len(set(demo.FEMALE_NAMES)) >= 60 and len(set(demo.MALE_NAMES)) >= 30
    assert len({arabic for arabic, _latin in demo.FAMILY_NAMES}) >= 80
    for arabic, latin in (*demo.FEMALE_NAMES, *demo.MALE_NAMES, *demo.FAMILY_NAMES):
        assert has_arabic(arabic) and not has_latin(arabic)
        assert latin == latin.upper() and not has_arabic(latin)
    spellings = "".join(arabic for arabic, _latin in (*demo.FEMALE_NAMES, *demo.FAMILY_NAMES))
    assert all(letter in spellings for letter in "أإآؤئةى")


# -- setting up and refusing -------------------------------------------------------------


def test_a_blank_register_gets_the_demo_centre(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "blank.sqlite"
    sijill(capsys, db, "demo", "--seed", "1", "--beneficiaries", "40", "--months", "1")
    listed = sijill(capsys, db, "groups", "list")
    assert listed.strip(), "the demo's groups are in the current season"
    register = open_register(str(db))
    try:
        seasons = {s.label for s in rows(register, Season)}
        assert seasons == {"2026-2027"}
        assert len(rows(register, Beneficiary)) == 40
    finally:
        register.close()


def test_a_centre_with_people_is_refused(
    initialised: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sijill(capsys, initialised, "demo", "--beneficiaries", "20", "--months", "1")
    assert main(["--db", str(initialised), "demo", "--beneficiaries", "20"]) == 3
    assert "20" in capsys.readouterr().err


def test_no_months_means_no_session_before_today(
    initialised: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sijill(capsys, initialised, "demo", "--beneficiaries", "30", "--months", "0")
    register = open_register(str(initialised))
    try:
        assert len(rows(register, Beneficiary)) == 30
        assert all(s.date == TODAY for s in rows(register, Session))
    finally:
        register.close()


def test_calendar_helpers() -> None:
    assert calendar.months_before(dt.date(2026, 3, 31), 1) == dt.date(2026, 2, 28)
    assert calendar.months_before(dt.date(2026, 11, 22), 10) == dt.date(2026, 1, 22)
    assert calendar.months_before(dt.date(2026, 1, 15), 13) == dt.date(2024, 12, 15)
    assert demo.is_holiday(dt.date(2026, 11, 18)) and demo.is_holiday(dt.date(2026, 7, 10))
    assert not demo.is_holiday(dt.date(2026, 11, 19))
    assert demo.is_holiday(dt.date(2027, 3, 9))  # Eid al-Fitr 1448, Umm al-Qura
