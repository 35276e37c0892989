"""The documents screen on a demo centre, driven with the keyboard: a group's sheet
previewed (pages and orientation as the CLI's PDF has them), printed to a file, saved with
the CLI's very bytes; the sheets of every group made a step per group, and stopped with
nothing written; the attendance screen's print key; the start screen's way in."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLineEdit, QProgressDialog, QPushButton

from app.i18n import _
from app.pdf.documents import DOCUMENTS, attendance_sheets
from app.services.beneficiaries import BeneficiaryInput, register_beneficiary
from app.services.demo import create_demo
from app.services.groups import add_group, enrol, list_groups
from app.services.unit_of_work import UnitOfWork
from app.ui.screens.attendance import AttendanceScreen
from app.ui.screens.documents import DocumentsScreen
from app.ui.screens.home import HomeScreen
from app.ui.widgets.pdf_preview import PdfOutput
from tests.integration.conftest import TODAY

from .driving import Gui
from .test_pdf_preview import pdf_pages, print_to_file, save_as, settle
from .test_translations_ui import _left_over, _offenders

MONTH = f"{TODAY:%Y-%m}"
# Monday to Saturday: over 16 sessions in the month, so its sheet is printed landscape.
WIDE_GROUP = "الخياطة - كل الأيام"


@pytest.fixture(autouse=True)
def _no_remembered_folder() -> None:
    """Each test starts where a person opening the window would: no folder used before."""
    PdfOutput.last_folder = None


def _demo(gui: Gui) -> str:
    """A demo centre, plus a group meeting six days a week; returns that group's id."""
    register = gui.runner.register
    gui.runner.run(lambda: create_demo(register, seed=1, beneficiaries=60, months=3, today=TODAY))
    gui.wait()

    def wide(uow: UnitOfWork) -> str:
        group = add_group(uow, programme="EFT-COU", name=WIDE_GROUP, days="mon,tue,wed,thu,fri,sat")
        people = [
            str(
                register_beneficiary(
                    uow,
                    BeneficiaryInput(
                        family_name_ar="الإدريسي",
                        given_name_ar=f"سلمى {n}",
                        sex="F",
                        birth_date="1999-05-0" + str(n + 1),
                    ),
                    today=TODAY,
                ).id
            )
            for n in range(6)
        ]
        enrol(uow, group=str(group.id), beneficiaries=people, today=TODAY)
        return str(group.id)

    group = gui.ask(wide)
    gui.context.announce("group", "enrolment", "beneficiary")
    gui.wait()
    return group


def _cli_pdf(tmp_path: Path, name: str, *args: str) -> Path:
    """What `sijill pdf attendance-sheet ARGS` writes, run as its own process."""
    out = tmp_path / name
    env = {**os.environ, "SIJILL_TODAY": TODAY.isoformat()}
    subprocess.run(
        [sys.executable, "-m", "app", "--db", str(tmp_path / "centre.sqlite"), "pdf",
         "attendance-sheet", *args, "--month", MONTH, "--lang", "ar", "-o", str(out)],
        env=env,
        check=True,
        capture_output=True,
    )  # fmt: skip
    return out


def _key(gui: Gui, key: Qt.Key, modifiers: Any = Qt.KeyboardModifier.NoModifier) -> None:
    """A key pressed where the keyboard's focus is."""
    QTest.keyClick(QApplication.focusWidget(), key, modifiers)
    gui.wait()


def _documents(gui: Gui) -> DocumentsScreen:
    screen = gui.show("documents")
    assert isinstance(screen, DocumentsScreen)
    return screen


def _choose_wide_group(gui: Gui, screen: DocumentsScreen) -> None:
    """From the list of documents: Tab to the group, then down to the wide group."""
    screen.kinds.setFocus()
    _key(gui, Qt.Key.Key_Home)
    _key(gui, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is screen.group_box
    _key(gui, Qt.Key.Key_Home)
    for _step in range(screen.group_box.findText(WIDE_GROUP)):
        _key(gui, Qt.Key.Key_Down)
    assert screen.group_box.currentText() == WIDE_GROUP


def test_a_group_sheet_is_previewed_and_saved_as_the_cli_writes_it(
    gui: Gui, tmp_path: Path
) -> None:
    group = _demo(gui)
    screen = _documents(gui)
    assert screen.month_box.currentData() == MONTH, "this month is offered first"
    _choose_wide_group(gui, screen)
    _key(gui, Qt.Key.Key_Return)
    preview = screen.actions.preview
    assert preview is not None and preview.isVisible()
    settle(gui, preview.preview)
    cli = pdf_pages(_cli_pdf(tmp_path, "cli.pdf", "--group", group))
    assert preview.preview.page_count == len(cli)
    shown = [page.size_in_points for page in preview.preview.pages]
    assert [s.landscape for s in shown] == [w > h for w, h in cli] == [True] * len(cli)
    assert [p.width() > p.height() for p in preview.preview.pages] == [True] * len(cli)
    assert WIDE_GROUP in preview.windowTitle()
    _key(gui, Qt.Key.Key_Escape)
    assert not preview.isVisible()
    # A window manager gives the window back its focus; the offscreen platform does not.
    gui.window.activateWindow()
    assert QTest.qWaitForWindowActive(gui.window)

    # Saved from the screen: the same bytes as the command line's.
    _key(gui, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert screen.actions.save_dialog is not None and screen.actions.save_dialog.isVisible()
    assert WIDE_GROUP in screen.actions.save_dialog.selectedFiles()[0], "the name says which group"
    saved = tmp_path / "from the screen.pdf"
    save_as(gui, screen.actions.save_dialog, saved)
    assert saved.read_bytes() == (tmp_path / "cli.pdf").read_bytes()
    assert str(saved) in screen.status.text()
    assert not gui.message_boxes


def test_a_group_sheet_is_printed_from_the_screen(gui: Gui, tmp_path: Path) -> None:
    group = _demo(gui)
    screen = _documents(gui)
    _choose_wide_group(gui, screen)
    _key(gui, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    assert screen.actions.output is not None
    printing = screen.actions.output.print_dialog
    assert printing is not None and printing.isVisible()
    printed = tmp_path / "printed.pdf"
    print_to_file(gui, printing, printed)
    cli = pdf_pages(_cli_pdf(tmp_path, "cli.pdf", "--group", group))
    assert [w > h for w, h in pdf_pages(printed)] == [w > h for w, h in cli]
    assert not gui.message_boxes


def test_the_sheets_of_every_group_take_a_step_per_group(gui: Gui) -> None:
    _demo(gui)
    steps: list[tuple[int, int]] = []

    def make(uow: UnitOfWork) -> tuple[int, bytes]:
        groups = len(list_groups(uow))
        data = attendance_sheets(
            uow,
            groups=None,
            month=MONTH,
            language="ar",
            blank=True,
            step=lambda done, total: steps.append((done, total)),
        )
        return groups, data

    groups, data = gui.ask(make)
    assert groups >= 3
    assert steps == [(done, groups + 1) for done in range(groups + 2)]
    assert data.startswith(b"%PDF")


def _stop_when_shown(screen: DocumentsScreen, qtbot: Any) -> None:
    """Wait for the progress dialog, then stop the job with Esc as a person would."""
    qtbot.waitUntil(
        lambda: any(d.isVisible() for d in screen.findChildren(QProgressDialog)), timeout=5000
    )
    progress = next(d for d in screen.findChildren(QProgressDialog) if d.isVisible())
    # Its Esc key is a shortcut of the active window: a window manager makes the dialog
    # shown active, the offscreen platform only when asked.
    progress.activateWindow()
    assert QTest.qWaitForWindowActive(progress)
    QTest.keyClick(progress, Qt.Key.Key_Escape)
    assert progress.wasCanceled()


def test_the_sheets_of_every_group_stopped_leave_nothing_then_saved(
    gui: Gui, tmp_path: Path, qtbot: Any
) -> None:
    _demo(gui)
    screen = _documents(gui)
    screen.kinds.setFocus()
    _key(gui, Qt.Key.Key_Down)
    assert screen.chosen_kind().key == "attendance-sheets"
    assert not screen.group_box.isVisible(), "every group: no group to choose"
    for _field in range(3):  # the month, the language, then the blank box
        _key(gui, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is screen.options["blank"][1]
    _key(gui, Qt.Key.Key_Space)
    assert screen.options["blank"][1].isChecked()

    # Other work holds the worker thread: the job waits behind it, its dialog shows.
    gate = threading.Event()
    gui.runner.run(gate.wait)
    target = tmp_path / "every group.pdf"
    try:
        QTest.keyClick(
            QApplication.focusWidget(), Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier
        )
        save_dialog = screen.actions.save_dialog
        assert save_dialog is not None
        # Typed and accepted without waiting: the worker is held until the job is stopped.
        save_dialog.findChild(QLineEdit, "fileNameEdit").setText(str(target))
        save_dialog.accept()
        _stop_when_shown(screen, qtbot)
    finally:
        gate.set()
    gui.wait()
    assert not target.exists()
    assert [p.name for p in tmp_path.iterdir() if p.suffix == ".tmp"] == []
    assert not gui.message_boxes

    # A window manager gives the window back its focus; the offscreen platform does not.
    gui.window.activateWindow()
    assert QTest.qWaitForWindowActive(gui.window)
    _key(gui, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert screen.actions.save_dialog is not save_dialog and screen.actions.save_dialog.isVisible()
    save_as(gui, screen.actions.save_dialog, target)
    cli = _cli_pdf(tmp_path, "cli.pdf", "--all-groups", "--blank")
    assert target.read_bytes() == cli.read_bytes()
    assert not gui.message_boxes


def test_a_file_that_cannot_be_written_is_said_so(gui: Gui, tmp_path: Path) -> None:
    _demo(gui)
    screen = _documents(gui)
    target = tmp_path / "no such folder" / "sheet.pdf"
    screen.save_to(target)
    gui.wait()
    assert not target.parent.exists()
    assert len(gui.message_boxes) == 1
    _kind, _title, text = gui.message_boxes[0]
    assert str(target) in text


def test_no_group_no_document(gui: Gui) -> None:
    screen = _documents(gui)
    assert screen.no_groups.isVisible()
    assert not any(button.isEnabled() for button in screen.actions.buttons)
    screen.kinds.setFocus()
    _key(gui, Qt.Key.Key_Return)
    assert screen.actions.preview is None


def test_the_attendance_screen_prints_the_month_shown(gui: Gui) -> None:
    _demo(gui)
    screen = gui.show("attendance")
    assert isinstance(screen, AttendanceScreen)
    screen.group_box.setCurrentIndex(screen.group_box.findText(WIDE_GROUP))
    gui.wait()
    screen.grid.setFocus()
    assert screen.print_button.toolTip().strip("\u2066\u2069") == "Ctrl+P"
    _key(gui, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    preview = screen.preview
    assert preview is not None and preview.isVisible()
    settle(gui, preview.preview)
    assert preview.preview.page_count >= 1
    assert all(page.size_in_points.landscape for page in preview.preview.pages)
    assert WIDE_GROUP in preview.windowTitle()


def test_the_start_screen_leads_to_the_documents(gui: Gui) -> None:
    home = gui.show("home")
    assert isinstance(home, HomeScreen)
    buttons = [
        b for b in home.documents_card.findChildren(QPushButton) if b.text() == _("Open documents")
    ]
    assert len(buttons) == 1
    buttons[0].click()
    gui.wait()
    assert gui.window.current_screen() is gui.window.screens["documents"]


@pytest.mark.parametrize("gui", ["fr", "ar"], indirect=True)
def test_the_screen_and_its_preview_speak_the_language_of_the_window(gui: Gui) -> None:
    _demo(gui)
    screen = _documents(gui)
    # The documents, then the certificates.
    labels = [_(kind.label) for kind in DOCUMENTS] + [_("Certificates")]
    assert [screen.kinds.item(row).text() for row in range(screen.kinds.count())] == labels
    screen.show_preview()
    gui.wait()
    assert screen.actions.preview is not None
    settle(gui, screen.actions.preview.preview)
    offenders = _offenders(gui.window, _left_over(gui.language, side=0))
    assert not offenders, f"untranslated in {gui.language}:\n" + "\n".join(offenders)
    wanted = (
        Qt.LayoutDirection.RightToLeft if gui.language == "ar" else Qt.LayoutDirection.LeftToRight
    )
    assert screen.layoutDirection() == screen.actions.preview.layoutDirection() == wanted


def test_the_monthly_report_is_saved_as_the_cli_writes_it(gui: Gui, tmp_path: Path) -> None:
    _demo(gui)
    screen = _documents(gui)
    screen.kinds.setFocus()
    _key(gui, Qt.Key.Key_Home)
    while screen.chosen_kind().key != "monthly-report":
        _key(gui, Qt.Key.Key_Down)
    assert not screen.group_box.isVisible(), "a report of the whole centre: no group"
    _key(gui, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert screen.actions.save_dialog is not None and screen.actions.save_dialog.isVisible()
    saved = tmp_path / "report.pdf"
    save_as(gui, screen.actions.save_dialog, saved)
    cli = tmp_path / "cli-report.pdf"
    subprocess.run(
        [sys.executable, "-m", "app", "--db", str(tmp_path / "centre.sqlite"), "pdf",
         "summary", "--month", MONTH, "--lang", "ar", "-o", str(cli)],
        env={**os.environ, "SIJILL_TODAY": TODAY.isoformat()},
        check=True,
        capture_output=True,
    )  # fmt: skip
    assert saved.read_bytes() == cli.read_bytes()
    assert not gui.message_boxes
