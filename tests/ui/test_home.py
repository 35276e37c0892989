"""The start screen: the register's figures, today's groups cut to their first lines on
a busy day, then who may be dropping out."""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Callable
from typing import Any

import pytest
from PySide6.QtWidgets import QLabel

from app.i18n import _, format_number
from app.services.at_risk import group_slices, people_at_risk
from app.services.beneficiaries import first_page
from app.services.groups import add_group
from app.services.unit_of_work import UnitOfWork
from app.ui.screens import beneficiaries as beneficiaries_screen
from app.ui.screens import home as home_screen
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


def test_a_search_typed_while_the_start_screen_looks_for_dropouts_does_not_wait_for_it(
    gui: Gui, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Who may be dropping out is looked for a slice of groups per piece of background
    work (here one group each): a search typed meanwhile is answered after the slice
    under way, before the next, and the list put together is the whole season's."""
    for name in ("الخياطة", "الطبخ", "الحلاقة"):
        gui.ask(lambda uow, n=name: add_group(uow, programme="EFT-COU", name=n, days="mon"))
    gui.add_person("سلمى")
    home = gui.show("home")
    assert isinstance(home, HomeScreen)
    order: list[str] = []
    go_on = threading.Event()

    def one_slice(uow: UnitOfWork, *, today: dt.date, groups: tuple) -> tuple:
        order.append("slice")
        if len(order) == 1:
            assert go_on.wait(10), "the test never typed"
        return people_at_risk(uow, today=today, groups=groups)

    def search(*args: Any, **kwargs: Any) -> Any:
        order.append("search")
        return first_page(*args, **kwargs)

    monkeypatch.setattr(home_screen, "group_slices", lambda uow: group_slices(uow, size=1))
    monkeypatch.setattr(home_screen, "people_at_risk", one_slice)
    monkeypatch.setattr(beneficiaries_screen.service, "first_page", search)
    home.refresh()
    _wait_until(gui, lambda: order == ["slice"])
    people = gui.window.screens["beneficiaries"]
    people.search.setText("سلمى")
    go_on.set()
    gui.wait()
    assert order == ["slice", "search", "slice", "slice"]
    assert home._at_risk == gui.ask(lambda uow: people_at_risk(uow, today=TODAY))
    assert _lines(home.risk_card)[0] == _("Nobody is at risk of dropping out this month.")


def _wait_until(gui: Gui, done: Callable[[], bool]) -> None:
    """Let the window handle its events until ``done()`` (ten seconds at most)."""
    deadline = time.monotonic() + 10
    while not done():
        assert time.monotonic() < deadline, "the background work never got there"
        gui.app.processEvents()
        time.sleep(0.005)
