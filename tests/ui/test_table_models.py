"""Every table model of the window honours Qt's model contract, with real rows loaded."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt

from app.services.groups import add_group, end_enrolment, enrol
from app.ui.screens.beneficiaries import BeneficiariesScreen
from app.ui.screens.groups import GroupsScreen
from tests.integration.conftest import TODAY

from .driving import Gui, type_text


def test_the_table_models_pass_the_model_tester(gui: Gui, qtbot: Any, qtmodeltester: Any) -> None:
    people = [
        gui.add_person(name, cin=cin)
        for name, cin in (("فاطمة", "K1"), ("خديجة", "K2"), ("سلمى", None))
    ]
    for name, capacity in (("الخياطة أ", 2), ("الخياطة ب", 1), ("الخياطة ج", None)):
        gui.ask(
            lambda uow, n=name, c=capacity: add_group(
                uow, programme="EFT-COU", name=n, days="mon,thu", hours="09:00-12:00", capacity=c
            )
        )
    gui.ask(
        lambda uow: enrol(
            uow, group="الخياطة أ", beneficiaries=[str(p.id) for p in people[:2]], today=TODAY
        )
    )
    gui.ask(
        lambda uow: enrol(uow, group="الخياطة ب", beneficiaries=[str(people[2].id)], today=TODAY)
    )
    gui.ask(
        lambda uow: end_enrolment(
            uow,
            group="الخياطة أ",
            beneficiary="K2",
            outcome="dropped",
            reason="سفر",
            end_date=TODAY,
        )
    )

    listed = gui.show("beneficiaries")
    assert isinstance(listed, BeneficiariesScreen)
    assert listed.model.rowCount() == 3
    qtmodeltester.check(listed.model)

    screen = gui.show("groups")
    assert isinstance(screen, GroupsScreen)
    type_text(screen.people.search, "العلوي")
    qtbot.keyClick(screen.people.search, Qt.Key.Key_Return)
    gui.wait()
    assert screen.group_model.rowCount() == 3
    assert screen.member_model.rowCount() == 2
    assert screen.people.model.rowCount() == 3
    for model in (screen.group_model, screen.member_model, screen.people.model):
        qtmodeltester.check(model)
    # Only the full group is drawn in the alert colour.
    alert = [
        screen.group_model.index(row, 3).data(Qt.ItemDataRole.ForegroundRole) is not None
        for row in range(3)
    ]
    assert alert == [False, True, False]
