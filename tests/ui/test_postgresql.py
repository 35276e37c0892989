"""The window on a PostgreSQL register: people found as they are typed, groups and their
members, the start screen's figures, as on SQLite; and `sijill --db postgresql://… gui
--screenshot` drawing its screens."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt

from app.services.beneficiaries import BeneficiaryInput, register_beneficiary
from app.services.groups import add_group, enrol, group_members
from app.ui.screens.beneficiaries import BeneficiariesScreen
from app.ui.screens.groups import GroupsScreen
from app.ui.screens.home import HomeScreen
from tests.integration.conftest import TODAY, make_centre

from .driving import Gui, type_text


@pytest.fixture
def register_location(pg_database_url: str) -> str:
    return pg_database_url


def test_people_are_found_and_enrolled_on_postgresql(gui: Gui, qtbot: Any) -> None:
    fatima = gui.add_person(
        "فاطمة الزهراء",
        family="الإدريسي",
        given_name_latin="Fatima Zahra",
        family_name_latin="El Idrissi",
        cin="K1",
    )
    khadija = gui.add_person("خديجة", family="بنعلي", cin="K2")
    gui.add_person("سلمى", family="العلوي", cin="K3")
    group = gui.ask(
        lambda uow: add_group(
            uow, programme="EFT-COU", name="الخياطة أ", days="mon,wed", hours="09:00-12:00"
        )
    )
    gui.ask(lambda uow: enrol(uow, group="الخياطة أ", beneficiaries=["K2"], today=TODAY))
    gui.context.announce("beneficiary", "group", "enrolment")

    home = gui.show("home")
    assert isinstance(home, HomeScreen) and home._data is not None
    assert (home._data.beneficiaries, home._data.groups) == (3, 1)
    assert home._at_risk == ()

    screen = gui.show("beneficiaries")
    assert isinstance(screen, BeneficiariesScreen)
    assert screen.model.rowCount() == 3
    # Folded as on SQLite: ه for ة, the article left out, Latin in any case.
    for typed in ("فاطمه", "ادريس", "zahra idr", "k1"):
        screen.search.clear()
        type_text(screen.search, typed)
        gui.wait()
        assert screen.model.rowCount() == 1, typed
        assert screen.model.record_at(0).id == fatima.id, typed
    screen.search.clear()
    type_text(screen.search, "ف ا")
    gui.wait()
    assert [screen.model.record_at(r).id for r in range(screen.model.rowCount())] == [fatima.id]
    screen.status.setCurrentIndex(screen.status.findData("active"))
    screen.search.clear()
    gui.wait()
    assert [screen.model.record_at(r).id for r in range(screen.model.rowCount())] == [khadija.id]

    groups = gui.show("groups")
    assert isinstance(groups, GroupsScreen)
    chosen = groups.chosen_group()
    assert chosen is not None and chosen.id == group.id
    assert groups.member_model.rowCount() == 1
    type_text(groups.people.search, "فاطمه")
    qtbot.keyClick(groups.people.search, Qt.Key.Key_Return)
    gui.wait()
    assert groups.people.model.rowCount() == 1
    groups.people.table.selectAll()
    qtbot.mouseClick(groups.enrol_button, Qt.MouseButton.LeftButton)
    gui.wait()
    members = gui.ask(lambda uow: group_members(uow, group=str(group.id)))
    assert {m.beneficiary_id for m in members} == {fatima.id, khadija.id}
    assert groups.member_model.rowCount() == 2


@pytest.mark.parametrize("screen", ["beneficiaries", "groups"])
def test_the_gui_command_draws_a_postgresql_register(
    register_location: str, tmp_path: Path, screen: str
) -> None:
    register = make_centre(register_location)
    with register.unit_of_work() as uow:
        register_beneficiary(
            uow,
            BeneficiaryInput(
                family_name_ar="العلوي", given_name_ar="فاطمة", sex="F", birth_date="1995-03-04"
            ),
            today=TODAY,
        )
        add_group(uow, programme="EFT-COU", name="الخياطة أ", days="mon,wed")
    register.close()
    out = tmp_path / f"{screen}.png"
    command = ["--db", register_location, "gui", "--screen", screen, "--screenshot", str(out)]
    drawn = subprocess.run(
        [sys.executable, "-m", "app", *command],
        env={**os.environ, "SIJILL_TODAY": TODAY.isoformat(), "QT_QPA_PLATFORM": "offscreen"},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert drawn.returncode == 0, drawn.stderr
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert out.stat().st_size > 20_000, "the screen is drawn, not left blank"
