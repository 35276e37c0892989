"""The session calendar of groups: holidays, cancelled and extra sessions, closures."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable

import pytest

from app.i18n import _
from app.services import attendance, calendar, closures, groups, integrity, sessions
from app.services.beneficiaries import BeneficiaryInput, register_beneficiary
from app.services.errors import InputRejected
from app.services.register import Register
from tests.integration.conftest import TODAY, Result, init_args

SEPT = dt.date(2026, 9, 14)
MON_WED_NOVEMBER = [2, 4, 9, 11, 16, 18, 23, 25, 30]


@pytest.fixture
def centre(register: Register) -> Register:
    """A centre with Fatima enrolled in a mon/wed group, and a mon/wed/fri group."""
    with register.unit_of_work() as uow:
        register_beneficiary(
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
        groups.add_group(uow, programme="EFT-COU", name="H", days="mon,wed,fri")
        groups.enrol(uow, group="G", beneficiaries=["K1"], start_date=SEPT, today=TODAY)
    return register


def _month(register: Register, group: str, month: str) -> dict[int, tuple[str, str | None]]:
    with register.unit_of_work(read_only=True) as uow:
        days = sessions.month_sessions(uow, group=group, month=month)
    return {d.date.day: (d.status, d.reason) for d in days}


def test_november_skips_the_national_holidays(centre: Register) -> None:
    november = _month(centre, "G", "2026-11")
    assert sorted(november) == MON_WED_NOVEMBER
    assert november[18] == ("holiday", _("Independence Day"))
    assert [d for d, (status, _r) in november.items() if status == "planned"] == [
        d for d in MON_WED_NOVEMBER if d != 18
    ]
    # 6 November, Green March Day, is a Friday: a holiday for the group that meets then.
    assert _month(centre, "H", "2026-11")[6] == ("holiday", _("Green March Day"))


def test_the_hijri_offset_moves_eid_al_fitr(centre: Register) -> None:
    # Umm al-Qura: Eid al-Fitr 1448 is Tue 9 and Wed 10 March 2027.
    march = _month(centre, "G", "2027-03")
    assert march[10] == ("holiday", _("Eid al-Fitr (second day)")) and march[8][0] == "planned"
    with centre.unit_of_work() as uow:
        assert calendar.set_hijri_offset(uow.session, "-1") == -1
    march = _month(centre, "G", "2027-03")
    assert march[8] == ("holiday", _("Eid al-Fitr")) and march[10][0] == "planned"
    with pytest.raises(InputRejected) as caught, centre.unit_of_work() as uow:
        calendar.set_hijri_offset(uow.session, "2")
    assert caught.value.errors[0].field == "offset"
    with centre.unit_of_work(read_only=True) as uow:
        assert calendar.hijri_offset(uow.session) == -1


def test_cancelled_and_extra_sessions_show_with_their_reason(centre: Register) -> None:
    with centre.unit_of_work() as uow:
        cancelled = sessions.cancel_session(
            uow, group="G", date="2026-11-11", reason="عطلة المؤطرة"
        )
        extra = sessions.add_session(uow, group="G", date="2026-11-21", reason="حصة تعويضية")
    assert (cancelled.status, extra.status) == ("cancelled", "extra")
    november = _month(centre, "G", "2026-11")
    assert november[11] == ("cancelled", "عطلة المؤطرة")
    assert november[21] == ("extra", "حصة تعويضية")
    with centre.unit_of_work() as uow:
        marks = attendance.mark_attendance(
            uow, group="G", date="2026-11-21", status="present", beneficiaries=["K1"], today=TODAY
        )
        assert [m.date for m in marks] == [dt.date(2026, 11, 21)]
    with centre.unit_of_work(read_only=True) as uow:
        assert integrity.log_differences(uow) == []
    # A cancelled session takes no marks; a holiday and a day off the schedule neither.
    for day in ("2026-11-11", "2026-11-18", "2026-11-14"):
        with pytest.raises(InputRejected), centre.unit_of_work() as uow:
            attendance.mark_attendance(
                uow, group="G", date=day, status="present", beneficiaries=["K1"], today=TODAY
            )


def test_a_cancelled_session_can_be_held_after_all(centre: Register) -> None:
    with centre.unit_of_work() as uow:
        sessions.cancel_session(uow, group="G", date="2026-11-16", reason="إضراب")
    with centre.unit_of_work() as uow:
        held = sessions.add_session(uow, group="G", date="2026-11-16", reason="تأجيل الإضراب")
    assert held.status == "planned"
    with centre.unit_of_work() as uow:
        attendance.mark_attendance(
            uow, group="G", date="2026-11-16", status="late", beneficiaries=["K1"], today=TODAY
        )
        # Cancelling it again keeps the mark: it just no longer counts.
        sessions.cancel_session(uow, group="G", date="2026-11-16", reason="إضراب")
    with centre.unit_of_work(read_only=True) as uow:
        assert len(attendance.marks_of_group(uow, group="G")) == 1
        assert integrity.log_differences(uow) == []


@pytest.mark.parametrize(
    ("action", "kwargs", "field"),
    [
        ("add", {"date": "2026-11-18", "reason": "x"}, "date"),  # holiday
        ("add", {"date": "2026-11-16", "reason": "x"}, "date"),  # already a session
        ("add", {"date": "2027-07-03", "reason": "x"}, "date"),  # after the season
        ("add", {"date": "2026-11-21", "reason": " "}, "reason"),
        ("cancel", {"date": "2026-11-17", "reason": "x"}, "date"),  # a Tuesday
        ("cancel", {"date": "2026-11-18", "reason": "x"}, "date"),  # holiday
        ("cancel", {"date": "2026-11-16", "reason": ""}, "reason"),
        ("cancel", {"date": "16/11/2026", "reason": "x"}, "date"),
    ],
)
def test_refusals_name_the_field_and_write_nothing(
    centre: Register, action: str, kwargs: dict[str, str], field: str
) -> None:
    act = sessions.add_session if action == "add" else sessions.cancel_session
    before = _month(centre, "G", "2026-11")
    with pytest.raises(InputRejected) as caught, centre.unit_of_work() as uow:
        act(uow, group="G", **kwargs)
    assert caught.value.errors[0].field == field
    assert _month(centre, "G", "2026-11") == before


def test_a_closure_takes_out_every_groups_sessions(centre: Register) -> None:
    with centre.unit_of_work() as uow:
        sessions.add_session(uow, group="G", date="2026-12-05", reason="حصة تعويضية")
        closure = closures.add_closure(
            uow, start="2026-12-01", end="2026-12-06", reason="نشرة إنذارية: ثلوج"
        )
    # G: Wed 2, Sat 5 (extra); H: Wed 2, Fri 4. Monday 7 is outside the range.
    assert closure.sessions == 4
    for group, days in (("G", (2, 5)), ("H", (2, 4))):
        december = _month(centre, group, "2026-12")
        assert all(december[d] == ("closed", "نشرة إنذارية: ثلوج") for d in days)
        assert december[7][0] == "planned"
    with centre.unit_of_work(read_only=True) as uow:
        assert integrity.log_differences(uow) == []
    with pytest.raises(InputRejected) as caught, centre.unit_of_work() as uow:
        closures.add_closure(uow, start="2026-12-10", end="2026-12-08", reason="x")
    assert caught.value.errors[0].field == "to"


def test_months_outside_the_season_are_refused(centre: Register) -> None:
    with pytest.raises(InputRejected) as caught, centre.unit_of_work(read_only=True) as uow:
        sessions.month_sessions(uow, group="G", month="2027-08")
    assert caught.value.errors[0].field == "month"
    # September opens the season on the 1st: only its days are listed.
    assert min(_month(centre, "G", "2026-09")) == 2


INIT = init_args("ETF-01")


@pytest.fixture
def cli(run_cli: Callable[..., Result]) -> Callable[..., Result]:
    assert run_cli(*INIT).code == 0
    for name, days in (("G", "mon,wed"), ("H", "fri")):
        added = run_cli("groups", "add", "--programme", "EFT-COU", "--name", name, "--days", days)
        assert added.code == 0
    return run_cli


def test_the_session_commands(cli: Callable[..., Result]) -> None:
    add = ["sessions", "add", "--group", "G", "--date", "2026-11-21", "--reason", "تعويض"]
    assert cli(*add).code == 0
    cancel = ["sessions", "cancel", "--group", "G", "--date", "2026-11-23", "--reason", "إضراب"]
    assert cli(*cancel).code == 0
    listed = json.loads(cli("sessions", "list", "--group", "G", "--month", "2026-11", "--json").out)
    by_day = {d["date"]: (d["status"], d["reason"]) for d in listed}
    assert by_day["2026-11-18"] == ("holiday", "عيد الاستقلال")  # Arabic by default
    assert by_day["2026-11-21"] == ("extra", "تعويض")
    assert by_day["2026-11-23"] == ("cancelled", "إضراب")
    text = cli("--lang", "fr", "sessions", "list", "--group", "G", "--month", "2026-11").out
    assert "2026-11-18\tholiday\tFête de l'Indépendance" in text.splitlines()
    closed = cli(
        "closures", "add", "--from", "2026-12-21", "--to", "2027-01-03", "--reason", "عطلة"
    )
    assert closed.code == 0
    # G (mon, wed): 21, 23, 28, 30 December; H (fri): 25 December, as Friday 1 January
    # is a public holiday anyway.
    closure_id, first, last, count, reason = closed.out.strip().split("\t")
    assert (first, last, count, reason) == ("2026-12-21", "2027-01-03", "5", "عطلة")
    listed = json.loads(cli("closures", "list", "--json").out)
    assert [(c["id"], c["reason"], c["sessions"]) for c in listed] == [(closure_id, "عطلة", 5)]
    december = json.loads(
        cli("sessions", "list", "--group", "G", "--month", "2026-12", "--json").out
    )
    assert {d["date"]: d["status"] for d in december}["2026-12-23"] == "closed"
    assert cli("closures", "remove", closure_id[:13]).out.split("\t")[0] == closure_id
    assert json.loads(cli("closures", "list", "--json").out) == []
    assert cli("sessions", "hijri-offset", "--offset", "+1").out.strip() == "+1"
    assert cli("sessions", "hijri-offset").out.strip() == "+1"


BAD = [
    (["sessions", "list", "--group", "G", "--month", "2026-13"], "--month"),
    (["sessions", "list", "--group", "nobody", "--month", "2026-11"], "--group"),
    (["sessions", "add", "--group", "G", "--date", "2026-11-18", "--reason", "x"], "--date"),
    (["sessions", "add", "--group", "G", "--date", "2026-11-21", "--reason", ""], "--reason"),
    (["sessions", "cancel", "--group", "G", "--date", "2026-11-17", "--reason", "x"], "--date"),
    (["closures", "add", "--from", "2026-12-01", "--to", "2027-09-01", "--reason", "x"], "--to"),
    (["closures", "add", "--from", "2026-12-09", "--to", "2026-12-01", "--reason", "x"], "--to"),
    (["closures", "add", "--from", "2026-12-01", "--to", "2026-12-09", "--reason", ""], "--reason"),
    (["closures", "remove", "0123456789ab"], "--closure"),
    (["sessions", "hijri-offset", "--offset", "3"], "--offset"),
]


@pytest.mark.parametrize(("args", "named"), BAD, ids=[" ".join(a[:2]) + f" {n}" for a, n in BAD])
def test_bad_input_exits_3_and_writes_nothing(
    cli: Callable[..., Result], args: list[str], named: str
) -> None:
    before = cli("dump", "--json").out
    result = cli(*args)
    assert result.code == 3
    lines = result.err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("sijill: ") and named in lines[0]
    assert result.out == ""
    assert cli("dump", "--json").out == before
    assert cli("sessions", "hijri-offset").out.strip() == "+0"
