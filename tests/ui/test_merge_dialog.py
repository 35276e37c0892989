"""Merging a possible duplicate from the sync screen, from the keyboard: the pair listed,
the two records side by side, the one to keep chosen, the merge done on the worker
thread; a pair closed meanwhile is refused inside the dialog, which stays open; records
left pointing at a removed person are counted under the list."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from app.i18n import _, format_number, ltr, ngettext
from app.services import attendance, duplicates, groups, merging
from app.services.beneficiaries import get_beneficiary, remove_beneficiary
from app.services.errors import InputRejected
from app.services.unit_of_work import UnitOfWork
from app.ui.screens.sync import SyncScreen
from app.ui.widgets.merge_dialog import MergeDialog
from tests.integration.conftest import TODAY

from .driving import Gui

GROUP = "الخياطة - الفوج 1"
MONDAY = dt.date(2026, 11, 2)


def _registered_twice(gui: Gui) -> tuple[str, str]:
    """Fatima twice, the second time with her CIN and phone, both in one group and
    marked the same Monday; the pair found as an import finds it."""
    first = gui.add_person("فاطمة", address="حي السلام")
    second = gui.add_person("فاطمة", "العلوى", cin="K123456", phone="0611223344")

    def work(uow: UnitOfWork) -> int:
        groups.add_group(uow, programme="EFT-COU", name=GROUP, days="mon")
        groups.enrol(
            uow,
            group=GROUP,
            beneficiaries=[str(first.id), str(second.id)],
            start_date=dt.date(2026, 10, 5),
            today=TODAY,
        )
        for person, status in ((first, "absent"), (second, "present")):
            attendance.mark_attendance(
                uow,
                group=GROUP,
                date=MONDAY,
                status=status,
                beneficiaries=[str(person.id)],
                today=TODAY,
            )
        return duplicates.find_candidates(uow, [first.id, second.id])

    assert gui.ask(work) == 1
    return str(first.id), str(second.id)


def _open_dialog(gui: Gui, qtmodeltester: Any) -> tuple[SyncScreen, MergeDialog]:
    screen = gui.show("sync")
    assert isinstance(screen, SyncScreen)
    panel = screen.duplicates_panel
    assert panel.isVisible()
    qtmodeltester.check(panel.model)
    assert panel.model.rowCount() == 1
    assert panel.model.index(0, 0).data() == _("Same name and birth date")
    gui.window.activateWindow()
    assert QTest.qWaitForWindowFocused(gui.window)
    QTest.keyClick(
        gui.window,
        Qt.Key.Key_M,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    gui.wait()
    dialog = screen.merge_dialog
    assert dialog is not None and dialog.isVisible()
    return screen, dialog


def test_a_pair_merged_from_the_keyboard(gui: Gui, qtmodeltester: Any) -> None:
    first, second = _registered_twice(gui)
    screen, dialog = _open_dialog(gui, qtmodeltester)
    # Side by side, nothing chosen yet: the merge waits for a choice.
    assert [c.text() for c in dialog.cells["cin"]] == ["—", ltr("K123456")]
    assert [b.text() for b in dialog.keep_buttons] == [_("Keep this record")] * 2
    assert not dialog.submit_button.isEnabled()
    assert dialog.focusWidget() is dialog.keep_buttons[0]

    QTest.keyClick(dialog.focusWidget(), Qt.Key.Key_Space)
    assert dialog.kept() is not None and str(dialog.kept().id) == first
    assert dialog.taken_fields() == ["cin", "phone"]
    assert dialog.cells["cin"][1].font().bold() and not dialog.cells["address"][1].font().bold()
    assert _("Phone") in dialog.taken.text()
    assert dialog.submit_button.isEnabled() and dialog.submit_button.isDefault()
    QTest.keyClick(dialog.focusWidget(), Qt.Key.Key_Return)
    gui.wait()

    assert screen.merge_dialog is None
    assert "فاطمة" in screen.outcome.text() and screen.outcome.isVisible()
    assert not screen.duplicates_panel.isVisible()
    kept = gui.ask(lambda uow: get_beneficiary(uow, first))
    assert (kept.cin, kept.phone, kept.address) == ("K123456", "0611223344", "حي السلام")
    marks = gui.ask(lambda uow: attendance.marks_of_group(uow, group=GROUP))
    assert [(str(m.beneficiary_id), m.status) for m in marks] == [(first, "present")]
    (closed,) = gui.ask(lambda uow: duplicates.list_candidates(uow, status="merged"))
    assert str(closed.kept_id) == first and second in {str(closed.first.id), str(closed.second.id)}
    assert gui.message_boxes == []


def test_a_pair_closed_meanwhile_is_refused_in_the_dialog(gui: Gui, qtmodeltester: Any) -> None:
    first, second = _registered_twice(gui)
    screen, dialog = _open_dialog(gui, qtmodeltester)
    # Merged from elsewhere (the command line) while the dialog was open.
    (pair,) = gui.ask(duplicates.list_candidates)
    gui.ask(lambda uow: merging.merge(uow, pair.id, keep=second))

    dialog.keep_buttons[0].click()
    dialog.submit_button.click()
    gui.wait()
    assert dialog.isVisible(), "the refusal is shown where the choice was made"
    assert dialog.general_error.isVisible()
    assert dialog.general_error.text() == _(
        "These two records were merged already: the pair is closed."
    )
    assert dialog.submit_button.isEnabled()
    dialog.cancel_button.click()
    gui.wait()
    assert screen.merge_dialog is None
    try:
        gui.ask(lambda uow: get_beneficiary(uow, first))
    except InputRejected:
        pass
    else:
        raise AssertionError("the record the other merge removed stays removed")


def test_records_of_a_removed_person_are_counted_calmly(gui: Gui) -> None:
    first, _second = _registered_twice(gui)
    (pair,) = gui.ask(duplicates.list_candidates)
    gui.ask(lambda uow: duplicates.dismiss(uow, str(pair.id)))
    gui.ask(lambda uow: remove_beneficiary(uow, uuid.UUID(first)))
    screen = gui.show("sync")
    assert isinstance(screen, SyncScreen)
    panel = screen.duplicates_panel
    # No pair left: only the line about her enrolment and mark, kept in case she returns.
    assert panel.isVisible() and not panel.table.isVisible()
    assert not panel.merge_button.isVisible()
    assert panel.orphans_line.isVisible()
    assert panel.orphans_line.objectName() != "alert"
    assert panel.orphans_line.text() == (
        ngettext(
            "{n} record points at a person who was removed. It is kept, in case the person "
            "is brought back.",
            "{n} records point at a person who was removed. They are kept, in case the "
            "person is brought back.",
            2,
        ).format(n=format_number(2))
    )
