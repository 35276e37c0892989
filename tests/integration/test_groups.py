"""Groups and enrolments: the rules a coordinator relies on the register to keep."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from app.models import Attendance, Enrolment
from app.services import attendance, groups
from app.services.beneficiaries import (
    BeneficiaryInput,
    register_beneficiary,
    search_beneficiaries,
)
from app.services.errors import DuplicateCin, InputRejected
from app.services.register import Register
from tests.integration.conftest import TODAY

SEPT = dt.date(2026, 9, 14)


def _person(
    register: Register, given: str, cin: str | None, birth: str = "1995-01-01", **extra: str
) -> None:
    with register.unit_of_work() as uow:
        register_beneficiary(
            uow,
            BeneficiaryInput(
                family_name_ar="العلوي",
                given_name_ar=given,
                sex="F",
                birth_date=birth,
                cin=cin,
                **extra,
            ),
            today=TODAY,
        )


def test_duplicate_cin_shows_the_existing_person_and_can_be_overridden(
    register: Register,
) -> None:
    _person(register, "فاطمة", "K1")
    with pytest.raises(DuplicateCin) as caught, register.unit_of_work() as uow:
        register_beneficiary(
            uow,
            BeneficiaryInput(
                family_name_ar="بنعلي",
                given_name_ar="سلمى",
                sex="F",
                birth_date="1990-01-01",
                cin="k1",
            ),
            today=TODAY,
        )
    assert caught.value.existing.given_name_ar == "فاطمة"
    assert "فاطمة" in caught.value.errors[0].message
    with register.unit_of_work() as uow:
        register_beneficiary(
            uow,
            BeneficiaryInput(
                family_name_ar="بنعلي",
                given_name_ar="سلمى",
                sex="F",
                birth_date="1990-01-01",
                cin="k1",
            ),
            today=TODAY,
            allow_duplicate_cin=True,
        )


def test_age_outside_the_programme_is_refused(register: Register) -> None:
    _person(register, "مريم", None, birth="2014-03-01", guardian_name="العلوي محمد")
    with register.unit_of_work() as uow:
        groups.add_group(uow, programme="EFT-COU", name="G", days="mon")
    with pytest.raises(InputRejected) as caught, register.unit_of_work() as uow:
        groups.enrol(
            uow, group="G", beneficiaries=[_id_of(register, "مريم")], start_date=SEPT, today=TODAY
        )
    assert "12" in caught.value.errors[0].message  # her age at the start of the season


def _id_of(register: Register, given: str) -> str:
    with register.unit_of_work() as uow:
        return str(search_beneficiaries(uow, given)[0].id)


def test_leaving_and_coming_back_is_the_same_enrolment(register: Register) -> None:
    _person(register, "فاطمة", "K1")
    with register.unit_of_work() as uow:
        groups.add_group(uow, programme="EFT-COU", name="G", days="mon,wed", capacity=5)
        first = groups.enrol(uow, group="G", beneficiaries=["K1"], start_date=SEPT, today=TODAY)[0]
    with register.unit_of_work() as uow:
        ended = groups.end_enrolment(
            uow,
            group="G",
            beneficiary="K1",
            outcome="dropped",
            end_date=dt.date(2026, 10, 5),
            reason="العمل",
        )
    assert ended.status == "dropped"
    with register.unit_of_work() as uow:
        again = groups.enrol(
            uow, group="G", beneficiaries=["K1"], start_date=dt.date(2026, 11, 2), today=TODAY
        )[0]
        assert again.id == first.id and again.status == "active" and again.reason is None
        assert uow.session.scalar(select(func.count()).select_from(Enrolment)) == 1


def test_dropping_out_needs_a_reason(register: Register) -> None:
    _person(register, "فاطمة", "K1")
    with register.unit_of_work() as uow:
        groups.add_group(uow, programme="EFT-COU", name="G", days="mon")
        groups.enrol(uow, group="G", beneficiaries=["K1"], start_date=SEPT, today=TODAY)
    with pytest.raises(InputRejected) as caught, register.unit_of_work() as uow:
        groups.end_enrolment(uow, group="G", beneficiary="K1", outcome="dropped", end_date=TODAY)
    assert caught.value.errors[0].field == "reason"


def test_marking_twice_changes_the_one_mark(register: Register) -> None:
    _person(register, "فاطمة", "K1")
    with register.unit_of_work() as uow:
        groups.add_group(uow, programme="EFT-COU", name="G", days="wed")
        groups.enrol(uow, group="G", beneficiaries=["K1"], start_date=SEPT, today=TODAY)
    marks = []
    for status in ("absent", "excused"):
        with register.unit_of_work() as uow:
            marks += attendance.mark_attendance(
                uow, group="G", date="2026-11-11", status=status, beneficiaries=["K1"], today=TODAY
            )
    assert marks[0].id == marks[1].id
    with register.unit_of_work() as uow:
        assert uow.session.scalar(select(func.count()).select_from(Attendance)) == 1
        assert [m.status for m in attendance.marks_of_group(uow, group="G")] == ["excused"]
