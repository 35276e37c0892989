"""The import wizard on the real window: a list brought in as a coordinator would, page by
page, with the keyboard; refusals shown with their reasons; each page drawn in Arabic
and in French."""

from __future__ import annotations

import datetime as dt
import struct
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QWizard

from app.i18n import _
from app.services import groups
from app.services.beneficiaries import BeneficiaryFilter, find_beneficiary_ids
from app.ui.screens.beneficiaries import BeneficiariesScreen
from app.ui.widgets.import_wizard import ImportWizard
from tests.integration.spreadsheets import sheet_rows, write_xlsx

from .driving import Gui

SEWING = "الخياطة أ"
HEADER = ["ر.ت", "النسب", "الاسم", "Nom", "Prénom", "الجنس", "تاريخ الازدياد", "ب.ت.و", "الفوج"]
ROWS = [
    [1, "العلوي", "فاطمة", "ALAOUI", "FATIMA", "أنثى", "04/03/1995", "K 123456", SEWING],
    [2, "بنعلي", "خديجة", "BENALI", "KHADIJA", "F", dt.datetime(2001, 2, 3), None, SEWING],
    [3, "الإدريسي", "أمينة", None, None, "أنثى", "31/02/2001", None, None],
    [4, "التازي", "سعاد", "TAZI", "SOUAD", "؟", "01/01/1985", "12", None],
    [5, "العلوي", "فاطمة", "ALAOUI", "FATIMA", "F", "1995-03-04", "K123456", None],
    [6, "السقاط", "نادية", "SQATT", "NADIA", "أنثى", "02/03/1988", None, None],
]


def _list(folder: Path, rows: list[list[object]] = ROWS) -> Path:
    return write_xlsx(
        folder / "لائحة المستفيدات.xlsx",
        [["مركز التربية والتكوين — لائحة المستفيدات 2026-2027"], HEADER, *rows],
        merges=("A1:I1",),
    )


def _screen(gui: Gui) -> BeneficiariesScreen:
    screen = gui.show("beneficiaries")
    assert isinstance(screen, BeneficiariesScreen)
    return screen


def _open(gui: Gui, qtbot: Any) -> ImportWizard:
    screen = _screen(gui)
    gui.window.activateWindow()
    gui.app.processEvents()
    screen.search.setFocus()
    qtbot.keyClick(screen.search, Qt.Key.Key_I, Qt.KeyboardModifier.ControlModifier)
    wizard = screen.import_wizard
    assert wizard is not None and wizard.isVisible(), "Ctrl+I opens the wizard"
    return wizard


def _choose_file(gui: Gui, qtbot: Any, wizard: ImportWizard, path: Path) -> None:
    box = wizard.file_page.path
    box.setText(str(path))
    qtbot.keyClick(box, Qt.Key.Key_Return)
    gui.wait()


def _next(gui: Gui, qtbot: Any, wizard: ImportWizard) -> None:
    button = wizard.button(
        QWizard.WizardButton.CommitButton
        if wizard.currentPage().isCommitPage()
        else QWizard.WizardButton.NextButton
    )
    assert button.isEnabled()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    gui.wait()


def _people(gui: Gui) -> list[Any]:
    return gui.ask(lambda uow: find_beneficiary_ids(uow, BeneficiaryFilter()))


def _with_sewing(gui: Gui) -> None:
    gui.ask(
        lambda uow: groups.add_group(
            uow, programme="EFT-COU", name=SEWING, days="mon,wed", capacity=20
        )
    )


def test_a_list_with_refused_rows_is_imported_valid_rows_only(
    gui: Gui, qtbot: Any, tmp_path: Path
) -> None:
    _with_sewing(gui)
    path = _list(tmp_path)
    wizard = _open(gui, qtbot)
    next_button = wizard.button(QWizard.WizardButton.NextButton)
    assert not next_button.isEnabled(), "nothing chosen yet"

    _choose_file(gui, qtbot, wizard, path)
    assert "2" in wizard.file_page.found.text() and "6" in wizard.file_page.found.text()
    _next(gui, qtbot, wizard)

    page = wizard.mapping_page
    assert page.mapping() == (
        None,
        "family_name_ar",
        "given_name_ar",
        "family_name_latin",
        "given_name_latin",
        "sex",
        "birth_date",
        "cin",
        "group",
    )
    page.choose("D", None)  # the coordinator does not want the Latin names
    page.choose("E", None)
    _next(gui, qtbot, wizard)

    check = wizard.check_page
    assert check.checked is not None
    assert [p.row for p in check.problems_model.records()] == [5, 6, 6, 7]
    reasons = {(p.row, p.column): p.message for p in check.problems_model.records()}
    assert "31/02/2001" in reasons[(5, "G — تاريخ الازدياد")]
    assert reasons[(7, "H — ب.ت.و")] == _("The same ID number as row {row}.").format(row=3)
    assert check.report.isVisible()
    report = tmp_path / "لائحة المستفيدات - الصفوف المرفوضة.xlsx"
    assert report.name in check.report.text()
    assert [r[0] for r in sheet_rows(report)[1:]] == [5, 6, 6, 7]
    commit = wizard.button(QWizard.WizardButton.CommitButton)
    assert not commit.isEnabled(), "all or nothing unless asked"
    assert _people(gui) == []

    check.valid_only.setFocus()
    qtbot.keyClick(check.valid_only, Qt.Key.Key_Space)
    assert commit.isEnabled()
    _next(gui, qtbot, wizard)

    done = wizard.done_page
    assert done.result is not None
    assert (done.result.registered, done.result.enrolled, done.result.left_out) == (3, 2, 3)
    assert not wizard.button(QWizard.WizardButton.BackButton).isEnabled()
    found = gui.ask(lambda uow: find_beneficiary_ids(uow, BeneficiaryFilter(text="فاطمة")))
    assert len(found) == 1
    people = gui.ask(lambda uow: groups.group_members(uow, group=SEWING))
    assert {p.given_name_ar for p in people} == {"فاطمة", "خديجة"}
    assert {p.family_name_latin for p in people} == {None}, "columns D and E were left out"
    screen = _screen(gui)
    gui.wait()
    assert screen.model.rowCount() == 3, "the list shows the people imported"
    qtbot.mouseClick(wizard.button(QWizard.WizardButton.FinishButton), Qt.MouseButton.LeftButton)
    assert not wizard.isVisible()

    # The next list with the same columns starts from the columns as corrected.
    again = _open(gui, qtbot)
    assert again is not wizard
    _choose_file(gui, qtbot, again, path)
    _next(gui, qtbot, again)
    assert again.mapping_page.mapping()[3:5] == (None, None)
    assert not again.mapping_page.remembered.isHidden()


def test_a_file_that_is_no_list_is_said_on_the_first_page(
    gui: Gui, qtbot: Any, tmp_path: Path
) -> None:
    path = tmp_path / "صورة.xlsx"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    wizard = _open(gui, qtbot)
    _choose_file(gui, qtbot, wizard, path)
    assert wizard.file_page.error.isVisible()
    assert "صورة.xlsx" in wizard.file_page.error.text()
    assert not wizard.button(QWizard.WizardButton.NextButton).isEnabled()
    wizard.reject()
    assert not wizard.isVisible()
    assert _people(gui) == []


def test_a_missing_column_is_said_on_the_mapping_page(gui: Gui, qtbot: Any, tmp_path: Path) -> None:
    wizard = _open(gui, qtbot)
    _choose_file(gui, qtbot, wizard, _list(tmp_path))
    _next(gui, qtbot, wizard)
    wizard.mapping_page.choose("G", None)
    qtbot.mouseClick(wizard.button(QWizard.WizardButton.NextButton), Qt.MouseButton.LeftButton)
    gui.wait()
    assert wizard.currentPage() is wizard.mapping_page
    assert wizard.mapping_page.error.isVisible()
    assert "تاريخ الازدياد" in wizard.mapping_page.error.text()


def test_cancelling_the_import_writes_nothing(gui: Gui, qtbot: Any, tmp_path: Path) -> None:
    rows = [
        [n, "العلوي", f"فاطمة {n}", None, None, "أنثى", "04/03/1995", None, None]
        for n in range(3000)
    ]
    wizard = _open(gui, qtbot)
    _choose_file(gui, qtbot, wizard, _list(tmp_path, rows))
    _next(gui, qtbot, wizard)
    _next(gui, qtbot, wizard)
    assert len(wizard.check_page.people_model.records()) == 200, "the first people shown"
    qtbot.mouseClick(wizard.button(QWizard.WizardButton.CommitButton), Qt.MouseButton.LeftButton)
    wizard.reject()  # Esc or Cancel while the import runs
    gui.wait()
    assert not wizard.isVisible()
    assert _people(gui) == []


def test_export_from_the_menu(
    gui: Gui, qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    gui.add_person("فاطمة", cin="K123456")
    screen = _screen(gui)
    target = tmp_path / "المستفيدون"
    monkeypatch.setattr(
        QFileDialog,
        "getSaveFileName",
        staticmethod(lambda *_args: (str(target), "Excel (*.xlsx)")),
    )
    screen.export_actions["beneficiaries"].trigger()
    gui.wait()
    saved = target.with_name("المستفيدون.xlsx")
    rows = sheet_rows(saved)
    assert [r[1] for r in rows[1:]] == ["فاطمة"]
    assert gui.message_boxes[-1][0] == "information"
    assert str(saved) in gui.message_boxes[-1][2]


def _png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


@pytest.mark.parametrize("gui", ["ar", "fr"], indirect=True)
def test_every_page_is_drawn(gui: Gui, qtbot: Any, tmp_path: Path) -> None:
    _with_sewing(gui)
    wizard = _open(gui, qtbot)
    pictures = []

    def grab(name: str) -> None:
        picture = tmp_path / f"import-{name}-{gui.language}.png"
        assert wizard.grab().save(str(picture))
        pictures.append(picture)

    _choose_file(gui, qtbot, wizard, _list(tmp_path))
    grab("1-file")
    _next(gui, qtbot, wizard)
    grab("2-columns")
    _next(gui, qtbot, wizard)
    grab("3-check")
    wizard.check_page.valid_only.setChecked(True)
    _next(gui, qtbot, wizard)
    grab("4-done")
    rtl = gui.language == "ar"
    assert wizard.isRightToLeft() == rtl
    for picture in pictures:
        width, height = _png_size(picture)
        assert (width, height) == (wizard.width(), wizard.height())
        assert picture.stat().st_size > 8_000, picture.name
