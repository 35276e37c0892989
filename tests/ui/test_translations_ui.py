"""No English left in the window: every text a person can read is in the chosen language.

The window is walked widget by widget (labels, buttons, placeholders, combo items, menu
and action texts, table headers, tool tips, window titles), on every screen with data
loaded and with the groups screen's dialogs open. A text that is an English message of
the catalog (or one filled in, "Members of …") whose translation differs was left
untranslated. After a switch of language at run time, a text still in the old language
was left out of a ``retranslate_ui``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache
from typing import Any

import pytest
from babel.messages.pofile import read_po
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QComboBox,
    QLabel,
    QLineEdit,
    QMenu,
    QTableView,
    QWidget,
)

from app import i18n
from app.services.groups import add_group, enrol
from app.ui.main_window import SCREEN_KEYS
from app.ui.screens.groups import GroupsScreen
from tests.integration.conftest import TODAY

from .driving import Gui, type_text

PLACEHOLDER = re.compile(r"\{[^{}]*\}")


def _pattern(text: str) -> re.Pattern[str]:
    """A message as a pattern: its placeholders match whatever was put in them, a count
    ({n}) only a number, so that "{n} group" does not match "In no group"."""
    plain = text.replace("&", "")
    parts = PLACEHOLDER.split(plain)
    fills = [
        r"[\d\s.,\u00a0\u202f]+" if name == "{n}" else ".+" for name in PLACEHOLDER.findall(plain)
    ]
    pattern = re.escape(parts[0]) + "".join(
        fill + re.escape(part) for fill, part in zip(fills, parts[1:], strict=True)
    )
    return re.compile(pattern, re.DOTALL)


@cache
def _messages(language: str) -> tuple[tuple[str, str], ...]:
    """(source, translation) of every message, each plural form on its own."""
    with i18n.catalog_path(language).open("rb") as handle:
        catalog = read_po(handle, locale=language)
    pairs = []
    for message in catalog:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        pairs.extend((source, strings[-1]) for source in ids)
    return tuple(pairs)


@cache
def _left_over(language: str, *, side: int) -> tuple[tuple[str, re.Pattern[str]], ...]:
    """Patterns of the texts that must not be seen in ``language``: the English sources
    (side 0) or the ``language`` translations seen in the other language (side 1), only
    where source and translation differ ("Documents" is French too)."""
    return tuple(
        (pair[side], _pattern(pair[side]))
        for pair in _messages(language)
        # An empty translation shows the English: it counts as left over too.
        if pair[side] and pair[0] != pair[1] and len(_words(pair[side])) > 2
    )


def _words(text: str) -> str:
    """The letters a message says by itself, placeholders left out."""
    return "".join(ch for ch in PLACEHOLDER.sub("", text) if ch.isalpha())


def _texts(window: QWidget) -> Iterator[tuple[str, str]]:
    """(where, text) of everything readable in the window and its dialogs."""
    widgets = [window, *window.findChildren(QWidget)]
    for widget in widgets:
        where = f"{type(widget).__name__} {widget.objectName() or ''}".strip()
        if widget.isWindow():
            yield where + " title", widget.windowTitle()
        yield where + " tooltip", widget.toolTip()
        if isinstance(widget, QLabel | QAbstractButton):
            yield where, widget.text()
        if isinstance(widget, QLineEdit):
            yield where + " placeholder", widget.placeholderText()
        if isinstance(widget, QComboBox):
            for index in range(widget.count()):
                yield f"{where} item {index}", widget.itemText(index)
        if isinstance(widget, QMenu):
            yield where + " menu", widget.title()
        if isinstance(widget, QTableView) and widget.model() is not None:
            for column in range(widget.horizontalHeader().count()):
                header = widget.model().headerData(column, Qt.Orientation.Horizontal)
                yield f"{where} header {column}", str(header or "")
    for action in window.findChildren(QAction):
        yield f"action {action.objectName()}".strip(), action.text()


def _offenders(window: QWidget, forbidden: tuple[tuple[str, re.Pattern[str]], ...]) -> list[str]:
    found = []
    for where, text in _texts(window):
        shown = text.replace("&", "").strip()
        if not shown:
            continue
        for message, pattern in forbidden:
            if pattern.fullmatch(shown):
                found.append(f"{where}: {text!r} (message {message!r})")
                break
    return found


def _fill(gui: Gui, qtbot: Any) -> GroupsScreen:
    """Data on every screen, and the groups screen with both its dialogs open."""
    person = gui.add_person("فاطمة", cin="K1")
    gui.ask(
        lambda uow: add_group(
            uow,
            programme="EFT-COU",
            name="الخياطة أ",
            days="mon,wed",
            hours="09:00-12:00",
            capacity=20,
        )
    )
    gui.ask(lambda uow: enrol(uow, group="الخياطة أ", beneficiaries=["K1"], today=TODAY))
    for key in SCREEN_KEYS:
        gui.show(key)
    screen = gui.show("groups")
    assert isinstance(screen, GroupsScreen)
    type_text(screen.people.search, person.given_name_ar)
    qtbot.keyClick(screen.people.search, Qt.Key.Key_Return)
    gui.wait()
    screen.new_group()
    screen.members_table.setCurrentIndex(screen.member_model.index(0, 0))
    screen.end_enrolment()
    assert screen.group_dialog is not None and screen.end_dialog is not None
    return screen


@pytest.mark.parametrize("gui", ["fr", "ar"], indirect=True)
def test_no_english_is_left_in_the_window(gui: Gui, qtbot: Any) -> None:
    _fill(gui, qtbot)
    offenders = _offenders(gui.window, _left_over(gui.language, side=0))
    assert not offenders, f"untranslated in {gui.language}:\n" + "\n".join(offenders)


@pytest.mark.parametrize("gui", ["fr", "ar"], indirect=True)
def test_the_layout_direction_follows_the_language(gui: Gui, qtbot: Any) -> None:
    screen = _fill(gui, qtbot)
    wanted = (
        Qt.LayoutDirection.RightToLeft if gui.language == "ar" else (Qt.LayoutDirection.LeftToRight)
    )
    assert QApplication.layoutDirection() == wanted
    for widget in (
        gui.window,
        *gui.window.screens.values(),
        screen.group_dialog,
        screen.end_dialog,
    ):
        assert widget is not None and widget.layoutDirection() == wanted, widget
    # Clock times and dates read left to right in both.
    for widget in (screen.start_date, screen.group_dialog.start, screen.end_dialog.end_date):
        assert widget.layoutDirection() == Qt.LayoutDirection.LeftToRight


def test_a_change_of_language_retranslates_everything(gui: Gui, qtbot: Any) -> None:
    _fill(gui, qtbot)
    gui.window.change_language("fr")
    gui.wait()
    # Cards rebuild their lines with deleteLater(): let the old lines go, as the event
    # loop would.
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    assert QApplication.layoutDirection() == Qt.LayoutDirection.LeftToRight
    english = _offenders(gui.window, _left_over("fr", side=0))
    arabic = _offenders(gui.window, _left_over("ar", side=1))
    assert not english + arabic, "left after switching to French:\n" + "\n".join(english + arabic)
