"""One at-risk rule: the attendance grid flags exactly the people the start screen lists,
for the same month, under the default rule and under one changed from the Settings
screen with the keyboard."""

from __future__ import annotations

import datetime as dt
import random
import uuid
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from app.services.at_risk import AtRiskRule, at_risk_rule
from app.services.attendance import mark_attendance
from app.services.beneficiaries import BeneficiaryInput, register_beneficiary
from app.services.closures import add_closure
from app.services.groups import add_group, end_enrolment, enrol
from app.services.sessions import cancel_session, month_sessions
from app.services.unit_of_work import UnitOfWork
from app.ui.screens.attendance import AttendanceScreen
from app.ui.screens.home import HomeScreen
from app.ui.screens.settings import SettingsScreen
from tests.integration.conftest import TODAY

from .driving import Gui

GROUPS = (("الطرز", "mon,wed"), ("خياطة", "tue,thu,sat"), ("محو الأمية", "mon,tue,wed,thu"))
GIVEN = ("فاطمة", "خديجة", "مريم", "زينب", "سعاد", "نادية", "حياة", "سلمى", "ليلى", "هدى")
STATUSES = ("present", "absent", "excused", "late")

Flags = set[tuple[uuid.UUID, str]]


def _season(gui: Gui) -> None:
    """Three groups of ten, marked at random over October and November up to TODAY (so
    runs of absences cross the month), some people fading away; a session cancelled and a
    day closed after their marks were typed; one dropout."""
    rng = random.Random(7)

    def people(uow: UnitOfWork) -> dict[str, list[str]]:
        members = {}
        for name, days in GROUPS:
            group = add_group(uow, programme="EFT-COU", name=name, days=days)
            ids = [
                str(
                    register_beneficiary(
                        uow,
                        BeneficiaryInput(
                            family_name_ar=f"العلوي {name}",
                            given_name_ar=given,
                            sex="F",
                            birth_date="1995-01-01",
                        ),
                        today=TODAY,
                    ).id
                )
                for given in GIVEN
            ]
            enrol(
                uow,
                group=str(group.id),
                beneficiaries=ids,
                start_date=dt.date(2026, 10, 1),
                today=TODAY,
            )
            members[name] = ids
        return members

    members = gui.ask(people)

    def marks(uow: UnitOfWork) -> None:
        for name, ids in members.items():
            # Each person has her own chance of being absent, rising for those fading.
            absence = {person: rng.choice((0.05, 0.2, 0.4, 0.7)) for person in ids}
            for month in ("2026-10", "2026-11"):
                for day in month_sessions(uow, group=name, month=month):
                    if day.status not in ("planned", "extra") or day.date > TODAY:
                        continue
                    for person in ids:
                        if rng.random() < 0.08:
                            continue  # not typed in yet
                        away = rng.random() < absence[person]
                        status = "absent" if away else rng.choice(("present",) * 6 + STATUSES)
                        mark_attendance(
                            uow,
                            group=name,
                            date=day.date,
                            status=status,
                            beneficiaries=[person],
                            today=TODAY,
                        )
        cancel_session(uow, group="الطرز", date="2026-11-16", reason="تكوين المؤطرة")
        add_closure(uow, start="2026-11-12", end="2026-11-12", reason="إضراب")
        end_enrolment(
            uow,
            group="خياطة",
            beneficiary=members["خياطة"][0],
            outcome="dropped",
            end_date=TODAY,
            reason="العمل",
        )

    gui.ask(marks)
    gui.context.announce("group", "attendance", "session")


def _grid_flags(gui: Gui) -> Flags:
    screen = gui.show("attendance")
    assert isinstance(screen, AttendanceScreen)
    assert screen.model.sheet is not None and screen.model.sheet.month == TODAY.replace(day=1)
    flagged: Flags = set()
    for index in range(screen.group_box.count()):
        screen.group_box.setCurrentIndex(index)
        gui.wait()
        model = screen.model
        assert model.sheet is not None and model.sheet.group_name == screen.group_box.itemText(
            index
        )
        flagged |= {
            (person.id, model.sheet.group_name)
            for row in range(model.people)
            if model.at_risk(row) and (person := model.person_at(row)) is not None
        }
    return flagged


def _home_flags(gui: Gui) -> Flags:
    screen = gui.show("home")
    assert isinstance(screen, HomeScreen) and screen._at_risk is not None
    shown = {label.text() for label in screen.risk_card.findChildren(QLabel)}
    for risk in screen._at_risk[:8]:
        assert any(risk.beneficiary.full_name_ar in text for text in shown)
    return {(r.beneficiary.id, r.group_name) for r in screen._at_risk}


def _set_rule_with_keys(gui: Gui, qtbot: Any, *, absences: str, rate: str) -> None:
    screen = gui.show("settings")
    assert isinstance(screen, SettingsScreen)
    gui.window.activateWindow()
    screen.language.setFocus()
    qtbot.waitUntil(screen.language.hasFocus, timeout=2000)
    qtbot.keyClick(screen.language, Qt.Key.Key_Tab)
    assert screen.absences.hasFocus(), "Tab leads from the language to the rule"
    for box, text in ((screen.absences, absences), (screen.rate, rate)):
        qtbot.keyClick(box, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
        qtbot.keyClicks(box, text)
        qtbot.keyClick(box, Qt.Key.Key_Tab)
    assert screen.save_rule_button.hasFocus()
    qtbot.keyClick(screen.save_rule_button, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    gui.wait()
    assert screen.rule_saved.isVisible()


def test_the_grid_and_the_start_screen_flag_the_same_people(gui: Gui, qtbot: Any) -> None:
    _season(gui)
    default = _grid_flags(gui)
    assert default == _home_flags(gui)
    assert len(default) >= 4

    _set_rule_with_keys(gui, qtbot, absences="2", rate="75")
    assert gui.ask(at_risk_rule) == AtRiskRule(consecutive_absences=2, monthly_rate_below=75)
    stricter = _grid_flags(gui)
    assert stricter == _home_flags(gui)
    assert stricter > default, "a stricter rule flags more people"

    _set_rule_with_keys(gui, qtbot, absences="4", rate="0")
    assert gui.ask(at_risk_rule) == AtRiskRule(consecutive_absences=4, monthly_rate_below=0)
    runs_only = _grid_flags(gui)
    assert runs_only == _home_flags(gui)
    assert runs_only and runs_only < default


def test_a_refused_rule_is_said_under_its_box(gui: Gui, qtbot: Any) -> None:
    screen = gui.show("settings")
    assert isinstance(screen, SettingsScreen)
    # The boxes cannot hold a wrong number; the services say so if one came through.
    screen.absences.setMaximum(99)
    screen.absences.setValue(30)
    screen.save_rule()
    gui.wait()
    message = screen.risk_messages.label("consecutive_absences")
    assert message.isVisible() and message.text()
    assert gui.ask(at_risk_rule) == AtRiskRule()
    screen.default_rule_button.click()
    gui.wait()
    assert (screen.absences.value(), screen.rate.value()) == (3, 60)
