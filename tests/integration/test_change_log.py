"""Every write lands in the change log: the tables can be rebuilt from it exactly."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select, text

from app.models import Beneficiary, ChangeLog, Site
from app.services import attendance, beneficiaries, groups
from app.services.beneficiaries import BeneficiaryInput
from app.services.integrity import log_differences
from app.services.register import Register
from tests.integration.conftest import TODAY


def _busy_day(register: Register) -> None:
    """A coordinator's day: people added, corrected, enrolled, marked, one removed."""
    people = []
    with register.unit_of_work() as uow:
        for n, (family, given, cin) in enumerate(
            [
                ("العلوي", "فاطمة", "K100001"),
                ("بنعلي", "خديجة", "K100002"),
                ("الإدريسي", "أمينة", "K100003"),
            ]
        ):
            people.append(
                beneficiaries.register_beneficiary(
                    uow,
                    BeneficiaryInput(
                        family_name_ar=family,
                        given_name_ar=given,
                        sex="F",
                        birth_date=f"199{n}-05-0{n + 1}",
                        cin=cin,
                    ),
                    today=TODAY,
                )
            )
    with register.unit_of_work() as uow:
        data = beneficiaries.input_from_record(people[0])
        beneficiaries.update_beneficiary(
            uow,
            people[0].id,
            BeneficiaryInput(
                **{**data.__dict__, "phone": "0661000000", "given_name_latin": "Fatima"}
            ),
            today=TODAY,
        )
    with register.unit_of_work() as uow:
        groups.add_group(uow, programme="EFT-COU", name="G1", days="mon,wed", capacity=10)
    with register.unit_of_work() as uow:
        groups.enrol(
            uow,
            group="G1",
            beneficiaries=["K100001", "K100002", "K100003"],
            start_date=dt.date(2026, 9, 14),
            today=TODAY,
        )
    for status in ("present", "late"):
        with register.unit_of_work() as uow:
            attendance.mark_attendance(
                uow,
                group="G1",
                date="2026-11-11",
                status=status,
                beneficiaries=["K100001", "K100002"],
                today=TODAY,
            )
    with register.unit_of_work() as uow:
        groups.end_enrolment(
            uow,
            group="G1",
            beneficiary="K100003",
            outcome="dropped",
            end_date=dt.date(2026, 11, 20),
            reason="انتقلت إلى مدينة أخرى",
        )
    with register.unit_of_work() as uow:
        beneficiaries.remove_beneficiary(uow, people[2].id)


def test_tables_equal_the_replayed_log(register: Register) -> None:
    _busy_day(register)
    with register.unit_of_work() as uow:
        assert log_differences(uow) == []
        site = uow.session.get(Site, register.site_id)
        logged = uow.session.scalar(
            select(func.count()).select_from(ChangeLog).where(ChangeLog.origin_site == site.site_id)
        )
        # Change numbers are dense: 1..last_seq, none reused.
        assert logged == site.last_seq > 20


def test_a_write_behind_the_log_is_caught(register: Register) -> None:
    _busy_day(register)
    with register.unit_of_work() as uow:
        uow.session.execute(text("UPDATE beneficiary SET phone = '0700000000'"))
    with register.unit_of_work() as uow:
        differences = log_differences(uow)
    assert differences and {d.table for d in differences} == {"beneficiary"}


def test_a_deleted_person_is_a_tombstone_not_a_gap(register: Register) -> None:
    _busy_day(register)
    with register.unit_of_work() as uow:
        states = dict(uow.session.execute(select(Beneficiary.cin, Beneficiary.cl)).all())
    assert states == {"K100001": 1, "K100002": 1, "K100003": 2}


def test_a_failed_action_logs_nothing(register: Register) -> None:
    with register.unit_of_work() as uow:
        before = uow.session.scalar(select(func.count()).select_from(ChangeLog))
    try:
        with register.unit_of_work() as uow:
            groups.add_group(uow, programme="EFT-COU", name="G2", days="mon")
            groups.add_group(uow, programme="NOPE", name="G3", days="mon")
    except Exception:  # noqa: BLE001 - the point is what is left behind
        pass
    with register.unit_of_work() as uow:
        assert uow.session.scalar(select(func.count()).select_from(ChangeLog)) == before
        assert groups.list_groups(uow) == []
