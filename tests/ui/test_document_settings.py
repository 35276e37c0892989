"""The Documents card of the Settings screen, typed into with the keyboard: a header line
added reaches the next printed document; refusals come back under their own field with
nothing saved; a logo chosen with the file dialog is kept in the register, then removed;
the attendance rule of the certificates set and turned off; no English left in either
language."""

from __future__ import annotations

import re
import subprocess
import unicodedata
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLineEdit

from app.i18n import _
from app.services.document_settings import (
    DEFAULT_HEADER,
    certificate_rules,
    document_template,
)
from app.ui.screens.documents import DocumentsScreen
from app.ui.screens.settings import SettingsScreen
from app.ui.widgets.document_template_form import DocumentTemplateForm

from .driving import Gui, type_text
from .test_translations_ui import _left_over, _offenders

NEW_LINE = "مصلحة العمل الاجتماعي"


def _key(gui: Gui, key: Qt.Key, modifiers: Any = Qt.KeyboardModifier.NoModifier) -> None:
    QTest.keyClick(QApplication.focusWidget(), key, modifiers)
    gui.wait()


def _form(gui: Gui) -> tuple[SettingsScreen, DocumentTemplateForm]:
    screen = gui.show("settings")
    assert isinstance(screen, SettingsScreen)
    return screen, screen.documents


def _text(pdf: Path) -> str:
    out = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    folded = unicodedata.normalize("NFKC", out)
    return re.sub(r"[\u200e\u200f\u202a-\u202e\u2066-\u2069\s]", "", folded)


def _squeezed(text: str) -> str:
    return re.sub(r"\s", "", text)


def test_a_header_line_added_is_on_the_next_document(gui: Gui, tmp_path: Path) -> None:
    _screen, form = _form(gui)
    form.header_ar.setFocus()
    _key(gui, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    _key(gui, Qt.Key.Key_Return)
    type_text(form.header_ar, NEW_LINE)
    # Ctrl+S saves the card the cursor is in.
    _key(gui, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert form.saved.isVisible()
    template = gui.ask(document_template)
    assert template.header_ar[-1] == NEW_LINE and len(template.header_ar) == 5
    # Only what was changed is stored: the French lines are still the defaults.
    assert "header_fr" in template.defaults and "header_ar" not in template.defaults
    assert not gui.message_boxes

    documents = gui.show("documents")
    assert isinstance(documents, DocumentsScreen)
    documents.choose("monthly-report")
    gui.wait()
    report = tmp_path / "report.pdf"
    documents.save_to(report)
    gui.wait()
    text = _text(report)
    assert _squeezed(NEW_LINE) in text
    assert "المملكةالمغربية" in text, "the lines before it are still printed"


def test_refusals_come_back_under_their_field_and_nothing_is_saved(gui: Gui) -> None:
    _screen, form = _form(gui)
    before = gui.ask(document_template)
    form.header_fr.setPlainText("")
    type_text(form.signatories[2][0], "الكاتب العام")
    form.save_button.click()
    gui.wait()
    header = form.messages.label("header_fr")
    signatories = form.messages.label("signatories")
    assert header.isVisible() and signatories.isVisible()
    assert header.text() == _("Give from 1 to {count} header lines.").format(count=6)
    assert not form.saved.isVisible()
    assert form.signatories[2][0].text() == "الكاتب العام", "what was typed is still there"
    assert gui.ask(document_template) == before
    assert not gui.message_boxes

    # Put right, the same card saves, and the messages go.
    type_text(form.signatories[2][1], "Le secrétaire général")
    form.header_fr.setPlainText("Royaume du Maroc")
    form.save_button.click()
    gui.wait()
    assert not header.isVisible() and not signatories.isVisible()
    template = gui.ask(document_template)
    assert template.header_fr == ("Royaume du Maroc",)
    assert [s.title_fr for s in template.signatories][-1] == "Le secrétaire général"


def test_a_logo_is_chosen_with_the_file_dialog_then_removed(gui: Gui, tmp_path: Path) -> None:
    _screen, form = _form(gui)
    assert not form.remove_logo_button.isEnabled()
    not_an_image = tmp_path / "logo.png"
    not_an_image.write_text("not an image")
    logo = tmp_path / "entraide.png"
    Image.new("RGB", (300, 200), (31, 111, 120)).save(logo)

    for path in (not_an_image, logo):
        form.choose_logo_button.click()
        dialog = form.logo_dialog
        assert dialog is not None and dialog.isVisible()
        dialog.findChild(QLineEdit, "fileNameEdit").setText(str(path))
        dialog.accept()
        gui.wait()
        assert form.logo_name.text() == path.name
        form.save_button.click()
        gui.wait()
        if path is not_an_image:
            refusal = form.messages.label("logo")
            assert refusal.isVisible() and str(not_an_image) in refusal.text()
            assert gui.ask(document_template).logo_png is None
    assert form.saved.isVisible()
    kept = gui.ask(document_template).logo_png
    assert kept is not None and kept.startswith(b"\x89PNG")
    assert form.logo_picture.isVisible() and form.remove_logo_button.isEnabled()

    form.remove_logo_button.click()
    form.save_button.click()
    gui.wait()
    assert gui.ask(document_template).logo_png is None
    assert not form.logo_picture.isVisible()
    assert not gui.message_boxes


def test_the_certificates_attendance_rule_is_set_then_turned_off(gui: Gui) -> None:
    _screen, form = _form(gui)
    assert form.min_attendance.value() == 0
    assert form.min_attendance.text() == _("no rule")
    form.min_attendance.setFocus()
    for _step in range(15):  # 5 % a step
        _key(gui, Qt.Key.Key_Up)
    _key(gui, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert gui.ask(certificate_rules).min_attendance == 75
    _key(gui, Qt.Key.Key_PageDown)  # ten steps down: to 25, then to "no rule"
    _key(gui, Qt.Key.Key_PageDown)
    assert form.min_attendance.value() == 0
    _key(gui, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert gui.ask(certificate_rules).min_attendance is None
    assert form.saved.isVisible()


def test_back_to_the_defaults_asks_first(gui: Gui, monkeypatch: pytest.MonkeyPatch) -> None:
    from PySide6.QtWidgets import QMessageBox

    _screen, form = _form(gui)
    form.place_ar.setText("تاونات")
    form.save_button.click()
    gui.wait()
    assert gui.ask(document_template).place_ar == "تاونات"
    # The answer "Cancel" (the test window's default) keeps everything.
    form.default_button.click()
    gui.wait()
    assert gui.message_boxes[-1][0] == "question"
    assert gui.ask(document_template).place_ar == "تاونات"
    monkeypatch.setattr(
        QMessageBox, "question", staticmethod(lambda *_a: QMessageBox.StandardButton.Yes)
    )
    form.default_button.click()
    gui.wait()
    template = gui.ask(document_template)
    assert template.place_ar != "تاونات" and "place_ar" in template.defaults
    assert form.place_ar.text() == template.place_ar


@pytest.mark.parametrize("gui", ["fr", "ar"], indirect=True)
def test_no_english_is_left_on_the_card(gui: Gui) -> None:
    screen, form = _form(gui)
    form.choose_logo_button.click()
    assert form.logo_dialog is not None
    offenders = _offenders(screen, _left_over(gui.language, side=0))
    assert not offenders, f"untranslated in {gui.language}:\n" + "\n".join(offenders)
    form.logo_dialog.reject()
    # The default lines are shown in their own language, whatever the window's.
    assert form.header_fr.toPlainText().startswith("Royaume du Maroc")
    assert form.header_ar.toPlainText().startswith("المملكة المغربية")
    assert len(form.header_ar.toPlainText().splitlines()) == len(DEFAULT_HEADER)
