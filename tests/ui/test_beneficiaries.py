"""The beneficiaries screen, typed into as a coordinator would, Arabic included; what it
saved is read back through the services."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QHeaderView

from app.i18n import format_number, ngettext
from app.services import search_index
from app.services.beneficiaries import (
    BeneficiaryFilter,
    BeneficiaryInput,
    find_beneficiary_ids,
    register_beneficiary,
    search_beneficiaries,
)
from app.services.unit_of_work import UnitOfWork
from app.ui.screens.beneficiaries import BeneficiariesScreen
from app.ui.table_models.beneficiaries import CHUNK
from tests.integration.conftest import TODAY

from .driving import Gui, type_text


def _screen(gui: Gui) -> BeneficiariesScreen:
    screen = gui.show("beneficiaries")
    assert isinstance(screen, BeneficiariesScreen)
    return screen


def _type_person(screen: BeneficiariesScreen, qtbot: Any, *, cin: str) -> None:
    inputs = screen.form.inputs
    type_text(inputs["family_name_ar"], "العلوي")
    type_text(inputs["given_name_ar"], "فاطمة")
    qtbot.keyClicks(inputs["family_name_latin"], "Alaoui")
    qtbot.keyClicks(inputs["given_name_latin"], "Fatima")
    inputs["sex"].setFocus()
    qtbot.keyClick(inputs["sex"], Qt.Key.Key_Down)  # from "not given" to the first: female
    assert inputs["sex"].currentData() == "F"
    qtbot.keyClicks(inputs["birth_date"], "1995-03-04")
    qtbot.keyClicks(inputs["cin"], cin)


def _everyone(gui: Gui) -> list[Any]:
    return gui.ask(lambda uow: find_beneficiary_ids(uow, BeneficiaryFilter()))


def test_a_person_typed_in_the_form_is_saved_listed_and_found(gui: Gui, qtbot: Any) -> None:
    gui.add_person("خديجة", family="بنعلي")
    screen = _screen(gui)
    _type_person(screen, qtbot, cin="k 123456")
    assert screen.save_button.isEnabled()
    qtbot.mouseClick(screen.save_button, Qt.MouseButton.LeftButton)
    gui.wait()

    [saved] = gui.ask(lambda uow: search_beneficiaries(uow, "فاطمة"))
    assert (saved.family_name_ar, saved.given_name_ar, saved.sex, saved.cin) == (
        "العلوي",
        "فاطمة",
        "F",
        "K123456",
    )
    assert (saved.family_name_latin, saved.given_name_latin) == ("ALAOUI", "FATIMA")
    assert saved.birth_date.isoformat() == "1995-03-04"
    assert not screen.form.dirty
    assert screen.model.row_of(saved.id) >= 0, "the new person is in the list"
    assert screen.model.rowCount() == 2

    # Spelled with a final ه instead of ة, as people often type it.
    type_text(screen.search, "فاطمه")
    gui.wait()
    assert screen.model.rowCount() == 1
    assert screen.model.record_at(0).id == saved.id


def test_an_invalid_cin_is_shown_under_its_field_and_nothing_is_written(
    gui: Gui, qtbot: Any
) -> None:
    screen = _screen(gui)
    _type_person(screen, qtbot, cin="12345")
    qtbot.mouseClick(screen.save_button, Qt.MouseButton.LeftButton)
    gui.wait()

    message = screen.form.errors["cin"]
    assert message.isVisible()
    assert "12345" in message.text()
    assert not any(screen.form.errors[f].isVisible() for f in screen.form.errors if f != "cin")
    assert _everyone(gui) == []
    assert screen.form.dirty, "what was typed is still there to correct"


def test_unsaved_typing_survives_a_visit_to_another_screen(gui: Gui) -> None:
    screen = _screen(gui)
    type_text(screen.form.inputs["given_name_ar"], "سلمى")
    gui.show("groups")
    gui.show("home")
    assert _screen(gui) is screen
    assert screen.form.inputs["given_name_ar"].text() == "سلمى"
    assert screen.form.dirty
    assert gui.message_boxes == [], "moving between screens asks nothing"
    assert _everyone(gui) == []


def _ink_runs(image: QImage) -> list[tuple[int, int, int, int]]:
    """(first x, last x, top y, bottom y) of each run of columns holding text ink."""
    background = image.pixelColor(1, 1).lightness()
    runs: list[tuple[int, int, int, int]] = []
    for x in range(image.width()):
        ink = [
            y for y in range(image.height()) if image.pixelColor(x, y).lightness() < background - 90
        ]
        if not ink:
            continue
        if runs and runs[-1][1] == x - 1:
            first, _last, top, bottom = runs[-1]
            runs[-1] = (first, x, min(top, ink[0]), max(bottom, ink[-1]))
        else:
            runs.append((x, x, ink[0], ink[-1]))
    return runs


def _cut_at(screen: BeneficiariesScreen, column: int) -> str:
    """Where the "…" of the first row's cell is: its three dots are the outermost ink on
    that side, each a speck alone in its columns, all on one line."""
    table = screen.table
    rect = table.visualRect(screen.model.index(0, column))
    runs = _ink_runs(table.viewport().grab(rect).toImage())

    def dots(three: list[tuple[int, int, int, int]]) -> bool:
        small = all(last - first <= 3 and bottom - top <= 3 for first, last, top, bottom in three)
        return small and len({bottom for *_x, _top, bottom in three}) == 1

    sides = [side for side, three in (("left", runs[:3]), ("right", runs[-3:])) if dots(three)]
    assert len(sides) == 1, f"one end of the cell shows the dots: {runs}"
    return sides[0]


@pytest.mark.parametrize("gui", ["ar", "fr"], indirect=True)
def test_long_names_are_cut_at_their_own_end(gui: Gui) -> None:
    """In either window, an Arabic name too long for its cell loses its end on the left,
    a Latin one on the right: each keeps its beginning, where a reader looks first."""
    gui.add_person(
        "فاطمة الزهراء",
        family="بنعبد الجليل الوزاني الإدريسي",
        given_name_latin="Fatima-Zahra",
        family_name_latin="Benabdeljalil El Ouazzani",
    )
    screen = _screen(gui)
    header = screen.table.horizontalHeader()
    for column in (0, 1):
        header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
        screen.table.setColumnWidth(column, 150)
    gui.app.processEvents()
    assert screen.model.record_at(0).full_name_latin == "FATIMA-ZAHRA BENABDELJALIL EL OUAZZANI"
    assert _cut_at(screen, 0) == "left", "the Arabic name keeps its beginning, on the right"
    assert _cut_at(screen, 1) == "right", "the Latin name keeps its beginning, on the left"


def test_a_long_list_fills_in_as_it_is_scrolled_and_keeps_the_person_edited(gui: Gui) -> None:
    """The first page comes with the count; the rest arrives when scrolled to, in name
    order; the person being corrected stays chosen when the list is searched again."""
    given = ["سلمى", "خديجة", "نادية", "ليلى", "هدى", "زينب"]
    count = CHUNK * 2 + 30

    def add_people(uow: UnitOfWork) -> None:
        for n in range(count):
            data = BeneficiaryInput(
                family_name_ar="العلوي",
                given_name_ar=given[n % len(given)],
                sex="F",
                birth_date=f"19{60 + n % 40}-01-01",
            )
            register_beneficiary(uow, data, today=TODAY)

    gui.ask(add_people)
    screen = _screen(gui)
    everyone = _everyone(gui)
    assert screen.model.rowCount() == count
    assert screen.model.record_at(CHUNK) is None, "only the first page came with the count"

    screen.table.scrollToBottom()
    gui.app.processEvents()
    gui.wait()
    screen.table.scrollTo(screen.model.index(CHUNK + 10, 0))
    gui.app.processEvents()
    gui.wait()
    assert [screen.model.record_at(row).id for row in range(count)] == everyone

    # Choose someone far down; a search that still lists her keeps her chosen.
    late = count - 5
    screen.table.setCurrentIndex(screen.model.index(late, 0))
    chosen = screen.model.record_at(late)
    assert screen.form.editing == chosen
    type_text(screen.search, "العلوي")
    gui.wait()
    # A new result holds only its first page: her row was found by the search itself.
    assert screen.table.currentIndex().row() == late
    gui.app.processEvents()
    gui.wait()
    assert screen.model.record_at(late) == chosen, "her row is fetched and shown"
    assert screen.form.editing == chosen


def test_a_search_of_common_words_says_more_people_may_match(
    gui: Gui, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Typing "ف ا", whose every word begins more index rows than a page may check
    (here four), lists the first people in name order and says the list may go on;
    one more letter narrows it to a whole list, counted."""
    monkeypatch.setattr(search_index, "CHECKS", 4)
    for family in ("العلوي", "الإدريسي", "أمزيان", "التازي", "الحسني", "العمراني"):
        gui.add_person("فاطمة", family=family)
    screen = _screen(gui)
    type_text(screen.search, "ف ا")
    gui.wait()
    shown = screen.model.rowCount()
    assert 0 < shown < 6
    assert screen.count.text() == ngettext(
        "{n} person shown; more may match: type more of a name to narrow the list.",
        "{n} people shown; more may match: type more of a name to narrow the list.",
        shown,
    ).format(n=format_number(shown))
    type_text(screen.search, "لعل")
    gui.wait()
    assert screen.search.text() == "ف العل"
    assert screen.model.rowCount() == 1
    assert screen.count.text() == ngettext("{n} person", "{n} people", 1).format(n=format_number(1))
