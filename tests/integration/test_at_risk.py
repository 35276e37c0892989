"""The at-risk rule: a setting with defaults, changed from the CLI or the services, and
who it flags on the start screen's list (the grid's flags are compared with it in
tests/ui/test_at_risk_rule.py)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from app.services import at_risk, attendance, closures, demo, groups, sessions
from app.services.attendance_sheet import month_sheet
from app.services.beneficiaries import (
    BeneficiaryInput,
    register_beneficiary,
    remove_beneficiary,
    search_beneficiaries,
)
from app.services.errors import InputRejected
from app.services.register import Register
from tests.integration.conftest import TODAY, Result, init_args, make_centre

# Mondays and Wednesdays: the last three of October, then November's before the 22nd
# (the 18th is a public holiday).
OCTOBER = ["2026-10-21", "2026-10-26", "2026-10-28"]
NOVEMBER = ["2026-11-02", "2026-11-04", "2026-11-09", "2026-11-11", "2026-11-16"]
GIVEN = {"K1": "سلمى", "K2": "نادية", "K3": "هدى", "K4": "ليلى", "K5": "زينب"}


@pytest.fixture(params=["sqlite", "postgresql"])
def any_register(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Register]:
    """An initialised centre on SQLite, then on PostgreSQL: the rule's SQL runs on both."""
    location = (
        str(tmp_path / "centre.sqlite")
        if request.param == "sqlite"
        else request.getfixturevalue("pg_database_url")
    )
    register = make_centre(location)
    yield register
    register.close()


@pytest.fixture(scope="module")
def demo_centre(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Register]:
    """A demo centre with two months of marks, shared by the tests that only read it (each
    sets the rule it needs)."""
    register = make_centre(str(tmp_path_factory.mktemp("demo") / "demo.sqlite"))
    demo.create_demo(register, seed=3, beneficiaries=400, months=2, today=TODAY)
    yield register
    register.close()


def _group_with_marks(register: Register, marks: dict[str, dict[str, str]]) -> None:
    """Group G (mon, wed) with one person per CIN, marked as given (day → status)."""
    with register.unit_of_work() as uow:
        for cin in marks:
            register_beneficiary(
                uow,
                BeneficiaryInput(
                    family_name_ar="العلوي",
                    given_name_ar=GIVEN[cin],
                    sex="F",
                    birth_date="1990-01-01",
                    cin=cin,
                ),
                today=TODAY,
            )
        groups.add_group(uow, programme="EFT-COU", name="G", days="mon,wed")
        groups.enrol(
            uow, group="G", beneficiaries=list(marks), start_date=dt.date(2026, 9, 14), today=TODAY
        )
    days = sorted({day for person in marks.values() for day in person})
    for day in days:
        with register.unit_of_work() as uow:
            for cin, statuses in marks.items():
                if day in statuses:
                    attendance.mark_attendance(
                        uow,
                        group="G",
                        date=day,
                        status=statuses[day],
                        beneficiaries=[cin],
                        today=TODAY,
                    )


def _flagged(register: Register, today: dt.date = TODAY) -> dict[str, tuple[int, int | None]]:
    """CIN → (absences in a row, rate in percent) of everyone on the start screen's list."""
    with register.unit_of_work(read_only=True) as uow:
        found = at_risk.people_at_risk(uow, today=today)
    return {
        r.beneficiary.cin or "": (
            r.risk.absences_in_a_row,
            None if r.risk.rate is None else round(r.risk.rate * 100),
        )
        for r in found
    }


def _marks(*statuses: str, days: list[str] = NOVEMBER) -> dict[str, str]:
    return dict(zip(days, statuses, strict=True))


def test_the_default_rule_flags_runs_of_absences_and_low_months(any_register: Register) -> None:
    register = any_register
    _group_with_marks(
        register,
        {
            "K1": _marks("present", "present", "absent", "absent", "absent"),  # a run of 3
            "K2": _marks("absent", "absent", "present", "present", "present"),  # 60 %: not below
            "K3": _marks("present", "absent", "absent", "excused", "present"),  # 40 %
            "K4": _marks("present", "late", "present", "absent", "absent"),  # fine
        },
    )
    assert _flagged(register) == {"K1": (3, 40), "K3": (0, 40)}
    with register.unit_of_work() as uow:
        groups.end_enrolment(
            uow, group="G", beneficiary="K1", outcome="dropped", end_date=TODAY, reason="العمل"
        )
    assert set(_flagged(register)) == {"K3"}, "who left the group is not flagged"


def test_a_run_of_absences_begins_in_the_month_before(any_register: Register) -> None:
    register = any_register
    days = [*OCTOBER, *NOVEMBER[:1]]
    _group_with_marks(
        register,
        {
            "K1": _marks("present", "absent", "absent", "absent", days=days),
            "K2": _marks("absent", "absent", "absent", "present", days=days),
        },
    )
    # On 3 November: one session this month, too few for a rate, but K1's run is three.
    assert _flagged(register, dt.date(2026, 11, 3)) == {"K1": (3, None)}


def test_cancelled_and_closed_days_do_not_count(any_register: Register) -> None:
    register = any_register
    _group_with_marks(register, {"K1": _marks("present", "present", "absent", "absent", "absent")})
    assert set(_flagged(register)) == {"K1"}
    with register.unit_of_work() as uow:
        sessions.cancel_session(uow, group="G", date="2026-11-16", reason="عطلة المؤطرة")
    # The marks of the 16th stay in the register but count no more: two absences in a
    # row, 2 of 4 sessions attended.
    assert _flagged(register) == {"K1": (2, 50)}
    with register.unit_of_work() as uow:
        closures.add_closure(uow, start="2026-11-11", end="2026-11-11", reason="إضراب")
    # One absence, 2 of 3 attended.
    assert _flagged(register) == {}


def test_who_was_removed_from_the_register_is_not_flagged_nor_counted(
    any_register: Register,
) -> None:
    register = any_register
    _group_with_marks(
        register,
        {
            "K1": _marks("present", "absent", "absent", "absent", days=NOVEMBER[:4]),
            "K2": _marks("absent", days=NOVEMBER[4:]),  # the only one marked on the 16th
        },
    )
    with register.unit_of_work() as uow:
        at_risk.change_rule(uow, monthly_rate_below=0)
    # The 16th is the group's latest session: K1, not marked then, has no run; K2 one.
    assert _flagged(register) == {}
    with register.unit_of_work() as uow:
        k1 = search_beneficiaries(uow, "K1")[0].id
        remove_beneficiary(uow, search_beneficiaries(uow, "K2")[0].id)
    # Without K2 nobody on the sheet was marked on the 16th: K1's three absences are
    # the group's three latest sessions, as the grid sees them too.
    assert _flagged(register) == {"K1": (3, 25)}
    assert set(_sheet_flags(register, "2026-11")) == {(k1, "G")}


def test_the_rule_is_a_setting(register: Register) -> None:
    _group_with_marks(
        register,
        {
            "K1": _marks("present", "present", "present", "absent", "absent"),
            "K2": _marks("present", "present", "present", "absent", "present"),
        },
    )
    assert _flagged(register) == {}
    with register.unit_of_work() as uow:
        rule = at_risk.change_rule(uow, consecutive_absences="2", monthly_rate_below=" 85 ")
    assert rule == at_risk.AtRiskRule(consecutive_absences=2, monthly_rate_below=85)
    assert _flagged(register) == {"K1": (2, 60), "K2": (0, 80)}
    with register.unit_of_work() as uow:
        at_risk.change_rule(uow, consecutive_absences=0)
    assert _flagged(register) == {"K1": (2, 60), "K2": (0, 80)}, "the rate alone"
    with register.unit_of_work() as uow:
        at_risk.change_rule(uow, monthly_rate_below=0)
    assert _flagged(register) == {}, "both parts off"
    with register.unit_of_work() as uow:
        assert at_risk.change_rule(uow, reset=True) == at_risk.AtRiskRule()


def _sheet_flags(register: Register, month: str) -> dict[tuple[object, str], at_risk.Risk]:
    """Who the attendance grid flags, group by group: each group's month sheet read as
    the grid reads it, through the same rule."""
    flagged: dict[tuple[object, str], at_risk.Risk] = {}
    with register.unit_of_work(read_only=True) as uow:
        for group in groups.list_groups(uow):
            sheet = month_sheet(uow, group=str(group.id), month=month)
            basis = at_risk.risk_basis(uow, group_id=group.id, month=month)
            found = at_risk.assess_group(
                basis.rule,
                month_days={day for row in sheet.rows for day in row.marks},
                people={row.person.id: at_risk.MonthMarks.of(row.marks) for row in sheet.rows},
                active={row.person.id for row in sheet.rows if row.enrolment_status == "active"},
                earlier=basis.earlier,
            )
            flagged |= {(person, group.name): risk for person, risk in found.items()}
    return flagged


@pytest.mark.parametrize(("absences", "rate"), [(3, 60), (2, 75), (2, 0), (0, 50), (1, 100)])
def test_a_whole_demo_centre_is_flagged_as_its_sheets_say(
    demo_centre: Register, absences: int, rate: int
) -> None:
    """Many groups and people, every kind of mark: the start screen's list (summed up by
    the database for every group at once) is the grid's flags of every group, each with
    the same reason."""
    with demo_centre.unit_of_work() as uow:
        at_risk.change_rule(uow, consecutive_absences=absences, monthly_rate_below=rate)
    with demo_centre.unit_of_work(read_only=True) as uow:
        listed = at_risk.people_at_risk(uow, today=TODAY)
    expected = _sheet_flags(demo_centre, f"{TODAY:%Y-%m}")
    assert {(r.beneficiary.id, r.group_name): r.risk for r in listed} == expected
    assert len(listed) == len(expected), "each person once per group"
    assert len(expected) >= 4, "the demo's marks flag people under every rule tried"


def test_a_season_looked_through_a_few_groups_at_a_time_flags_the_same_people(
    demo_centre: Register,
) -> None:
    """The start screen's list of a very large centre comes slice by slice of groups:
    put together, the slices flag whom the whole season does, in the same order."""
    with demo_centre.unit_of_work() as uow:
        at_risk.change_rule(uow, consecutive_absences=2, monthly_rate_below=75)
    with demo_centre.unit_of_work(read_only=True) as uow:
        whole = at_risk.people_at_risk(uow, today=TODAY)
        slices = at_risk.group_slices(uow, size=2)
    found: list[at_risk.AtRisk] = []
    for chosen in slices:
        with demo_centre.unit_of_work(read_only=True) as uow:
            found.extend(at_risk.people_at_risk(uow, today=TODAY, groups=chosen))
    assert len(slices) >= 3 and {len(chosen) for chosen in slices[:-1]} == {2}
    assert len(whole) >= 4 and len({r.group_id for r in whole}) >= 2
    assert at_risk.in_list_order(found) == whole
    with demo_centre.unit_of_work() as uow:
        at_risk.change_rule(uow, consecutive_absences=0, monthly_rate_below=0)
    with demo_centre.unit_of_work(read_only=True) as uow:
        assert at_risk.group_slices(uow) == [], "the rule off: nothing to look through"


@pytest.mark.parametrize(
    ("kwargs", "fields"),
    [
        ({"consecutive_absences": "21"}, ["consecutive_absences"]),
        ({"consecutive_absences": "-1", "monthly_rate_below": "101"}, list(at_risk.FIELDS)),
        ({"monthly_rate_below": "sixty"}, ["monthly_rate_below"]),
        ({"monthly_rate_below": "50", "reset": True}, ["reset"]),
    ],
)
def test_refusals_name_the_field_and_change_nothing(
    register: Register, kwargs: dict[str, object], fields: list[str]
) -> None:
    with register.unit_of_work() as uow:
        at_risk.change_rule(uow, monthly_rate_below=70)
    with pytest.raises(InputRejected) as caught, register.unit_of_work() as uow:
        at_risk.change_rule(uow, **kwargs)  # type: ignore[arg-type]
    assert [e.field for e in caught.value.errors] == fields
    with register.unit_of_work(read_only=True) as uow:
        assert at_risk.at_risk_rule(uow) == at_risk.AtRiskRule(monthly_rate_below=70)


INIT = init_args("ETF-01")


def test_the_settings_commands(run_cli: Callable[..., Result]) -> None:
    assert run_cli(*INIT).code == 0
    shown = json.loads(run_cli("settings", "at-risk", "show", "--json").out)
    assert shown == {"consecutive_absences": 3, "monthly_rate_below": 60}
    changed = run_cli("settings", "at-risk", "set", "--consecutive-absences", "4")
    assert changed.out.splitlines() == ["consecutive_absences\t4", "monthly_rate_below\t60"]
    refused = run_cli("settings", "at-risk", "set", "--monthly-rate-below", "120")
    assert refused.code == 3 and refused.out == ""
    assert refused.err.strip().startswith("sijill: --monthly-rate-below: ")
    text = run_cli("settings", "at-risk", "show").out
    assert text.splitlines() == ["consecutive_absences\t4", "monthly_rate_below\t60"]
    assert run_cli("settings", "at-risk", "reset").out.splitlines()[0] == "consecutive_absences\t3"
