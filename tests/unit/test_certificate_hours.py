"""The hours a certificate states follow the group's calendar: a day the centre was closed
is not a session held, even when marks were typed for it before the closure was entered;
an extra session is one. The attendance rule counts the same sessions."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.services import certificates, document_settings, keys
from app.services.attendance import mark_attendance
from app.services.beneficiaries import BeneficiaryInput, register_beneficiary
from app.services.certificates import IssuedCertificates
from app.services.closures import add_closure
from app.services.groups import add_group, end_enrolment, enrol
from app.services.register import Register
from app.services.sessions import add_session
from tests.integration.conftest import TODAY, make_centre

PASSPHRASE = "passphrase of the centre"
GROUP = "الطرز - الفوج 2"
# Mondays and Wednesdays of October 2026: eight sessions, none on a public holiday.
OCTOBER = [dt.date(2026, 10, d) for d in (5, 7, 12, 14, 19, 21, 26, 28)]
CLOSED = (dt.date(2026, 10, 12), dt.date(2026, 10, 14))
# A make-up Saturday added by hand.
EXTRA = dt.date(2026, 10, 31)
# Two and a half hours a session.
HOURS = "09:00-11:30"

pytestmark = pytest.mark.usefixtures("no_keyring")


@pytest.fixture
def register(tmp_path: Path) -> Iterator[Register]:
    reg = make_centre(str(tmp_path / "centre.sqlite"))
    yield reg
    reg.close()


def _person(register: Register, given: str) -> str:
    with register.unit_of_work() as uow:
        data = BeneficiaryInput(
            family_name_ar="البقالي", given_name_ar=given, sex="F", birth_date="1996-04-02"
        )
        return str(register_beneficiary(uow, data, today=TODAY).id)


def _season(register: Register) -> tuple[str, str]:
    """Two women in a group meeting Mondays and Wednesdays, marked through October and at
    a make-up Saturday; the centre closed on two of those days afterwards. Salma came
    every day; Nadia missed the two days that were later closed."""
    salma, nadia = _person(register, "سلمى"), _person(register, "نادية")
    with register.unit_of_work() as uow:
        add_group(uow, programme="EFT-COU", name=GROUP, days="mon,wed", hours=HOURS)
        enrol(uow, group=GROUP, beneficiaries=[salma, nadia], start_date=OCTOBER[0], today=TODAY)
        add_session(uow, group=GROUP, date=EXTRA, reason="حصة تعويضية")
        for day in [*OCTOBER, EXTRA]:
            mark_attendance(
                uow, group=GROUP, date=day, status="present", beneficiaries=[salma], today=TODAY
            )
            mark_attendance(
                uow,
                group=GROUP,
                date=day,
                status="absent" if day in CLOSED else "present",
                beneficiaries=[nadia],
                today=TODAY,
            )
    with register.unit_of_work() as uow:
        add_closure(uow, start=CLOSED[0], end=CLOSED[1], reason="إضراب")
        for person in (salma, nadia):
            end_enrolment(
                uow,
                group=GROUP,
                beneficiary=person,
                outcome="completed",
                end_date=dt.date(2026, 11, 2),
                mention="مستحسن",
            )
    return salma, nadia


def _issue(register: Register, *, beneficiary: str | None = None) -> IssuedCertificates:
    with register.unit_of_work() as uow:
        signer = keys.unlock(uow, passphrase=PASSPHRASE)
        return certificates.issue_for_group(
            uow, signer, group=GROUP, beneficiary=beneficiary, today=TODAY
        )


def test_a_closed_day_is_not_counted_and_an_extra_session_is(register: Register) -> None:
    salma, _nadia = _season(register)
    issued = _issue(register, beneficiary=salma)
    # Nine marks typed; the two closed days leave seven sessions held: 6 Mondays and
    # Wednesdays and the make-up Saturday, 2 h 30 each = 17 h 30, rounded up to 18.
    assert [d.hours for d in issued.documents] == [18]
    assert issued.documents[0].payload.split("|")[8] == "18", "the signed text says 18 too"


def test_the_attendance_rule_counts_the_sessions_held_only(register: Register) -> None:
    _salma, nadia = _season(register)
    with register.unit_of_work() as uow:
        document_settings.change_documents(uow, min_attendance=90)
    # Nadia was marked absent only on the days the centre turned out to be closed: she
    # attended every session held, 100 %, not 7 of 9.
    issued = _issue(register, beneficiary=nadia)
    assert [d.hours for d in issued.documents] == [18]
