"""The attendance screen's calendar actions, keyboard only: a make-up session added, the
chosen day's session cancelled, the centre closed. Checked through the services (what
the register holds) and on the grid (the column appears or leaves)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QLineEdit

from app.services.attendance import marks_of_group
from app.services.attendance_sheet import month_sheet
from app.services.beneficiaries import BeneficiaryInput, register_beneficiary
from app.services.closures import list_closures
from app.services.groups import add_group, enrol
from app.services.sessions import month_sessions
from app.services.unit_of_work import UnitOfWork
from app.ui.screens.attendance import AttendanceScreen
from tests.integration.conftest import TODAY

from .driving import Gui, type_text

NOVEMBER = dt.date(2026, 11, 1)
CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier


def _groups(gui: Gui) -> str:
    """Two groups of the centre: الطرز (mon, wed) with three people, خياطة (tue, thu)."""

    def work(uow: UnitOfWork) -> str:
        group = add_group(uow, programme="EFT-BRO", name="الطرز", days="mon,wed")
        add_group(uow, programme="EFT-COU", name="خياطة", days="tue,thu")
        people = [
            str(
                register_beneficiary(
                    uow,
                    BeneficiaryInput(
                        family_name_ar="العلوي",
                        given_name_ar=given,
                        sex="F",
                        birth_date="1995-01-01",
                    ),
                    today=TODAY,
                ).id
            )
            for given in ("فاطمة", "خديجة", "مريم")
        ]
        enrol(
            uow,
            group=str(group.id),
            beneficiaries=people,
            start_date=dt.date(2026, 10, 1),
            today=TODAY,
        )
        return str(group.id)

    return gui.ask(work)


def _screen(gui: Gui, monkeypatch: pytest.MonkeyPatch) -> AttendanceScreen:
    monkeypatch.setenv("SIJILL_TODAY", "2026-11-30")
    screen = gui.show("attendance")
    assert isinstance(screen, AttendanceScreen)
    screen.group_box.setCurrentIndex(screen.group_box.findText("الطرز"))
    screen.show_month(NOVEMBER)
    gui.wait()
    gui.window.activateWindow()
    screen.grid.setFocus()
    return screen


def _open(gui: Gui, qtbot: Any, screen: AttendanceScreen, key: Qt.Key) -> Any:
    qtbot.keyClick(screen.grid, key, CTRL_SHIFT)
    dialog = screen.dialog
    assert dialog is not None and dialog.isVisible()
    # Offscreen, no window manager activates the dialog: do it, so Tab moves the focus.
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow, timeout=2000)
    return dialog


def _retype(qtbot: Any, box: QLineEdit, text: str) -> None:
    """Type over a box whose text is selected (as a date box opens)."""
    assert box.hasFocus() and box.selectedText() == box.text()
    qtbot.keyClicks(box, text)


def _sessions(gui: Gui, group: str) -> dict[int, tuple[str, str | None]]:
    days = gui.ask(lambda uow: month_sessions(uow, group=group, month="2026-11"))
    return {d.date.day: (d.status, d.reason) for d in days}


def test_a_make_up_saturday_is_added(gui: Gui, qtbot: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    group = _groups(gui)
    screen = _screen(gui, monkeypatch)
    assert "Ctrl+Shift+A" in screen.add_button.text(), "the keys are shown"
    dialog = _open(gui, qtbot, screen, Qt.Key.Key_A)
    _retype(qtbot, dialog.date, "2026-11-21")
    qtbot.keyClick(dialog.date, Qt.Key.Key_Tab)
    assert dialog.reason.hasFocus()
    type_text(dialog.reason, "حصة تعويضية")
    qtbot.keyClick(dialog.reason, Qt.Key.Key_Return)
    gui.wait()
    assert screen.dialog is None, "the dialog closes once the session is written"
    assert _sessions(gui, group)[21] == ("extra", "حصة تعويضية")
    saturday = dt.date(2026, 11, 21)
    assert saturday in screen.model.days, "the column appears"
    assert screen.grid.currentIndex().column() == screen.model.column_of(saturday)
    # Offscreen, nothing gives the window back its activation: do it, as the desktop would.
    gui.window.activateWindow()
    qtbot.waitUntil(screen.grid.hasFocus, timeout=2000)
    # The typist marks the new day at once.
    QTest.sendKeyEvent(
        QTest.KeyAction.Click, screen.grid, Qt.Key.Key_P, "p", Qt.KeyboardModifier.NoModifier
    )
    gui.wait()
    marks = gui.ask(lambda uow: marks_of_group(uow, group=group))
    assert [(m.date, m.status) for m in marks] == [(saturday, "present")]


def test_a_refused_day_keeps_the_dialog_open(
    gui: Gui, qtbot: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    group = _groups(gui)
    screen = _screen(gui, monkeypatch)
    before = _sessions(gui, group)
    dialog = _open(gui, qtbot, screen, Qt.Key.Key_A)
    _retype(qtbot, dialog.date, "2026-11-18")  # Independence Day
    qtbot.keyClick(dialog.date, Qt.Key.Key_Tab)
    type_text(dialog.reason, "تعويض")
    qtbot.keyClick(dialog.reason, Qt.Key.Key_Return)
    gui.wait()
    assert screen.dialog is dialog and dialog.isVisible()
    message = dialog.messages.label("date")
    assert message.isVisible() and "عيد الاستقلال" in message.text()
    assert dialog.date.hasFocus(), "the cursor goes back to the refused day"
    assert dialog.reason.text() == "تعويض", "what was typed stays"
    qtbot.keyClick(dialog.date, Qt.Key.Key_Escape)
    gui.wait()
    assert screen.dialog is None
    assert _sessions(gui, group) == before


def test_the_chosen_days_session_is_cancelled_and_its_marks_kept(
    gui: Gui, qtbot: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    group = _groups(gui)
    screen = _screen(gui, monkeypatch)
    model = screen.model
    wednesday, monday = dt.date(2026, 11, 4), dt.date(2026, 11, 9)
    screen.grid.setCurrentIndex(model.index(0, model.column_of(wednesday)))
    QTest.sendKeyEvent(
        QTest.KeyAction.Click, screen.grid, Qt.Key.Key_unknown, "غ", Qt.KeyboardModifier.NoModifier
    )
    gui.wait()
    dialog = _open(gui, qtbot, screen, Qt.Key.Key_X)
    assert dialog.day == wednesday, "the day of the cursor's column"
    assert dialog.reason.hasFocus()
    qtbot.keyClick(dialog.reason, Qt.Key.Key_Return)  # no reason yet
    gui.wait()
    assert dialog.messages.label("reason").isVisible()
    type_text(dialog.reason, "تكوين المؤطرة")
    qtbot.keyClick(dialog.reason, Qt.Key.Key_Return)
    gui.wait()
    assert screen.dialog is None
    assert _sessions(gui, group)[4] == ("cancelled", "تكوين المؤطرة")
    assert wednesday not in model.days, "the column leaves the grid"
    assert screen.grid.currentIndex().column() == model.column_of(monday), "the next day"
    assert "تكوين المؤطرة" in screen.days_off.text()
    # The mark stays in the register, off the sheet that is printed.
    marks = gui.ask(lambda uow: marks_of_group(uow, group=group))
    assert [(m.date, m.status) for m in marks] == [(wednesday, "absent")]
    sheet = gui.ask(lambda uow: month_sheet(uow, group=group, month="2026-11"))
    assert wednesday not in [d.date for d in sheet.columns]
    assert all(not row.marks for row in sheet.rows)
    # Undo cannot reach a day that left the grid: nothing happens, nothing is refused.
    qtbot.keyClick(screen.grid, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    gui.wait()
    assert screen.error.isHidden()
    assert len(gui.ask(lambda uow: marks_of_group(uow, group=group))) == 1


def test_cancelling_needs_a_day_column(
    gui: Gui, qtbot: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    _groups(gui)
    screen = _screen(gui, monkeypatch)
    screen.grid.setCurrentIndex(screen.model.index(0, 0))  # the names
    assert not screen.cancel_button.isEnabled()
    qtbot.keyClick(screen.grid, Qt.Key.Key_X, CTRL_SHIFT)
    assert screen.dialog is None
    assert screen.error.isVisible() and screen.error.text()


def test_the_centre_is_closed_for_every_group(
    gui: Gui, qtbot: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    group = _groups(gui)
    screen = _screen(gui, monkeypatch)
    dialog = _open(gui, qtbot, screen, Qt.Key.Key_C)
    _retype(qtbot, dialog.start, "2026-11-23")
    qtbot.keyClick(dialog.start, Qt.Key.Key_Tab)
    _retype(qtbot, dialog.end, "2026-11-26")
    qtbot.keyClick(dialog.end, Qt.Key.Key_Tab)
    type_text(dialog.reason, "نشرة إنذارية")
    qtbot.keyClick(dialog.reason, Qt.Key.Key_Return)
    gui.wait()
    assert screen.dialog is None
    closed = {dt.date(2026, 11, 23), dt.date(2026, 11, 25)}
    assert not closed & set(screen.model.days), "both columns leave the grid"
    assert dt.date(2026, 11, 30) in screen.model.days
    assert screen.days_off.text().count("نشرة إنذارية") == 2
    assert {d: s for d, s in _sessions(gui, group).items() if s[0] == "closed"} == {
        23: ("closed", "نشرة إنذارية"),
        25: ("closed", "نشرة إنذارية"),
    }
    # The other group, which meets on Tuesdays and Thursdays, loses 24 and 26.
    other = _sessions(gui, "خياطة")
    assert (other[24][0], other[26][0], other[19][0]) == ("closed", "closed", "planned")
    (closure,) = gui.ask(list_closures)
    assert (closure.first_day.day, closure.last_day.day, closure.sessions) == (23, 26, 4)
