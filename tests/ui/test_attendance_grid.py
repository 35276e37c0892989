"""The attendance grid, driven as a coordinator copying a printed sheet: keyboard only,
checked through the services (what is in the register), then on a reopened screen."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from app.services.attendance_sheet import MonthSheet, month_sheet
from app.services.beneficiaries import BeneficiaryInput, register_beneficiary
from app.services.groups import add_group, enrol
from app.services.unit_of_work import UnitOfWork
from app.ui.screens.attendance import AttendanceScreen
from app.vocabulary import AttendanceStatus
from tests.integration.conftest import TODAY

from .driving import Gui

NOVEMBER = dt.date(2026, 11, 1)
# Mondays and Wednesdays of November 2026, without 18 November (a public holiday).
SESSION_DAYS = [dt.date(2026, 11, d) for d in (2, 4, 9, 11, 16, 23, 25, 30)]
GIVEN = ("فاطمة", "خديجة", "مريم", "زينب", "سعاد", "نادية", "حياة", "سلمى", "ليلى", "هدى")
FAMILY = ("العلوي", "بناني", "التازي", "الإدريسي", "المرابط")
# What a paper sheet holds, as typed: Latin and Arabic letters, French R for late.
KEYS = ("P", "p", "ح", "A", "غ", "P", "E", "م", "L", "ت", "R", "P", "ح")
STATUS_OF = {
    "p": AttendanceStatus.PRESENT,
    "ح": AttendanceStatus.PRESENT,
    "a": AttendanceStatus.ABSENT,
    "غ": AttendanceStatus.ABSENT,
    "e": AttendanceStatus.EXCUSED,
    "م": AttendanceStatus.EXCUSED,
    "l": AttendanceStatus.LATE,
    "ت": AttendanceStatus.LATE,
    "r": AttendanceStatus.LATE,
}


def _group(gui: Gui, people: int, *, late_start: dt.date | None = None) -> str:
    """A Monday-Wednesday group of ``people`` enrolled from October; with ``late_start``
    the last one joins on that day."""

    def work(uow: UnitOfWork) -> str:
        group = add_group(uow, programme="EFT-BRO", name="الطرز", days="mon,wed")
        ids = [
            str(
                register_beneficiary(
                    uow,
                    BeneficiaryInput(
                        family_name_ar=FAMILY[n % len(FAMILY)],
                        given_name_ar=f"{GIVEN[n % len(GIVEN)]} {n}",
                        sex="F",
                        birth_date="1995-01-01",
                    ),
                    today=TODAY,
                ).id
            )
            for n in range(people)
        ]
        early = ids[:-1] if late_start else ids
        enrol(
            uow,
            group=str(group.id),
            beneficiaries=early,
            start_date=dt.date(2026, 10, 1),
            today=TODAY,
        )
        if late_start:
            enrol(
                uow, group=str(group.id), beneficiaries=ids[-1:], start_date=late_start, today=TODAY
            )
        return str(group.id)

    return gui.ask(work)


def _screen(
    gui: Gui, monkeypatch: pytest.MonkeyPatch, today: str = "2026-11-30"
) -> AttendanceScreen:
    # The end of November: every session of the month has taken place.
    monkeypatch.setenv("SIJILL_TODAY", today)
    screen = gui.show("attendance")
    assert isinstance(screen, AttendanceScreen)
    screen.show_month(NOVEMBER)
    gui.wait()
    return screen


def _press(screen: AttendanceScreen, text: str) -> None:
    """One key as a keyboard sends it; Arabic letters carry their text (TECH-NOTES)."""
    key = (
        getattr(Qt.Key, f"Key_{text.upper()}", Qt.Key.Key_unknown)
        if text.isascii()
        else Qt.Key.Key_unknown
    )
    QTest.sendKeyEvent(
        QTest.KeyAction.Click, screen.grid, key, text, Qt.KeyboardModifier.NoModifier
    )


def _key(
    screen: AttendanceScreen, key: Qt.Key, modifiers: Any = Qt.KeyboardModifier.NoModifier
) -> None:
    QTest.keyClick(screen.grid, key, modifiers)


def _sheet(gui: Gui, group: str) -> MonthSheet:
    answers: list[MonthSheet] = []
    gui.runner.with_uow(
        lambda uow: month_sheet(uow, group=group, month="2026-11"),
        on_done=answers.append,
        read_only=True,
    )
    gui.wait()
    return answers[0]


def _shown(screen: AttendanceScreen) -> dict[tuple[int, dt.date], str]:
    model = screen.model
    return {
        (row, day): mark
        for row in range(model.people)
        for day in model.days
        if (mark := model.mark_at(row, day)) is not None
    }


def test_a_whole_month_is_typed_from_the_keyboard(
    gui: Gui, monkeypatch: pytest.MonkeyPatch
) -> None:
    group = _group(gui, 25)
    screen = _screen(gui, monkeypatch)
    model = screen.model
    assert model.days == tuple(SESSION_DAYS)
    assert model.people == 25
    assert screen.grid.currentIndex() == model.index(0, 1), "typing starts at the first cell"
    screen.grid.setFocus()
    expected: dict[tuple[int, dt.date], str] = {}
    # Column after column, as the paper is copied: no arrow key, the grid moves down and
    # wraps to the top of the next day by itself.
    for column, day in enumerate(SESSION_DAYS):
        for row in range(25):
            text = KEYS[(row * 5 + column * 3) % len(KEYS)]
            _press(screen, text)
            expected[(row, day)] = STATUS_OF[text.lower()].value
    gui.wait()
    assert _shown(screen) == expected
    assert screen.error.isHidden()

    sheet = _sheet(gui, group)
    stored = {(row, day): mark for row, r in enumerate(sheet.rows) for day, mark in r.marks.items()}
    assert [r.person.id for r in sheet.rows] == [model.person_at(n).id for n in range(25)]
    assert stored == expected

    # Totals follow: the last column's totals row counts who attended that day.
    last = SESSION_DAYS[-1]
    attended = sum(1 for (_r, d), m in expected.items() if d == last and m in ("present", "late"))
    totals = model.index(model.people, model.column_of(last))
    assert model.data(totals) == str(attended)

    # Away and back: a fresh read shows the same marks.
    gui.show("home")
    model.set_sheet(None, today=TODAY)
    screen = _screen(gui, monkeypatch)
    assert _shown(screen) == expected


def test_the_whole_day_present_never_overwrites(gui: Gui, monkeypatch: pytest.MonkeyPatch) -> None:
    group = _group(gui, 4)
    screen = _screen(gui, monkeypatch)
    screen.grid.setFocus()
    day = SESSION_DAYS[0]
    screen.grid.setCurrentIndex(screen.model.index(1, 1))
    _press(screen, "A")
    _press(screen, "م")
    _key(screen, Qt.Key.Key_Up)
    _key(screen, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    gui.wait()
    marks = [r.marks.get(day) for r in _sheet(gui, group).rows]
    assert marks == ["present", "absent", "excused", "present"]
    assert all(len(r.marks) == 1 for r in _sheet(gui, group).rows), "only that day"


def test_undo_puts_back_the_previous_mark(gui: Gui, monkeypatch: pytest.MonkeyPatch) -> None:
    group = _group(gui, 3)
    screen = _screen(gui, monkeypatch)
    screen.grid.setFocus()
    day = SESSION_DAYS[0]
    _press(screen, "P")  # row 0: present
    _key(screen, Qt.Key.Key_Up)
    _press(screen, "غ")  # row 0: absent over present
    _key(screen, Qt.Key.Key_Delete)  # row 1 (the cursor moved down): nothing to clear
    _key(screen, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)  # rows 1, 2
    gui.wait()
    assert [r.marks.get(day) for r in _sheet(gui, group).rows] == ["absent", "present", "present"]

    _key(screen, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # the whole day, undone
    gui.wait()
    assert [r.marks.get(day) for r in _sheet(gui, group).rows] == ["absent", None, None]
    _key(screen, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # absent → present
    gui.wait()
    assert [r.marks.get(day) for r in _sheet(gui, group).rows] == ["present", None, None]
    _key(screen, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # present → unmarked
    gui.wait()
    assert [r.marks.get(day) for r in _sheet(gui, group).rows] == [None, None, None]
    assert _shown(screen) == {}


def test_a_day_before_the_enrolment_takes_no_mark(
    gui: Gui, monkeypatch: pytest.MonkeyPatch
) -> None:
    group = _group(gui, 2, late_start=dt.date(2026, 11, 10))
    screen = _screen(gui, monkeypatch)
    model = screen.model
    late = next(row for row in range(model.people) if not model.markable(row, SESSION_DAYS[0]))
    assert model.markable(late, SESSION_DAYS[3]), "marked from the enrolment on"
    screen.grid.setFocus()
    screen.grid.setCurrentIndex(model.index(late, 1))
    _press(screen, "P")
    gui.wait()
    assert screen.grid.currentIndex() == model.index(late, 1), "the cursor waits there"
    assert screen.error.isVisible()
    assert all(not r.marks for r in _sheet(gui, group).rows)
    # The whole day present passes over that person too.
    _key(screen, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    gui.wait()
    assert sorted(len(r.marks) for r in _sheet(gui, group).rows) == [0, 1]


def test_a_refused_mark_is_put_back(gui: Gui, monkeypatch: pytest.MonkeyPatch) -> None:
    _group(gui, 2)
    screen = _screen(gui, monkeypatch)
    # The screen believes it is the 30th; the register is told another day is today.
    monkeypatch.setenv("SIJILL_TODAY", "2026-11-20")
    screen.grid.setFocus()
    screen.grid.setCurrentIndex(screen.model.index(0, screen.model.column_of(SESSION_DAYS[-1])))
    _press(screen, "P")
    gui.wait()
    assert _shown(screen) == {}
    assert screen.error.isVisible() and screen.error.text()


def test_the_grid_model_passes_the_model_tester(
    gui: Gui, monkeypatch: pytest.MonkeyPatch, qtmodeltester: Any
) -> None:
    _group(gui, 3)
    screen = _screen(gui, monkeypatch)
    screen.grid.setFocus()
    for text in ("P", "A", "ت"):
        _press(screen, text)
    gui.wait()
    qtmodeltester.check(screen.model)
