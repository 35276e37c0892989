"""A row of buttons that goes on to a new line when the room runs out.

French words are often half as long again as the Arabic ones: on a narrow side panel a
row of buttons sized for Arabic would squeeze its buttons until their text is cut. In a
``FlowLayout`` each button keeps the width its text needs and the row wraps instead, as a
line of text does. Lines read from the start edge (the right, in Arabic); a button added
with ``add_trailing`` is pushed to the end of its line, as a stretch before it would push
it in a box layout.
"""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect, QSize, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QLayout, QLayoutItem, QStyle, QWidget

# The space between two buttons, across and down: that of the screens' rows of buttons.
SPACING = 6


class FlowLayout(QLayout):
    """Widgets side by side at their own width, on as many lines as the width needs."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setSpacing(SPACING)
        self.setContentsMargins(0, 0, 0, 0)
        self._items: list[QLayoutItem] = []
        self._trailing: list[bool] = []

    def add_trailing(self, widget: QWidget) -> None:
        """Add ``widget`` at the end of its line rather than next to the one before."""
        self.addWidget(widget)
        self._trailing[-1] = True

    # -- what QLayout asks of a layout ----------------------------------------------------

    def addItem(self, item: QLayoutItem) -> None:  # noqa: N802 - Qt's name
        self._items.append(item)
        self._trailing.append(False)

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, index: int) -> QLayoutItem | None:  # noqa: N802 - Qt's name
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int) -> QLayoutItem | None:  # noqa: N802 - Qt's name
        if not 0 <= index < len(self._items):
            return None
        del self._trailing[index]
        return self._items.pop(index)

    def expandingDirections(self) -> Qt.Orientation:  # noqa: N802 - Qt's name
        return Qt.Orientation(0)

    def hasHeightForWidth(self) -> bool:  # noqa: N802 - Qt's name
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802 - Qt's name
        return self._arrange(QRect(0, 0, width, 0), place=False)

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        """Everything on one line."""
        shown = self._shown()
        width = sum(item.sizeHint().width() for item in shown)
        width += self.spacing() * max(len(shown) - 1, 0)
        height = max((item.sizeHint().height() for item in shown), default=0)
        return self._with_margins(QSize(width, height))

    def minimumSize(self) -> QSize:  # noqa: N802 - Qt's name
        """One button a line, the widest: no button is ever narrower than its text."""
        shown = self._shown()
        width = max((item.sizeHint().width() for item in shown), default=0)
        height = max((item.sizeHint().height() for item in shown), default=0)
        return self._with_margins(QSize(width, height))

    def setGeometry(self, rect: QRect) -> None:  # noqa: N802 - Qt's name
        super().setGeometry(rect)
        self._arrange(rect, place=True)

    # -- laying out -----------------------------------------------------------------------

    def _shown(self) -> list[QLayoutItem]:
        return [item for item in self._items if not item.isEmpty()]

    def _with_margins(self, size: QSize) -> QSize:
        margins = self.contentsMargins()
        return size + QSize(margins.left() + margins.right(), margins.top() + margins.bottom())

    def _lines(self, width: int) -> list[list[int]]:
        """The items shown (by index) on each line of ``width``."""
        lines: list[list[int]] = []
        used = 0
        for index, item in enumerate(self._items):
            if item.isEmpty():
                continue
            wide = item.sizeHint().width()
            if lines and used + self.spacing() + wide <= width:
                lines[-1].append(index)
                used += self.spacing() + wide
            else:
                lines.append([index])
                used = wide
        return lines

    def _arrange(self, rect: QRect, *, place: bool) -> int:
        """Lay the items out in ``rect`` (only measure them, unless ``place``); the height
        they take."""
        margins = self.contentsMargins()
        area = rect.marginsRemoved(margins)
        top = area.top()
        for number, line in enumerate(self._lines(area.width())):
            # A button wider than the whole row (never, above the minimum size) is cut.
            hints = [self._items[index].sizeHint() for index in line]
            sizes = [QSize(min(hint.width(), area.width()), hint.height()) for hint in hints]
            if number:
                top += self.spacing()
            if place:
                self._place_line(line, sizes, area=area, top=top)
            top += max(size.height() for size in sizes)
        return top - area.top() + margins.top() + margins.bottom()

    def _place_line(self, line: list[int], sizes: list[QSize], *, area: QRect, top: int) -> None:
        """Place one line's items from the start edge, the room left before the first
        trailing one."""
        room = area.width() - sum(size.width() for size in sizes)
        room -= self.spacing() * (len(line) - 1)
        height = max(size.height() for size in sizes)
        parent = self.parentWidget()
        direction = parent.layoutDirection() if parent else QGuiApplication.layoutDirection()
        left, pushed = area.left(), False
        for index, size in zip(line, sizes, strict=True):
            if self._trailing[index] and not pushed:
                left += max(room, 0)
                pushed = True
            box = QRect(QPoint(left, top + (height - size.height()) // 2), size)
            # Qt's own layouts mirror themselves in a right-to-left window; so does this one.
            self._items[index].setGeometry(QStyle.visualRect(direction, area, box))
            left += size.width() + self.spacing()
