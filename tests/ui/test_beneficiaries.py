"""The beneficiaries screen, typed into as a coordinator would, Arabic included; what it
saved is read back through the services."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt

from app.services.beneficiaries import BeneficiaryFilter, find_beneficiary_ids, search_beneficiaries
from app.ui.screens.beneficiaries import BeneficiariesScreen

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
