"""The start screen: the register's figures, today's groups cut to their first lines on
a busy day, then who may be dropping out."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtWidgets import QLabel

from app.i18n import _, format_number
from app.services.groups import add_group
from app.ui.screens.home import SHOWN, HomeScreen
from app.ui.widgets.card import Card
from tests.integration.conftest import TODAY

from .driving import Gui


def _lines(card: Card) -> list[str]:
    widgets = [card.body.itemAt(n).widget() for n in range(card.body.count())]
    return [widget.text() for widget in widgets if isinstance(widget, QLabel)]


def test_a_busy_day_shows_the_first_groups_and_how_many_more(
    gui: Gui, monkeypatch: pytest.MonkeyPatch
) -> None:
    names = [f"الخياطة {n:02d}" for n in range(1, SHOWN + 3)]
    for name in names:
        gui.ask(
            lambda uow, n=name: add_group(
                uow, programme="EFT-COU", name=n, days="mon,wed", hours="09:00-12:00"
            )
        )
    gui.add_person("سلمى")
    monkeypatch.setenv("SIJILL_TODAY", (TODAY + dt.timedelta(days=1)).isoformat())  # a Monday
    gui.context.announce("group", "beneficiary")
    home = gui.show("home")
    assert isinstance(home, HomeScreen) and home._data is not None

    assert (home._data.groups, home._data.beneficiaries) == (SHOWN + 2, 1)
    lines = _lines(home.today_card)
    assert len(lines) == SHOWN + 1
    for name, line in zip(names, lines[:SHOWN], strict=False):
        assert line.startswith(name)
    assert lines[-1] == _("and {n} more").format(n=format_number(2))
    assert _lines(home.risk_card)[0] == _("Nobody is at risk of dropping out this month.")
