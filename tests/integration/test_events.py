"""Events, their participants, and the follow-up of graduates: the rules a coordinator
relies on the register to keep, through the services and through the `sijill` command."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.models import Event, EventParticipant, FollowUp
from app.models.ids import natural_id
from app.services import events, followups, groups
from app.services.beneficiaries import BeneficiaryInput, register_beneficiary
from app.services.errors import InputRejected
from app.services.integrity import log_differences
from app.services.records import BeneficiaryRecord
from app.services.register import Register, open_register
from tests.integration.conftest import TODAY, Result, init_args

SEPT = dt.date(2026, 9, 14)
SEMINAR = events.EventInput(
    kind="seminar",
    title_ar="ندوة حول التمكين الاقتصادي للمرأة",
    title_fr="Séminaire : autonomisation économique des femmes",
    date="2026-10-10",
    place="قاعة الاجتماعات",
)


def _person(register: Register, given: str, *, cin: str) -> BeneficiaryRecord:
    with register.unit_of_work() as uow:
        return register_beneficiary(
            uow,
            BeneficiaryInput(
                family_name_ar="العلوي",
                given_name_ar=given,
                sex="F",
                birth_date="1995-01-01",
                cin=cin,
            ),
            today=TODAY,
        )


def _graduate(register: Register, cin: str, *, ended: dt.date, group: str = "G") -> None:
    """``cin`` enrolled in ``group`` (opened if needed) from mid-September, completed on
    ``ended``."""
    with register.unit_of_work() as uow:
        if not any(g.name == group for g in groups.list_groups(uow)):
            groups.add_group(uow, programme="EFT-COU", name=group, days="mon,wed")
        groups.enrol(uow, group=group, beneficiaries=[cin], start_date=SEPT, today=TODAY)
    with register.unit_of_work() as uow:
        groups.end_enrolment(
            uow, group=group, beneficiary=cin, outcome="completed", end_date=ended, mention="حسن"
        )


def _assert_log_is_whole(register: Register) -> None:
    with register.unit_of_work(read_only=True) as uow:
        assert log_differences(uow) == []


# -- events ----------------------------------------------------------------------------


def test_events_are_recorded_corrected_listed_newest_first_and_removed(
    register: Register,
) -> None:
    with register.unit_of_work() as uow:
        seminar = events.create_event(uow, SEMINAR, today=TODAY)
        day = events.create_event(
            uow,
            events.EventInput(kind="awareness_day", title_ar="يوم تحسيسي حول COVID-19", date=TODAY),
            today=TODAY,
        )
    assert (seminar.kind, seminar.date, seminar.participants) == (
        "seminar",
        dt.date(2026, 10, 10),
        0,
    )
    assert day.title_fr is None and day.place is None

    corrected = dataclasses.replace(SEMINAR, place="  دار الشباب  ")
    with register.unit_of_work() as uow:
        events.update_event(uow, seminar.id, data=corrected, today=TODAY)
        listed = events.list_events(uow)
    assert [e.id for e in listed] == [day.id, seminar.id]
    assert listed[1].place == "دار الشباب"

    with register.unit_of_work() as uow:
        events.remove_event(uow, seminar.id)
    with register.unit_of_work(read_only=True) as uow:
        assert [e.id for e in events.list_events(uow)] == [day.id]
        row = uow.session.get(Event, seminar.id)
        assert row is not None and row.cl == 2, "a tombstone, not a deleted row"
        with pytest.raises(InputRejected):
            events.get_event(uow, str(seminar.id))
    _assert_log_is_whole(register)


def test_each_refused_field_is_named_and_nothing_is_written(register: Register) -> None:
    bad = events.EventInput(
        kind="party",
        title_ar="Journée portes ouvertes",
        title_fr="يوم الأبواب المفتوحة",
        date="2027-11-23",  # a year and a day after TODAY
        place="x" * 201,
    )
    with pytest.raises(InputRejected) as caught, register.unit_of_work() as uow:
        events.create_event(uow, bad, today=TODAY)
    assert {e.field for e in caught.value.errors} == {
        "kind",
        "title_ar",
        "title_fr",
        "date",
        "place",
    }
    with pytest.raises(InputRejected) as caught, register.unit_of_work() as uow:
        events.create_event(uow, events.EventInput(kind="seminar", date=""), today=TODAY)
    assert {e.field for e in caught.value.errors} == {"title_ar", "date"}
    with register.unit_of_work() as uow:
        # Exactly a year ahead is still allowed: next year's celebration can be planned.
        events.create_event(
            uow,
            events.EventInput(kind="celebration", title_ar="حفل اختتام الموسم", date="2027-11-22"),
            today=TODAY,
        )
        assert uow.session.scalar(select(func.count()).select_from(Event)) == 1


def test_the_same_person_added_twice_is_one_row(register: Register) -> None:
    fatima = _person(register, "فاطمة", cin="K1")
    _person(register, "خديجة", cin="K2")
    with register.unit_of_work() as uow:
        seminar = events.create_event(uow, SEMINAR, today=TODAY)
        first = events.add_participants(uow, event=seminar.id, beneficiaries=["K1", "k1", "K2"])
    assert [p.name for p in first] == ["فاطمة العلوي", "خديجة العلوي"]
    # Added again, another day (or on another laptop): the same row, by its natural id.
    with register.unit_of_work() as uow:
        again = events.add_participants(uow, event=str(seminar.id)[:8], beneficiaries=["K1"])
    expected = natural_id("event_participant", seminar.id, fatima.id)
    assert again[0].id == first[0].id == expected
    with register.unit_of_work(read_only=True) as uow:
        assert uow.session.scalar(select(func.count()).select_from(EventParticipant)) == 2
        assert events.get_event(uow, seminar.id).participants == 2

    # Taken off by mistake and added back: the same row comes back to life.
    with register.unit_of_work() as uow:
        events.remove_participant(uow, expected)
        assert [p.cin for p in events.list_participants(uow, event=seminar.id)] == ["K2"]
    with register.unit_of_work() as uow:
        events.add_participants(uow, event=seminar.id, beneficiaries=["K1"])
        assert uow.session.get(EventParticipant, expected).cl == 3
        assert uow.session.scalar(select(func.count()).select_from(EventParticipant)) == 2
    with pytest.raises(InputRejected) as caught, register.unit_of_work() as uow:
        events.add_participants(uow, event=seminar.id, beneficiaries=["K2", "Z999"])
    assert [e.field for e in caught.value.errors] == ["beneficiary"]
    assert "Z999" in caught.value.errors[0].message
    _assert_log_is_whole(register)


def test_guests_are_listed_first_with_their_role_and_counted_apart(register: Register) -> None:
    _person(register, "فاطمة", cin="K1")
    with register.unit_of_work() as uow:
        seminar = events.create_event(uow, SEMINAR, today=TODAY)
        events.add_participants(uow, event=seminar.id, beneficiaries=["K1"])
        speaker = events.add_guest(
            uow,
            event=seminar.id,
            name="الدكتورة نادية بنعلي",
            organisation="المندوبية الإقليمية للصحة",
            role="speaker",
        )
        twin = events.add_guest(uow, event=seminar.id, name="الدكتورة نادية بنعلي")
    assert speaker.is_guest and speaker.id != twin.id, "guests have no natural identity"
    assert twin.role == "participant"
    with register.unit_of_work(read_only=True) as uow:
        listed = events.list_participants(uow, event=seminar.id)
        record = events.get_event(uow, seminar.id)
    assert [(p.role, p.is_guest) for p in listed] == [
        ("speaker", True),
        ("participant", True),
        ("participant", False),
    ]
    assert (record.participants, record.speakers) == (2, 1)
    with pytest.raises(InputRejected) as caught, register.unit_of_work() as uow:
        events.add_guest(uow, event=seminar.id, name=" ", role="chair")
    assert {e.field for e in caught.value.errors} == {"name", "role"}
    _assert_log_is_whole(register)


# -- follow-up after training ----------------------------------------------------------


def test_follow_up_is_only_for_graduates_and_dated_after_the_training(
    register: Register,
) -> None:
    _person(register, "فاطمة", cin="K1")
    _person(register, "خديجة", cin="K2")
    _person(register, "سلمى", cin="K3")
    _graduate(register, "K1", ended=dt.date(2026, 10, 30))
    with register.unit_of_work() as uow:
        groups.enrol(uow, group="G", beneficiaries=["K2"], start_date=SEPT, today=TODAY)

    for cin in ("K2", "K3"):  # still in training; never enrolled
        with pytest.raises(InputRejected) as caught, register.unit_of_work() as uow:
            followups.record_follow_up(uow, beneficiary=cin, outcome="job", date=TODAY, today=TODAY)
        assert [e.field for e in caught.value.errors] == ["beneficiary"]
    for day, wanted in ((dt.date(2026, 10, 29), "2026-10-30"), (dt.date(2026, 11, 23), None)):
        with pytest.raises(InputRejected) as caught, register.unit_of_work() as uow:
            followups.record_follow_up(uow, beneficiary="K1", outcome="job", date=day, today=TODAY)
        assert [e.field for e in caught.value.errors] == ["date"]
        if wanted:
            assert wanted in caught.value.errors[0].message
    with pytest.raises(InputRejected) as caught, register.unit_of_work() as uow:
        followups.record_follow_up(
            uow, beneficiary="K1", outcome="married", date="2026-13-01", today=TODAY
        )
    assert {e.field for e in caught.value.errors} == {"outcome", "date"}
    with register.unit_of_work(read_only=True) as uow:
        assert uow.session.scalar(select(func.count()).select_from(FollowUp)) == 0

    with register.unit_of_work() as uow:
        followups.record_follow_up(
            uow, beneficiary="K1", outcome="seeking", date="2026-10-30", today=TODAY
        )
        job = followups.record_follow_up(
            uow,
            beneficiary="K1",
            outcome="job",
            date=TODAY,
            organisation="مشغل الخياطة الأمل",
            details="عقد عمل لمدة سنة",
            today=TODAY,
        )
    with register.unit_of_work(read_only=True) as uow:
        history = followups.list_follow_ups(uow, beneficiary="K1")
        [graduate] = followups.list_graduates(uow, today=TODAY)
    assert [f.outcome for f in history] == ["job", "seeking"]
    assert job.enrolment_id is not None
    assert (graduate.cin, graduate.last_outcome, graduate.news_date) == ("K1", "job", TODAY)
    assert graduate.last_organisation == "مشغل الخياطة الأمل"
    assert (graduate.programme_code, graduate.mention, graduate.trainings) == ("EFT-COU", "حسن", 1)
    _assert_log_is_whole(register)


def test_no_news_for_six_months(register: Register) -> None:
    """Six months before 2027-06-15 is 2026-12-15: news older than that is too old."""
    later = dt.date(2027, 6, 15)
    for given, cin in (("فاطمة", "K1"), ("خديجة", "K2"), ("سلمى", "K3"), ("مريم", "K4")):
        _person(register, given, cin=cin)
    _graduate(register, "K1", ended=dt.date(2026, 10, 30))  # no follow-up: too old
    _graduate(register, "K2", ended=dt.date(2026, 10, 30))
    _graduate(register, "K3", ended=dt.date(2026, 10, 30))
    _graduate(register, "K4", ended=dt.date(2026, 10, 30))
    with register.unit_of_work() as uow:
        for cin, day in (("K2", "2026-11-22"), ("K3", "2026-11-01"), ("K3", "2026-11-20")):
            followups.record_follow_up(
                uow, beneficiary=cin, outcome="cooperative", date=day, today=TODAY
            )

    def due(today: dt.date) -> list[str | None]:
        with register.unit_of_work(read_only=True) as uow:
            return [g.cin for g in followups.graduates_without_news(uow, today=today)]

    assert due(TODAY) == []
    # K2's news is older than 2026-12-15; K3's latest (not her first) counts.
    assert due(later) == ["K1", "K4", "K3", "K2"]
    assert followups.no_news_since(later) == dt.date(2026, 12, 15)
    assert due(dt.date(2027, 5, 21)) == ["K1", "K4", "K3"]
    # Exactly six months after K3's latest news: not more than six months, not yet due.
    assert due(dt.date(2027, 5, 20)) == ["K1", "K4"]
    assert due(dt.date(2027, 5, 1)) == ["K1", "K4"]
    # Exactly six months after the end of the training, for those with no follow-up.
    assert due(dt.date(2027, 4, 30)) == []
    with register.unit_of_work(read_only=True) as uow:
        everyone = followups.list_graduates(uow, today=later)
    assert len(everyone) == 4 and all(g.no_news for g in everyone)


# -- the command line --------------------------------------------------------------------

INIT = init_args("ETF-01")


@pytest.fixture
def cli(run_cli: Callable[..., Result], tmp_path: Path) -> Callable[..., Result]:
    """A CLI database with a centre, Fatima (K1) who completed sewing on 2026-10-30 and
    Khadija (K2) still in the group."""
    assert run_cli(*INIT).code == 0
    register = open_register(str(tmp_path / "cli.sqlite"))
    try:
        _person(register, "فاطمة", cin="K1")
        _person(register, "خديجة", cin="K2")
        _graduate(register, "K1", ended=dt.date(2026, 10, 30))
        with register.unit_of_work() as uow:
            groups.enrol(uow, group="G", beneficiaries=["K2"], start_date=SEPT, today=TODAY)
    finally:
        register.close()
    return run_cli


def _dump(cli: Callable[..., Result]) -> str:
    result = cli("dump", "--json")
    assert result.code == 0
    return result.out


def test_events_and_follow_ups_through_the_cli(
    cli: Callable[..., Result], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    added = cli(
        "events",
        "add",
        "--kind",
        "awareness_day",
        "--title-ar",
        "يوم تحسيسي حول السلامة الطرقية",
        "--date",
        "2026-11-18",
        "--place",
        "المركز",
    )
    assert added.code == 0, added.err
    event_id = added.out.strip()
    assert cli("events", "participants", "add", "--event", event_id[:8], "K1", "K2").code == 0
    assert cli("events", "participants", "add", "--event", event_id, "K1").code == 0
    guest = cli(
        "events",
        "guests",
        "add",
        "--event",
        event_id,
        "--name",
        "السيد رشيد التازي",
        "--organisation",
        "الوكالة الوطنية للسلامة الطرقية",
        "--role",
        "speaker",
    )
    assert guest.code == 0, guest.err
    [listed] = json.loads(cli("events", "list", "--json").out)
    assert (listed["id"], listed["participants"], listed["speakers"]) == (event_id, 2, 1)
    assert event_id in cli("events", "list").out

    recorded = cli(
        "followups",
        "add",
        "--beneficiary",
        "K1",
        "--outcome",
        "own_business",
        "--date",
        "2026-11-20",
        "--organisation",
        "ورشة خياطة بالمنزل",
    )
    assert recorded.code == 0, recorded.err
    assert json.loads(cli("followups", "due", "--json").out) == []
    monkeypatch.setenv("SIJILL_TODAY", "2027-05-21")  # six months and a day later
    [due] = json.loads(cli("followups", "due", "--json").out)
    assert (due["cin"], due["last_outcome"], due["news_date"]) == (
        "K1",
        "own_business",
        "2026-11-20",
    )
    assert "K1" in cli("followups", "due").out

    register = open_register(str(tmp_path / "cli.sqlite"))
    try:
        _assert_log_is_whole(register)
    finally:
        register.close()


def _event(kind: str, title: str, *, date: str) -> list[str]:
    return ["events", "add", "--kind", kind, "--title-ar", title, "--date", date]


def _news(cin: str, outcome: str, *, date: str) -> list[str]:
    return ["followups", "add", "--beneficiary", cin, "--outcome", outcome, "--date", date]


@pytest.mark.parametrize(
    ("args", "option"),
    [
        (_event("party", "ندوة", date="2026-11-01"), "--kind"),
        (_event("seminar", "Seminar", date="2026-11-01"), "--title-ar"),
        (_event("seminar", "ندوة", date="2028-01-01"), "--date"),
        (["events", "participants", "add", "--event", "0123456789", "K1"], "--event"),
        (_news("K2", "job", date="2026-11-20"), "--beneficiary"),  # still in training
        (_news("K1", "job", date="2026-10-01"), "--date"),  # before the end of her training
        (_news("K1", "rich", date="2026-11-01"), "--outcome"),
    ],
)
def test_bad_input_exits_3_with_one_line_and_writes_nothing(
    cli: Callable[..., Result], args: list[str], option: str
) -> None:
    before = _dump(cli)
    result = cli(*args)
    assert result.code == 3
    assert result.out == ""
    lines = result.err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("sijill: ") and option in lines[0]
    assert _dump(cli) == before


def test_a_guest_with_a_bad_role_is_refused_and_nothing_is_written(
    cli: Callable[..., Result],
) -> None:
    event_id = cli(*_event("seminar", "ندوة", date="2026-11-01")).out.strip()
    before = _dump(cli)
    result = cli("events", "guests", "add", "--event", event_id, "--name", "X", "--role", "chair")
    assert result.code == 3 and "--role" in result.err
    assert _dump(cli) == before
