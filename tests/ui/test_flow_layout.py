"""A row of buttons in a ``FlowLayout``: on one line while there is room, the button
added last at the line's end; on two lines when the panel is narrower than the row, no
button narrower than its text and the panel taller; mirrored in a right-to-left window.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton, QVBoxLayout, QWidget

from app.ui.widgets.flow_layout import SPACING, FlowLayout

TEXTS = ("Enregistrer", "Annuler les modifications", "Nouveau bénéficiaire")


def _panel(qtbot: Any, direction: Qt.LayoutDirection) -> tuple[QWidget, list[QPushButton]]:
    """A panel holding a row of three buttons, the last one pushed to the end."""
    panel = QWidget()
    panel.setLayoutDirection(direction)
    qtbot.addWidget(panel)
    row = FlowLayout()
    buttons = [QPushButton(text) for text in TEXTS]
    row.addWidget(buttons[0])
    row.addWidget(buttons[1])
    row.add_trailing(buttons[2])
    column = QVBoxLayout(panel)
    column.setContentsMargins(0, 0, 0, 0)
    column.addLayout(row)
    column.addStretch(1)
    panel.show()
    return panel, buttons


def _one_line_width(buttons: list[QPushButton]) -> int:
    return sum(b.sizeHint().width() for b in buttons) + SPACING * (len(buttons) - 1)


def _lay_out(panel: QWidget, width: int) -> None:
    panel.resize(width, max(panel.heightForWidth(width), panel.minimumSizeHint().height()))
    panel.layout().activate()


def test_a_wide_panel_holds_the_row_on_one_line(qtbot: Any) -> None:
    panel, buttons = _panel(qtbot, Qt.LayoutDirection.LeftToRight)
    width = _one_line_width(buttons) + 120
    _lay_out(panel, width)
    save, discard, new = buttons
    assert save.y() == discard.y() == new.y()
    assert save.x() == 0
    assert discard.x() == save.width() + SPACING
    assert new.geometry().right() == width - 1, "the last one at the end of the line"
    assert [b.width() for b in buttons] == [b.sizeHint().width() for b in buttons]


def test_a_narrow_panel_wraps_the_row_rather_than_squeezing_it(qtbot: Any) -> None:
    panel, buttons = _panel(qtbot, Qt.LayoutDirection.LeftToRight)
    save, discard, new = buttons
    one_line = _one_line_width(buttons)
    width = one_line - 40
    assert panel.minimumSizeHint().width() == max(b.sizeHint().width() for b in buttons)
    assert panel.heightForWidth(width) > panel.heightForWidth(one_line)
    _lay_out(panel, width)
    assert [b.width() for b in buttons] == [b.sizeHint().width() for b in buttons]
    assert save.y() == discard.y() < new.y(), "the last one on a line of its own"
    assert new.y() >= save.geometry().bottom() + SPACING
    assert new.geometry().right() == width - 1
    assert all(b.geometry().right() < width for b in buttons)


def test_in_a_right_to_left_window_the_row_starts_on_the_right(qtbot: Any) -> None:
    panel, buttons = _panel(qtbot, Qt.LayoutDirection.RightToLeft)
    save, discard, new = buttons
    width = _one_line_width(buttons) + 120
    _lay_out(panel, width)
    assert save.geometry().right() == width - 1
    assert discard.geometry().right() == save.x() - SPACING - 1
    assert new.x() == 0, "the last one at the end of the line: the left"
