"""The month sheet as data: the same rows, columns and marks on screen and on paper."""

from __future__ import annotations

import datetime as dt

from app.services import attendance, groups, sessions
from app.services.attendance_sheet import month_sheet
from app.services.beneficiaries import BeneficiaryInput, register_beneficiary
from app.services.integrity import log_differences
from app.services.register import Register
from app.vocabulary import AttendanceStatus
from tests.integration.conftest import TODAY


def _group_of_two(register: Register) -> None:
    with register.unit_of_work() as uow:
        for given, cin in (("سلمى", "K1"), ("أمينة", "K2")):
            register_beneficiary(
                uow,
                BeneficiaryInput(
                    family_name_ar="العلوي",
                    given_name_ar=given,
                    sex="F",
                    birth_date="1990-01-01",
                    cin=cin,
                ),
                today=TODAY,
            )
        groups.add_group(uow, programme="EFT-COU", name="G", days="mon,wed")
        groups.enrol(
            uow, group="G", beneficiaries=["K1", "K2"], start_date=dt.date(2026, 9, 14), today=TODAY
        )


def test_columns_leave_out_holidays_and_cancelled_sessions(register: Register) -> None:
    _group_of_two(register)
    with register.unit_of_work() as uow:
        sessions.cancel_session(uow, group="G", date="2026-11-04", reason="إضراب")
    with register.unit_of_work(read_only=True) as uow:
        sheet = month_sheet(uow, group="G", month="2026-11")
    assert [d.date.day for d in sheet.columns] == [2, 9, 11, 16, 23, 25, 30]
    assert {(d.date.day, d.status) for d in sheet.left_out} == {(4, "cancelled"), (18, "holiday")}
    assert [r.person.cin for r in sheet.rows] == ["K2", "K1"]  # name order: أمينة, سلمى


def test_marks_and_totals_and_a_cleared_cell(register: Register) -> None:
    _group_of_two(register)
    for day, status in (
        ("2026-11-02", "present"),
        ("2026-11-09", "absent"),
        ("2026-11-11", "late"),
    ):
        with register.unit_of_work() as uow:
            attendance.mark_attendance(
                uow, group="G", date=day, status=status, beneficiaries=["K1"], today=TODAY
            )
    with register.unit_of_work() as uow:
        cleared = attendance.clear_attendance(
            uow, group="G", date=dt.date(2026, 11, 9), beneficiary="K1"
        )
    assert cleared is not None and cleared.status == "absent"
    with register.unit_of_work(read_only=True) as uow:
        sheet = month_sheet(uow, group="G", month="2026-11")
        assert log_differences(uow) == []
    salma = next(r for r in sheet.rows if r.person.cin == "K1")
    assert salma.marks == {dt.date(2026, 11, 2): "present", dt.date(2026, 11, 11): "late"}
    assert salma.count(AttendanceStatus.PRESENT) == 1
    assert sheet.column_count(dt.date(2026, 11, 11), AttendanceStatus.LATE) == 1
    assert next(r for r in sheet.rows if r.person.cin == "K2").marks == {}
