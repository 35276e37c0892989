"""The events screen, driven as a coordinator would: an event recorded from its dialog,
people added to it, and the news of a graduate recorded; checked through the services
(what is in the register), not through the widgets alone."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from PySide6.QtCore import Qt

from app.services import events, followups, groups
from app.ui.screens.events import FOLLOW_UP_TAB, EventsScreen
from app.ui.table_models.events import NO_NEWS_BRUSH
from tests.integration.conftest import TODAY

from .driving import Gui, type_text

SEPT = dt.date(2026, 9, 14)
ENDED = dt.date(2026, 10, 30)
# Seven months after the end of the trainings: graduates not heard of since are due.
LATER = dt.date(2027, 5, 31)


def _screen(gui: Gui) -> EventsScreen:
    screen = gui.show("events")
    assert isinstance(screen, EventsScreen)
    return screen


def _graduates(gui: Gui, *people: tuple[str, str]) -> None:
    """Each (given name, CIN) completed sewing on ``ENDED``."""
    for given, cin in people:
        gui.add_person(given, cin=cin)
    gui.ask(lambda uow: groups.add_group(uow, programme="EFT-COU", name="G", days="mon,wed"))
    cins = [cin for _given, cin in people]
    gui.ask(
        lambda uow: groups.enrol(uow, group="G", beneficiaries=cins, start_date=SEPT, today=TODAY)
    )
    for cin in cins:
        gui.ask(
            lambda uow, c=cin: groups.end_enrolment(
                uow, group="G", beneficiary=c, outcome="completed", end_date=ENDED
            )
        )


def _click(qtbot: Any, button: Any) -> None:
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def test_an_event_is_recorded_then_people_are_added_and_taken_off(gui: Gui, qtbot: Any) -> None:
    gui.add_person("فاطمة", cin="K1")
    screen = _screen(gui)
    assert screen.no_events.isVisible()
    assert not screen.add_panel.isEnabled(), "no event chosen: nobody can be added"

    # A refusal first: no title, a date two years ahead. Each message under its field.
    _click(qtbot, screen.new_button)
    dialog = screen.event_dialog
    assert dialog is not None and dialog.isVisible()
    dialog.date.setText("2028-11-22")
    _click(qtbot, dialog.submit_button)
    gui.wait()
    assert gui.ask(events.list_events) == []
    assert dialog.isVisible(), "the dialog stays open with what was typed"
    for field in ("title_ar", "date"):
        assert dialog.messages.label(field).isVisible(), field
    for field in ("kind", "title_fr", "place"):
        assert not dialog.messages.label(field).isVisible(), field

    dialog.kind.setCurrentIndex(dialog.kind.findData("awareness_day"))
    type_text(dialog.title_ar, "يوم تحسيسي حول السلامة الطرقية")
    dialog.date.setText("2026-11-18")
    type_text(dialog.place, "قاعة الاجتماعات")
    _click(qtbot, dialog.submit_button)
    gui.wait()
    [event] = gui.ask(events.list_events)
    assert (event.kind, event.title_ar, event.date) == (
        "awareness_day",
        "يوم تحسيسي حول السلامة الطرقية",
        dt.date(2026, 11, 18),
    )
    assert event.place == "قاعة الاجتماعات"
    assert screen.event_dialog is None
    assert screen.chosen_event() == event
    assert not screen.no_events.isVisible()
    assert screen.add_panel.isEnabled()

    # A beneficiary, found by an Arabic search and added with Enter. Offscreen, no window
    # manager gives the window back its focus when the dialog closes: do it.
    gui.window.activateWindow()
    qtbot.waitUntil(gui.window.isActiveWindow, timeout=2000)
    type_text(screen.people.search, "فاطمة")
    qtbot.keyClick(screen.people.search, Qt.Key.Key_Return)
    gui.wait()
    assert screen.people.model.rowCount() == 1
    assert screen.people.table.hasFocus()
    qtbot.keyClick(screen.people.table, Qt.Key.Key_Return)
    gui.wait()
    [person] = gui.ask(lambda uow: events.list_participants(uow, event=event.id))
    assert (person.name, person.cin, person.role) == ("فاطمة العلوي", "K1", "participant")
    assert screen.participant_model.rowCount() == 1
    assert screen.people.model.is_listed(screen.people.model.record_at(0))
    assert screen.added.text()

    # A speaker, by name.
    _click(qtbot, screen.guest_button)
    guest_dialog = screen.guest_dialog
    assert guest_dialog is not None and guest_dialog.isVisible()
    assert guest_dialog.role.currentData() == "speaker", "most guests come to speak"
    type_text(guest_dialog.name, "السيد رشيد التازي")
    type_text(guest_dialog.organisation, "الوكالة الوطنية للسلامة الطرقية")
    _click(qtbot, guest_dialog.submit_button)
    gui.wait()
    assert screen.guest_dialog is None
    listed = gui.ask(lambda uow: events.list_participants(uow, event=event.id))
    assert [(p.name, p.role) for p in listed] == [
        ("السيد رشيد التازي", "speaker"),
        ("فاطمة العلوي", "participant"),
    ]
    assert screen.participant_model.rowCount() == 2
    assert (screen.chosen_event().participants, screen.chosen_event().speakers) == (1, 1)

    # Taken off the list.
    assert not screen.take_off_button.isEnabled()
    screen.participants_table.setCurrentIndex(screen.participant_model.index(1, 0))
    _click(qtbot, screen.take_off_button)
    gui.wait()
    listed = gui.ask(lambda uow: events.list_participants(uow, event=event.id))
    assert [p.role for p in listed] == ["speaker"]
    assert not screen.people.model.is_listed(screen.people.model.record_at(0))


def test_an_event_is_corrected_and_removed(gui: Gui, qtbot: Any) -> None:
    given = events.EventInput(kind="seminar", title_ar="ندوة حول مدونة الأسرة", date=TODAY)
    event = gui.ask(lambda uow: events.create_event(uow, given, today=TODAY))
    screen = _screen(gui)
    assert screen.chosen_event() == event
    _click(qtbot, screen.correct_button)
    dialog = screen.event_dialog
    assert dialog is not None and dialog.title_ar.text() == event.title_ar
    type_text(dialog.title_fr, "Séminaire sur le Code de la famille")
    _click(qtbot, dialog.submit_button)
    gui.wait()
    [corrected] = gui.ask(events.list_events)
    assert corrected.id == event.id
    assert corrected.title_fr == "Séminaire sur le Code de la famille"

    # The confirmation is answered "Cancel" (tests/ui/conftest.py): nothing is removed.
    _click(qtbot, screen.remove_button)
    gui.wait()
    assert gui.message_boxes[-1][0] == "question"
    assert len(gui.ask(events.list_events)) == 1


@pytest.fixture
def later(monkeypatch: pytest.MonkeyPatch) -> dt.date:
    """The window's today, seven months after the trainings ended."""
    monkeypatch.setenv("SIJILL_TODAY", LATER.isoformat())
    return LATER


def test_news_of_a_graduate_is_recorded(gui: Gui, qtbot: Any, later: dt.date) -> None:
    _graduates(gui, ("فاطمة", "K1"), ("خديجة", "K2"))
    gui.add_person("سلمى", cin="K3")  # never trained: not a graduate
    gui.ask(
        lambda uow: followups.record_follow_up(
            uow, beneficiary="K2", outcome="cooperative", date="2027-01-10", today=later
        )
    )
    screen = _screen(gui)
    screen.tabs.setCurrentIndex(FOLLOW_UP_TAB)
    model = screen.graduate_model
    assert [g.cin for g in model.records()] == ["K1", "K2"], "the longest without news first"
    assert [g.no_news for g in model.records()] == [True, False]
    assert model.data(model.index(0, 0), Qt.ItemDataRole.BackgroundRole) == NO_NEWS_BRUSH
    assert model.data(model.index(1, 0), Qt.ItemDataRole.BackgroundRole) is None
    assert screen.no_news_count.text()

    qtbot.keyClick(screen.no_news_only, Qt.Key.Key_Space)
    assert [g.cin for g in model.records()] == ["K1"]
    assert screen.chosen_graduate().cin == "K1"
    assert screen.history_empty.text()

    # Nothing chosen as the situation: refused under that field, nothing written.
    _click(qtbot, screen.record_button)
    gui.wait()
    assert screen.follow_messages.label("outcome").isVisible()
    assert gui.ask(lambda uow: followups.list_follow_ups(uow, beneficiary="K1")) == []

    screen.outcome.setCurrentIndex(screen.outcome.findData("job"))
    screen.follow_date.setText("2027-05-20")
    type_text(screen.organisation, "مشغل الخياطة الأمل")
    type_text(screen.details, "عقد عمل لمدة سنة")
    _click(qtbot, screen.record_button)
    gui.wait()
    [news] = gui.ask(lambda uow: followups.list_follow_ups(uow, beneficiary="K1"))
    assert (news.outcome, news.date, news.organisation, news.details) == (
        "job",
        dt.date(2027, 5, 20),
        "مشغل الخياطة الأمل",
        "عقد عمل لمدة سنة",
    )
    assert not screen.follow_messages.label("outcome").isVisible()
    # She has news now: the "no news" list lets her go, and says hers was recorded.
    assert model.rowCount() == 0
    assert screen.no_graduates.isVisible(), "an empty list says why"
    assert "فاطمة" in screen.recorded.text()
    assert screen.organisation.text() == "" and screen.outcome.currentIndex() == 0

    qtbot.keyClick(screen.no_news_only, Qt.Key.Key_Space)
    assert [g.last_outcome for g in model.records()] == ["cooperative", "job"]
    screen.graduates_table.setCurrentIndex(model.index(model.row_of(news.beneficiary_id), 0))
    gui.wait()
    assert screen.history_model.rowCount() == 1


def test_the_events_screen_models_pass_the_model_tester(
    gui: Gui, qtbot: Any, qtmodeltester: Any, later: dt.date
) -> None:
    _graduates(gui, ("فاطمة", "K1"), ("خديجة", "K2"))
    gui.add_person("فاطمة", family="بنعلي", cin="K3")
    gui.ask(
        lambda uow: followups.record_follow_up(
            uow, beneficiary="K1", outcome="own_business", date="2027-02-01", today=later
        )
    )
    for title, day in (("ندوة حول التشغيل", "2026-10-10"), ("يوم تحسيسي", "2026-11-18")):
        event = gui.ask(
            lambda uow, t=title, d=day: events.create_event(
                uow, events.EventInput(kind="seminar", title_ar=t, date=d), today=TODAY
            )
        )
    gui.ask(lambda uow: events.add_participants(uow, event=event.id, beneficiaries=["K1", "K2"]))
    gui.ask(lambda uow: events.add_guest(uow, event=event.id, name="ضيف", role="organiser"))
    screen = _screen(gui)
    type_text(screen.people.search, "فاطمة")
    qtbot.keyClick(screen.people.search, Qt.Key.Key_Return)
    gui.wait()
    screen.tabs.setCurrentIndex(FOLLOW_UP_TAB)
    screen.graduates_table.setCurrentIndex(screen.graduate_model.index(1, 0))
    gui.wait()

    counts = {
        "events": (screen.event_model, 2),
        "participants": (screen.participant_model, 3),
        "found": (screen.people.model, 2),
        "graduates": (screen.graduate_model, 2),
        "history": (screen.history_model, 1),
    }
    for name, (model, rows) in counts.items():
        assert model.rowCount() == rows, name
        qtmodeltester.check(model)
