"""Certificates issued from the Documents screen on a demo centre whose keys are sealed
under a passphrase (a laptop with no keyring): last season's graduates saved as one PDF
(a page each, names and serials read back by poppler), a wrong passphrase asked again,
a reprint marked duplicate, a refusal said in plain words with nothing recorded, the
people the attendance rule leaves out named, an event's participants, a stop that
records nothing."""

from __future__ import annotations

import re
import subprocess
import threading
import unicodedata
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QFileDialog, QInputDialog, QProgressDialog

from app.i18n import _, format_number, ngettext
from app.services import document_settings, keys
from app.services.certificates import CertificateRecord, list_certificates
from app.services.demo import create_demo
from app.services.events import list_events, list_participants
from app.services.groups import group_members
from app.ui.screens.documents import DocumentsScreen
from app.ui.screens.sync import SyncScreen
from app.ui.widgets.certificate_panel import CertificatePanel
from app.ui.widgets.pdf_preview import PdfOutput
from tests.integration.conftest import TODAY

from .driving import Gui
from .test_pdf_preview import pdf_pages, save_as, settle
from .test_translations_ui import _left_over, _offenders

PASSPHRASE = "the centre's passphrase"
LAST_SEASON = "2025-2026"


@pytest.fixture(autouse=True)
def _laptop_without_keyring(no_keyring: None) -> None:
    """A laptop with no keyring: the register's keys are sealed under a passphrase."""
    PdfOutput.last_folder = None


class Passphrases:
    """What the person types in each passphrase box, and the questions she was asked."""

    def __init__(self) -> None:
        self.typed: list[str] = []
        self.asked: list[str] = []

    def answer(self, _parent: Any, _title: str, label: str, *_args: Any) -> tuple[str, bool]:
        self.asked.append(label)
        return self.typed.pop(0), True


@pytest.fixture
def passphrases(monkeypatch: pytest.MonkeyPatch) -> Passphrases:
    answers = Passphrases()
    monkeypatch.setattr(QInputDialog, "getText", staticmethod(answers.answer))
    return answers


def _demo(gui: Gui) -> None:
    """A demo centre with last season's graduates, its keys made under a passphrase."""
    register = gui.runner.register
    gui.runner.run(lambda: create_demo(register, seed=3, beneficiaries=60, months=15, today=TODAY))
    gui.wait()
    gui.ask(lambda uow: keys.unlock(uow, passphrase=PASSPHRASE).identity.key_id)
    gui.context.announce("group", "enrolment", "event")
    gui.wait()


def _text(pdf: Path) -> str:
    """The PDF's text as poppler reads it: letters folded, marks and spaces removed."""
    out = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    return re.sub(
        r"[\u200e\u200f\u202a-\u202e\u2066-\u2069\s]", "", unicodedata.normalize("NFKC", out)
    )


def _squeezed(text: str) -> str:
    return re.sub(r"\s", "", text)


def _key(gui: Gui, key: Qt.Key, modifiers: Any = Qt.KeyboardModifier.NoModifier) -> None:
    QTest.keyClick(QApplication.focusWidget(), key, modifiers)
    gui.wait()


def _certificates(gui: Gui) -> CertificatePanel:
    """The Documents screen, the certificates chosen from the list with the keyboard."""
    screen = gui.show("documents")
    assert isinstance(screen, DocumentsScreen)
    screen.kinds.setFocus()
    _key(gui, Qt.Key.Key_End)
    assert screen.on_certificates()
    panel = screen.certificates
    assert panel.isVisible() and not screen.form_panel.isVisible()
    return panel


def _issued(gui: Gui) -> list[CertificateRecord]:
    return gui.ask(list_certificates)


def _graduates(gui: Gui, panel: CertificatePanel) -> list[str]:
    """The Arabic names of who completed the group chosen."""
    group = panel.group_box.currentData()
    members = gui.ask(lambda uow: group_members(uow, group=group))
    return [m.full_name_ar for m in members if m.status == "completed"]


def test_last_seasons_graduates_are_issued_and_saved_with_the_passphrase(
    gui: Gui, tmp_path: Path, passphrases: Passphrases, qtbot: Any
) -> None:
    _demo(gui)
    panel = _certificates(gui)
    # End of training is offered first, for a group whose people completed it: on a new
    # season's first days, that is last season's.
    assert panel.kind() == "completion"
    assert LAST_SEASON in panel.group_box.currentText()
    names = _graduates(gui, panel)
    assert len(names) >= 10
    assert panel.person_box.currentData() is None, "everyone who completed, by default"
    assert panel.person_box.count() == len(names) + 1

    # A slip of the finger first: the box comes back saying why, then the right one.
    passphrases.typed += ["not the passphrase", PASSPHRASE]
    _key(gui, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    dialog = panel.actions.save_dialog
    assert dialog is not None and dialog.isVisible()
    assert LAST_SEASON in dialog.selectedFiles()[0], "the file's name says which group"
    saved = tmp_path / "graduates.pdf"
    save_as(gui, dialog, saved)
    assert len(passphrases.asked) == 2
    assert passphrases.asked[1].startswith(_("The passphrase does not open the register's keys."))

    issued = _issued(gui)
    assert len(issued) == len(names) == len(pdf_pages(saved))
    text = _text(saved)
    for name in names:
        assert _squeezed(name) in text
    for certificate in issued:
        assert certificate.serial in text
    assert text.count("حرربتازةفي22نونبر2026") == len(names)
    assert "نظير" not in text, "nothing printed before: no duplicate"
    assert str(saved) in panel.status.text()
    assert str(len(names)) in panel.status.text()
    assert not panel.error.isVisible()
    assert not gui.message_boxes

    # Printed again, previewed: the same serials, each page marked duplicate, and the
    # passphrase is not asked twice in one session.
    # A window manager gives the window back its focus; the offscreen platform does not.
    gui.window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is gui.window)
    panel.group_box.setFocus()
    _key(gui, Qt.Key.Key_Return)
    preview = panel.actions.preview
    assert preview is not None and preview.isVisible()
    settle(gui, preview.preview)
    assert preview.preview.page_count == len(names)
    again = tmp_path / "again.pdf"
    again.write_bytes(preview.output.data)
    assert _text(again).count("نظير") == len(names)
    assert sorted(c.serial for c in _issued(gui)) == sorted(c.serial for c in issued)
    assert len(passphrases.asked) == 2
    assert panel.status.text() == ngettext(
        "{n} certificate printed again, marked duplicate.",
        "{n} certificates printed again, marked duplicate.",
        len(names),
    ).format(n=format_number(len(names)))
    assert not gui.message_boxes


def test_a_refusal_is_said_in_plain_words_and_nothing_is_recorded(
    gui: Gui, passphrases: Passphrases
) -> None:
    _demo(gui)
    panel = _certificates(gui)
    # A group of this season: nobody has completed it yet.
    panel.group_box.setCurrentIndex(0)
    gui.wait()
    assert LAST_SEASON not in panel.group_box.currentText()
    passphrases.typed.append(PASSPHRASE)
    panel.actions.preview_button.click()
    gui.wait()
    assert panel.error.isVisible()
    group = panel.group_box.currentText().split(" — ")[0]
    assert panel.error.text() == _("Nobody has completed the training of {group} yet.").format(
        group=group
    )
    assert "Traceback" not in panel.error.text() and not gui.message_boxes
    assert panel.actions.preview is None
    assert _issued(gui) == []


def test_the_attendance_rule_names_who_it_leaves_out(gui: Gui, passphrases: Passphrases) -> None:
    _demo(gui)
    gui.ask(lambda uow: document_settings.change_documents(uow, min_attendance=90))
    panel = _certificates(gui)
    names = _graduates(gui, panel)
    passphrases.typed.append(PASSPHRASE)
    panel.actions.preview_button.click()
    gui.wait()
    issued = _issued(gui)
    left_out = len(names) - len(issued)
    assert 0 < left_out < len(names), "the demo's graduates came more or less often"
    status = panel.status.text()
    assert status.count("90 %") == left_out, status
    assert panel.actions.preview is not None and panel.actions.preview.isVisible()
    assert not gui.message_boxes


def test_the_passphrase_typed_on_the_sync_screen_opens_the_certificates_too(
    gui: Gui, passphrases: Passphrases, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """One passphrase per session: typed to save the register's identity on the Sync
    screen, it is not asked again to issue a certificate."""
    _demo(gui)
    identity = tmp_path / "identity.json"
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", staticmethod(lambda *_args: (str(identity), ""))
    )
    sync = gui.show("sync")
    assert isinstance(sync, SyncScreen)
    passphrases.typed.append(PASSPHRASE)
    sync.save_identity()
    gui.wait()
    assert keys.read_identity_file(identity.read_bytes()).role == "centre"
    assert len(passphrases.asked) == 1

    panel = _certificates(gui)
    panel.person_box.setCurrentIndex(1)
    panel.actions.preview_button.click()
    gui.wait()
    assert len(_issued(gui)) == 1
    assert len(passphrases.asked) == 1, "the passphrase is asked once in a session"
    assert not gui.message_boxes


def test_one_persons_certificate_and_an_events(gui: Gui, passphrases: Passphrases) -> None:
    _demo(gui)
    panel = _certificates(gui)
    passphrases.typed.append(PASSPHRASE)
    panel.person_box.setCurrentIndex(2)
    chosen = panel.person_box.currentText()
    panel.actions.preview_button.click()
    gui.wait()
    issued = _issued(gui)
    assert [c.holder_name for c in issued] == [chosen]
    assert chosen in panel.actions.preview.windowTitle()

    # An event that has taken place: a page for each participant and speaker.
    panel.kind_box.setCurrentIndex(panel.kind_box.findData("participation"))
    assert panel.event_box.isVisible() and not panel.group_box.isVisible()
    event = gui.ask(lambda uow: list_events(uow)[0])
    people = gui.ask(lambda uow: list_participants(uow, event=event.id))
    assert panel.event_box.currentData() == str(event.id)
    panel.actions.preview_button.click()
    gui.wait()
    assert panel.actions.preview is not None
    shown = panel.actions.preview.preview
    settle(gui, shown)
    assert shown.page_count == len(people) == event.participants + event.speakers
    assert len(passphrases.asked) == 1
    assert not gui.message_boxes


def test_a_stopped_batch_records_nothing(
    gui: Gui, tmp_path: Path, passphrases: Passphrases, qtbot: Any
) -> None:
    _demo(gui)
    panel = _certificates(gui)
    passphrases.typed.append(PASSPHRASE)
    target = tmp_path / "stopped.pdf"
    # Other work holds the worker thread: the job waits behind it, its dialog shows.
    gate = threading.Event()
    gui.runner.run(gate.wait)
    try:
        panel.save_to(target)
        qtbot.waitUntil(
            lambda: any(d.isVisible() for d in panel.findChildren(QProgressDialog)), timeout=5000
        )
        progress = next(d for d in panel.findChildren(QProgressDialog) if d.isVisible())
        # Its Esc key is a shortcut of the active window: a window manager makes the
        # dialog shown active, the offscreen platform only when asked.
        progress.activateWindow()
        qtbot.waitUntil(lambda: QApplication.activeWindow() is progress)
        QTest.keyClick(progress, Qt.Key.Key_Escape)
        assert progress.wasCanceled()
    finally:
        gate.set()
    gui.wait()
    assert not target.exists()
    assert _issued(gui) == []
    assert panel.status.text() == _("Stopped: no certificate was issued.")
    assert not gui.message_boxes


@pytest.mark.parametrize("gui", ["fr", "ar"], indirect=True)
def test_no_english_is_left_on_the_certificates_card(gui: Gui, passphrases: Passphrases) -> None:
    _demo(gui)
    panel = _certificates(gui)
    passphrases.typed.append(PASSPHRASE)
    panel.actions.preview_button.click()
    gui.wait()
    assert panel.actions.preview is not None
    settle(gui, panel.actions.preview.preview)
    for kind in range(panel.kind_box.count()):
        panel.kind_box.setCurrentIndex(kind)
        offenders = _offenders(gui.window.screens["documents"], _left_over(gui.language, side=0))
        assert not offenders, f"untranslated in {gui.language}:\n" + "\n".join(offenders)
    assert "?" not in panel.status.text()
