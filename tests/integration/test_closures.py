"""Centre closures as records: every group's calendar skips their days, groups opened
later included; removing one brings the sessions back; marks typed before stay in the
register; sync carries them to the centre's laptops and the delegation, not elsewhere."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from app.services import attendance, closures, groups, integrity, sessions
from app.services.attendance_sheet import month_sheet
from app.services.beneficiaries import BeneficiaryInput, register_beneficiary
from app.services.errors import InputRejected
from app.services.register import Register
from tests.integration.conftest import TODAY
from tests.sync.replicas import Replica, centre, delegation, enrol, exchange

SEPT = dt.date(2026, 9, 14)
WINTER = {"start": "2026-12-21", "end": "2027-01-03", "reason": "عطلة منتصف السنة"}
STRIKE = {"start": "2026-11-09", "end": "2026-11-11", "reason": "إضراب"}


def _statuses(register: Register, group: str, month: str) -> dict[int, str]:
    with register.unit_of_work(read_only=True) as uow:
        return {
            d.date.day: d.status for d in sessions.month_sessions(uow, group=group, month=month)
        }


@pytest.fixture
def centre_with_group(register: Register) -> Register:
    with register.unit_of_work() as uow:
        register_beneficiary(
            uow,
            BeneficiaryInput(
                family_name_ar="بناني", given_name_ar="خديجة", sex="F", birth_date="1990-02-02"
            ),
            today=TODAY,
        )
        person = register_beneficiary(
            uow,
            BeneficiaryInput(
                family_name_ar="العلوي",
                given_name_ar="فاطمة",
                sex="F",
                birth_date="1995-01-01",
                cin="K1",
            ),
            today=TODAY,
        )
        groups.add_group(uow, programme="EFT-COU", name="G", days="mon,wed")
        groups.enrol(uow, group="G", beneficiaries=[str(person.id)], start_date=SEPT, today=TODAY)
    return register


def test_a_group_opened_after_the_closure_skips_its_days(centre_with_group: Register) -> None:
    with centre_with_group.unit_of_work() as uow:
        winter = closures.add_closure(uow, **WINTER)
    assert (winter.first_day, winter.last_day, winter.sessions) == (
        dt.date(2026, 12, 21),
        dt.date(2027, 1, 3),
        4,  # G: 21, 23, 28, 30 December
    )
    with centre_with_group.unit_of_work() as uow:
        groups.add_group(uow, programme="EFT-BRO", name="الطرز", days="mon,tue,sat")
    december = _statuses(centre_with_group, "الطرز", "2026-12")
    assert [d for d, status in december.items() if status == "closed"] == [21, 22, 26, 28, 29]
    assert december[19] == "planned" and december[15] == "planned"
    january = _statuses(centre_with_group, "الطرز", "2027-01")
    assert january[2] == "closed" and january[4] == "planned"
    # Counted again now that a second group meets in it.
    with centre_with_group.unit_of_work(read_only=True) as uow:
        assert [c.sessions for c in closures.list_closures(uow)] == [4 + 6]
    # Nothing may be added or marked on a closed day, on the schedule or off it.
    with pytest.raises(InputRejected) as caught, centre_with_group.unit_of_work() as uow:
        sessions.add_session(uow, group="G", date="2026-12-26", reason="تعويض")
    assert caught.value.errors[0].field == "date"
    assert "عطلة منتصف السنة" in caught.value.errors[0].message
    with pytest.raises(InputRejected), centre_with_group.unit_of_work() as uow:
        sessions.cancel_session(uow, group="G", date="2026-12-23", reason="x")


def test_removing_the_closure_brings_the_sessions_and_their_marks_back(
    centre_with_group: Register,
) -> None:
    with centre_with_group.unit_of_work() as uow:
        attendance.mark_attendance(
            uow, group="G", date="2026-11-09", status="absent", beneficiaries=["K1"], today=TODAY
        )
    with centre_with_group.unit_of_work() as uow:
        strike = closures.add_closure(uow, **STRIKE)
    assert strike.sessions == 2  # Monday 9 and Wednesday 11
    with centre_with_group.unit_of_work(read_only=True) as uow:
        sheet = month_sheet(uow, group="G", month="2026-11")
        # The mark stays in the register; the closed days leave the sheet.
        assert len(attendance.marks_of_group(uow, group="G")) == 1
    assert dt.date(2026, 11, 9) not in [d.date for d in sheet.columns]
    assert [(d.date.day, d.status, d.reason) for d in sheet.left_out][:2] == [
        (9, "closed", "إضراب"),
        (11, "closed", "إضراب"),
    ]
    assert all(not row.marks for row in sheet.rows)
    with pytest.raises(InputRejected) as caught, centre_with_group.unit_of_work() as uow:
        attendance.mark_attendance(
            uow, group="G", date="2026-11-11", status="present", beneficiaries=["K1"], today=TODAY
        )
    assert "إضراب" in caught.value.errors[0].message

    with centre_with_group.unit_of_work() as uow:
        removed = closures.remove_closure(uow, str(strike.id))
    assert removed.id == strike.id and removed.sessions == 2
    with centre_with_group.unit_of_work(read_only=True) as uow:
        sheet = month_sheet(uow, group="G", month="2026-11")
        assert closures.list_closures(uow) == []
        assert integrity.log_differences(uow) == []
    assert [dt.date(2026, 11, 9), dt.date(2026, 11, 11)] == [d.date for d in sheet.columns][2:4]
    fatima = next(row for row in sheet.rows if row.person.cin == "K1")
    assert fatima.marks == {dt.date(2026, 11, 9): "absent"}
    with pytest.raises(InputRejected) as caught, centre_with_group.unit_of_work() as uow:
        closures.remove_closure(uow, str(strike.id))
    assert caught.value.errors[0].field == "closure"


def test_overlapping_closures_and_a_holiday(centre_with_group: Register) -> None:
    with centre_with_group.unit_of_work() as uow:
        closures.add_closure(uow, start="2026-11-16", end="2026-11-20", reason="أشغال")
        closures.add_closure(uow, start="2026-11-18", end="2026-11-23", reason="ثلوج")
    november = _statuses(centre_with_group, "G", "2026-11")
    # 18 November stays a holiday; 23 is closed by the second closure alone.
    assert (november[16], november[18], november[23], november[25]) == (
        "closed",
        "holiday",
        "closed",
        "planned",
    )
    with centre_with_group.unit_of_work(read_only=True) as uow:
        days = {
            d.date.day: d.reason for d in sessions.month_sessions(uow, group="G", month="2026-11")
        }
    assert (days[16], days[23]) == ("أشغال", "ثلوج")


@pytest.fixture
def world(tmp_path: Path) -> dict[str, Replica]:
    """Two laptops of one centre, a laptop of another centre, their delegation."""
    replicas = {
        "a1": centre(tmp_path, "a1"),
        "a2": centre(tmp_path, "a2"),
        "b": centre(tmp_path, "b", code="ETF-TAZA-02"),
        "d": delegation(tmp_path),
    }
    for name in ("a1", "a2", "b"):
        enrol(replicas[name], replicas["d"])
    yield replicas
    for replica in replicas.values():
        replica.close()


def test_sync_carries_a_closure_within_its_centre(world: dict[str, Replica]) -> None:
    a1, a2, b, d = world["a1"], world["a2"], world["b"], world["d"]
    with a1.register.unit_of_work() as uow:
        winter = closures.add_closure(uow, **WINTER)
    exchange(a1, d)
    for laptop in (a2, b):
        exchange(d, laptop)
    rows = {name: r.dump().get("centre_closure", []) for name, r in world.items()}
    assert [row["id"] for row in rows["d"]] == [str(winter.id)]
    assert rows["a2"] == rows["a1"] == rows["d"]
    assert rows["b"] == [], "another centre never receives it"

    # A group the second laptop opens afterwards skips the closure too.
    with a2.register.unit_of_work() as uow:
        groups.add_group(uow, programme="EFT-COU", name="خياطة 2", days="mon,wed")
    assert _statuses(a2.register, "خياطة 2", "2026-12")[21] == "closed"
    with b.register.unit_of_work() as uow:
        groups.add_group(uow, programme="EFT-COU", name="خياطة", days="mon,wed")
    assert _statuses(b.register, "خياطة", "2026-12")[21] == "planned"

    # Taken back on the second laptop: the first one and the delegation learn of it.
    with a2.register.unit_of_work() as uow:
        closures.remove_closure(uow, str(winter.id))
    exchange(a2, d)
    exchange(d, a1)
    for replica in (a1, d):
        (row,) = replica.dump()["centre_closure"]
        assert row["cl"] == 2, replica.name
    with a1.register.unit_of_work(read_only=True) as uow:
        assert closures.list_closures(uow) == []
    assert _statuses(a2.register, "خياطة 2", "2026-12")[21] == "planned"
