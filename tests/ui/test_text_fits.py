"""Nothing cut at the window's size (1280 × 800), in French and in Arabic: every button is
as wide as its text, and no form is wider than the panel that scrolls it.

French words are often half as long again as the Arabic ones: a row of buttons that
holds them in Arabic may squeeze them in French until their text is cut, and a long
label may push a form past its panel. The window is opened on a demo centre (long group
names, events, graduates) and each screen is looked at with its data, with the states
that change what it shows: every document and kind of certificate, the follow-up tab, a
beneficiary being corrected. The width a button's text needs is its advance
(``QFontMetrics.horizontalAdvance``) with what the style puts around it (padding,
border, a menu's arrow), as the style itself computes it (``QStyle.sizeFromContents``).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QSize
from PySide6.QtWidgets import QPushButton, QScrollArea, QStyle, QStyleOptionButton, QWidget

from app.services.demo import create_demo
from app.ui.application import WINDOW_SIZE
from app.ui.main_window import SCREEN_KEYS
from app.ui.screens.beneficiaries import BeneficiariesScreen
from app.ui.screens.documents import DocumentsScreen
from app.ui.screens.events import FOLLOW_UP_TAB, EventsScreen
from app.ui.widgets.record_table import select_row
from tests.integration.conftest import TODAY

from .driving import Gui, type_text

# Qt sizes a button from its text's bounding width, which in mixed Arabic and Latin can
# be a pixel under the sum of the advances (rounding per run of letters); a text that is
# cut misses far more than that.
ROUNDING = 1
# Between a button's icon and its text (QPushButton's own gap).
ICON_GAP = 4


def needed_width(button: QPushButton) -> int:
    """The width ``button`` needs to show its whole text."""
    option = QStyleOptionButton()
    button.initStyleOption(option)
    metrics = button.fontMetrics()
    # "&" marks a shortcut letter and takes no room; "&&" is a shown "&".
    text = option.text.replace("&&", "\0").replace("&", "").replace("\0", "&")
    width = metrics.horizontalAdvance(text)
    style = button.style()
    if not option.icon.isNull():
        width += option.iconSize.width() + ICON_GAP
    if button.menu() is not None:
        width += style.pixelMetric(QStyle.PixelMetric.PM_MenuButtonIndicator, option, button)
    contents = QSize(width, metrics.height())
    return style.sizeFromContents(
        QStyle.ContentsType.CT_PushButton, option, contents, button
    ).width()


def cut_buttons(window: QWidget, where: str) -> list[str]:
    shown = [b for b in window.findChildren(QPushButton) if b.isVisibleTo(window) and b.text()]
    assert shown, f"{where}: no button to look at"
    return [
        f"{where}: {button.text()!r} is {button.width()} px wide, needs {needed}"
        for button in shown
        if button.width() + ROUNDING < (needed := needed_width(button))
    ]


def overflowing_panels(window: QWidget, where: str) -> list[str]:
    """Scrolled panels whose content is wider than they are: its far side is hidden."""
    return [
        f"{where}: {area.widget().objectName() or type(area.widget()).__name__} needs "
        f"{wanted} px, has {area.viewport().width()}"
        for area in window.findChildren(QScrollArea)
        if area.isVisibleTo(window)
        and area.widgetResizable()
        and (wanted := area.widget().minimumSizeHint().width()) > area.viewport().width()
    ]


def _demo(gui: Gui) -> None:
    register = gui.runner.register
    gui.runner.run(lambda: create_demo(register, seed=3, beneficiaries=60, months=15, today=TODAY))
    gui.wait()
    gui.context.announce("beneficiary", "group", "enrolment", "event", "follow_up")
    gui.wait()


def _states(gui: Gui) -> Iterator[str]:
    """Put the window in each state worth looking at; yield its name once it is shown."""
    for key in SCREEN_KEYS:
        gui.show(key)
        yield key
    documents = gui.show("documents")
    assert isinstance(documents, DocumentsScreen)
    for row in range(1, documents.kinds.count()):
        documents.kinds.setCurrentRow(row)
        gui.wait()
        yield f"documents, {documents.kinds.item(row).text()}"
    kinds = documents.certificates.kind_box
    for index in range(kinds.count()):
        kinds.setCurrentIndex(index)
        gui.wait()
        yield f"certificates, {kinds.itemText(index)}"
    events = gui.show("events")
    assert isinstance(events, EventsScreen)
    events.tabs.setCurrentIndex(FOLLOW_UP_TAB)
    gui.wait()
    yield "events, follow-up"
    people = gui.show("beneficiaries")
    assert isinstance(people, BeneficiariesScreen)
    select_row(people.table, 0)
    gui.wait()
    assert people.form.editing is not None, "a person is being corrected"
    type_text(people.form.inputs["phone"], "0")
    assert people.form.dirty
    yield "beneficiaries, correcting a person"


@pytest.fixture
def window_states(gui: Gui) -> Iterator[str]:
    """The window at its size on a demo centre, walked through its states."""
    _demo(gui)
    assert (gui.window.width(), gui.window.height()) == WINDOW_SIZE
    return _states(gui)


@pytest.mark.parametrize("gui", ["fr", "ar"], indirect=True)
def test_every_button_shows_its_whole_text(gui: Gui, window_states: Iterator[str]) -> None:
    cut = [line for where in window_states for line in cut_buttons(gui.window, where)]
    assert not cut, f"buttons cut in {gui.language}:\n" + "\n".join(cut)


@pytest.mark.parametrize("gui", ["fr", "ar"], indirect=True)
def test_no_form_is_wider_than_its_panel(gui: Gui, window_states: Iterator[str]) -> None:
    wide = [line for where in window_states for line in overflowing_panels(gui.window, where)]
    assert not wide, f"wider than their panel in {gui.language}:\n" + "\n".join(wide)
