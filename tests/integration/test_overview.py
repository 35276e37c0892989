"""The start screen's figures: today's groups and who may be dropping out."""

from __future__ import annotations

import datetime as dt

from app.services import at_risk, attendance, groups
from app.services.beneficiaries import BeneficiaryInput, register_beneficiary
from app.services.overview import overview
from app.services.register import Register
from tests.integration.conftest import TODAY

# Mondays and Wednesdays of November 2026 before the 22nd (the 18th is a holiday).
SESSIONS = ["2026-11-02", "2026-11-04", "2026-11-09", "2026-11-11", "2026-11-16"]


def _centre_with_marks(register: Register, marks: dict[str, list[str]]) -> None:
    with register.unit_of_work() as uow:
        for cin in marks:
            register_beneficiary(
                uow,
                BeneficiaryInput(
                    family_name_ar="العلوي",
                    given_name_ar="سلمى",
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
    for index, day in enumerate(SESSIONS):
        with register.unit_of_work() as uow:
            for cin, statuses in marks.items():
                attendance.mark_attendance(
                    uow,
                    group="G",
                    date=day,
                    status=statuses[index],
                    beneficiaries=[cin],
                    today=TODAY,
                )


def test_three_absences_at_the_latest_sessions_flag_a_person(register: Register) -> None:
    _centre_with_marks(
        register,
        {
            "K1": ["present", "present", "absent", "absent", "absent"],  # at risk
            "K2": ["absent", "absent", "absent", "absent", "present"],  # came back
            "K3": ["present", "absent", "absent", "excused", "absent"],  # excused breaks it
        },
    )
    with register.unit_of_work() as uow:
        # The run of absences alone: the monthly rate would flag all three.
        at_risk.change_rule(uow, monthly_rate_below=0)
    with register.unit_of_work(read_only=True) as uow:
        flagged = at_risk.people_at_risk(uow, today=TODAY)
    assert [r.beneficiary.cin for r in flagged] == ["K1"]
    assert flagged[0].group_name == "G"


def test_a_person_who_left_the_group_is_not_flagged(register: Register) -> None:
    _centre_with_marks(register, {"K1": ["absent"] * 5})
    with register.unit_of_work() as uow:
        groups.end_enrolment(
            uow, group="G", beneficiary="K1", outcome="dropped", end_date=TODAY, reason="العمل"
        )
    with register.unit_of_work(read_only=True) as uow:
        assert at_risk.people_at_risk(uow, today=TODAY) == ()


def test_today_groups_follow_the_weekday(register: Register) -> None:
    _centre_with_marks(register, {"K1": ["present"] * 5})
    with register.unit_of_work(read_only=True) as uow:
        sunday = overview(uow, today=TODAY)
        monday = overview(uow, today=TODAY + dt.timedelta(days=1))
    assert sunday.today_groups == () and [g.name for g in monday.today_groups] == ["G"]
    assert monday.beneficiaries == 1 and monday.report_month == dt.date(2026, 10, 1)
    assert monday.groups == sunday.groups == 1
