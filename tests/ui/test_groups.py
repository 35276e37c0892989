"""The groups screen, driven as a coordinator would: keyboard first, checked through the
services (what is in the register), not through the widgets alone."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt

from app.services.groups import add_group, group_members, list_groups
from app.ui.screens.groups import GroupsScreen
from app.vocabulary import EnrolmentStatus, Weekday
from tests.integration.conftest import TODAY

from .driving import Gui, type_text


def _screen(gui: Gui) -> GroupsScreen:
    screen = gui.show("groups")
    assert isinstance(screen, GroupsScreen)
    return screen


def _open_dialog(gui: Gui, qtbot: Any, screen: GroupsScreen) -> Any:
    gui.window.activateWindow()
    qtbot.keyClick(
        screen.groups_table,
        Qt.Key.Key_N,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    dialog = screen.group_dialog
    assert dialog is not None and dialog.isVisible(), "Ctrl+Shift+N opens the new-group dialog"
    # Offscreen, no window manager activates the dialog: do it, so Tab moves the focus.
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow, timeout=2000)
    assert dialog.name.hasFocus(), "the cursor starts in the name"
    return dialog


def test_a_group_is_opened_from_the_dialog(gui: Gui, qtbot: Any) -> None:
    screen = _screen(gui)
    assert screen.no_groups.isVisible()
    dialog = _open_dialog(gui, qtbot, screen)
    dialog.programme.setCurrentIndex(dialog.programme.findData("EFT-BRO"))
    type_text(dialog.name, "الطرز الصباحي")
    for day in (Weekday.TUE, Weekday.THU):
        qtbot.keyClick(dialog.day_boxes[day], Qt.Key.Key_Space)
    # Tab into the hours, and write them as people do.
    dialog.day_boxes[Weekday.SUN].setFocus()
    qtbot.keyClick(dialog.day_boxes[Weekday.SUN], Qt.Key.Key_Tab)
    assert dialog.start.hasFocus()
    qtbot.keyClicks(dialog.start, "8h30")
    qtbot.keyClick(dialog.start, Qt.Key.Key_Tab)
    qtbot.keyClicks(dialog.end, "12")
    qtbot.keyClick(dialog.end, Qt.Key.Key_Tab)
    assert dialog.capacity.hasFocus()
    dialog.capacity.selectAll()
    qtbot.keyClicks(dialog.capacity, "12")
    qtbot.mouseClick(dialog.submit_button, Qt.MouseButton.LeftButton)
    gui.wait()

    [group] = gui.ask(list_groups)
    assert (group.name, group.programme_code, group.days) == (
        "الطرز الصباحي",
        "EFT-BRO",
        ("tue", "thu"),
    )
    assert (group.start_time, group.end_time, group.capacity) == ("08:30", "12:00", 12)
    assert screen.group_dialog is None
    assert screen.group_model.rowCount() == 1
    assert screen.chosen_group() == group
    assert not screen.no_groups.isVisible()


def test_each_refusal_shows_under_its_field_and_nothing_is_written(gui: Gui, qtbot: Any) -> None:
    screen = _screen(gui)
    dialog = _open_dialog(gui, qtbot, screen)
    qtbot.keyClicks(dialog.start, "13")
    qtbot.keyClicks(dialog.end, "12")  # before the start
    qtbot.mouseClick(dialog.submit_button, Qt.MouseButton.LeftButton)
    gui.wait()

    assert gui.ask(list_groups) == []
    assert dialog.isVisible(), "the dialog stays open with what was typed"
    for field in ("name", "days", "hours"):
        assert dialog.messages.label(field).isVisible(), field
        assert dialog.messages.label(field).text()
    for field in ("programme", "capacity"):
        assert not dialog.messages.label(field).isVisible(), field
    assert dialog.name.hasFocus(), "the cursor goes to the first refused field"
    assert dialog.submit_button.isEnabled()


def test_enrol_refuse_a_full_group_then_record_a_dropout(gui: Gui, qtbot: Any) -> None:
    people = [
        gui.add_person(name, cin=cin)
        for name, cin in (("فاطمة", "K1"), ("خديجة", "K2"), ("سلمى", "K3"))
    ]
    group = gui.ask(
        lambda uow: add_group(
            uow,
            programme="EFT-COU",
            name="الخياطة أ",
            days="mon,wed",
            hours="09:00-12:00",
            capacity=2,
        )
    )
    screen = _screen(gui)
    assert screen.chosen_group() == group

    type_text(screen.people.search, "العلوي")
    qtbot.keyClick(screen.people.search, Qt.Key.Key_Return)
    gui.wait()
    assert screen.people.model.rowCount() == 3
    screen.people.table.selectAll()
    qtbot.mouseClick(screen.enrol_button, Qt.MouseButton.LeftButton)
    gui.wait()
    assert screen.enrol_error.isVisible()
    assert "2" in screen.enrol_error.text()  # the group is full (2 places)
    assert gui.ask(lambda uow: group_members(uow, group=str(group.id))) == []

    # Two of them, chosen with the keyboard; Enter enrols.
    table = screen.people.table
    table.setFocus()
    qtbot.keyClick(table, Qt.Key.Key_Home)
    qtbot.keyClick(table, Qt.Key.Key_Down, Qt.KeyboardModifier.ShiftModifier)
    qtbot.keyClick(table, Qt.Key.Key_Return)
    gui.wait()
    members = gui.ask(lambda uow: group_members(uow, group=str(group.id)))
    chosen = {screen.people.model.record_at(0).id, screen.people.model.record_at(1).id}
    assert {m.beneficiary_id for m in members} == chosen
    assert {m.status for m in members} == {"active"}
    assert not screen.enrol_error.isVisible()
    assert screen.enrolled.isVisible()
    assert screen.member_model.rowCount() == 2
    assert screen.group_model.record_at(0).enrolled == 2

    # She dropped out: the reason is required.
    leaving = members[0]
    row = screen.member_model.row_of(leaving.beneficiary_id)
    screen.members_table.setCurrentIndex(screen.member_model.index(row, 0))
    qtbot.mouseClick(screen.end_button, Qt.MouseButton.LeftButton)
    dialog = screen.end_dialog
    assert dialog is not None and dialog.isVisible()
    assert not dialog.reason.isVisible()
    qtbot.keyClick(dialog.outcome_buttons[EnrolmentStatus.DROPPED], Qt.Key.Key_Space)
    assert dialog.reason.isVisible()
    qtbot.mouseClick(dialog.submit_button, Qt.MouseButton.LeftButton)
    gui.wait()
    assert dialog.messages.label("reason").isVisible()
    still = gui.ask(lambda uow: group_members(uow, group=str(group.id)))
    assert {m.status for m in still} == {"active"}

    type_text(dialog.reason, "انتقلت الأسرة إلى مدينة أخرى")
    qtbot.mouseClick(dialog.submit_button, Qt.MouseButton.LeftButton)
    gui.wait()
    after = {
        m.beneficiary_id: m for m in gui.ask(lambda uow: group_members(uow, group=str(group.id)))
    }
    ended = after[leaving.beneficiary_id]
    assert (ended.status, ended.reason, ended.end_date) == (
        "dropped",
        "انتقلت الأسرة إلى مدينة أخرى",
        TODAY,
    )
    assert screen.end_dialog is None
    row = screen.member_model.row_of(leaving.beneficiary_id)
    assert screen.member_model.index(row, 3).data() == EnrolmentStatus.DROPPED.label
    assert screen.group_model.record_at(0).enrolled == 1
    assert people  # the third stays unenrolled
