"""Table cells laid out in their own text's direction, so long names are cut at their end.

A view lays its cells out in the window's direction, and Qt cuts a text too long for its
cell at the end of that direction: in an Arabic window a Latin name lost its beginning
("…EL OUAZZANI FATIMA"), in a French one an Arabic name did. This delegate gives each
cell the direction of its first strong letter, so an Arabic name ends in "…" on its left
and a Latin one on its right, whatever the window's language; the cells stay aligned on
the view's leading edge, as a column should.
"""

from __future__ import annotations

import unicodedata

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import QStyledItemDelegate, QStyleOptionViewItem

RIGHT_TO_LEFT = frozenset({"R", "AL"})


def reads_right_to_left(text: str) -> bool:
    """Whether ``text`` begins (at its first strong letter) in a right-to-left script;
    digits and signs alone read left to right."""
    for char in text:
        kind = unicodedata.bidirectional(char)
        if kind in RIGHT_TO_LEFT:
            return True
        if kind == "L":
            return False
    return False


# Worked out once: a view paints hundreds of cells per keystroke in a search.
_RTL, _LTR = Qt.LayoutDirection.RightToLeft, Qt.LayoutDirection.LeftToRight
_MIDDLE = Qt.AlignmentFlag.AlignAbsolute | Qt.AlignmentFlag.AlignVCenter
_ON_RIGHT = Qt.AlignmentFlag.AlignRight | _MIDDLE
_ON_LEFT = Qt.AlignmentFlag.AlignLeft | _MIDDLE


class OwnDirectionDelegate(QStyledItemDelegate):
    def initStyleOption(  # noqa: N802 - Qt's name
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        super().initStyleOption(option, index)
        # The view's direction, before the cell's own replaces it: where cells align.
        option.displayAlignment = _ON_RIGHT if option.direction == _RTL else _ON_LEFT
        option.direction = _RTL if reads_right_to_left(option.text) else _LTR
        option.textElideMode = Qt.TextElideMode.ElideRight
