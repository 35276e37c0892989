"""The table the coordinator types a printed attendance sheet into, keys as on paper.

A mark's letter (P/A/E/L, French R for "retard", Arabic ح غ م ت, in any language) marks
the current cell and moves DOWN the same day, as one copies a column of the paper sheet,
wrapping to the top of the next day. Delete or Backspace clears; Ctrl+Enter marks the
whole day present for everyone still unmarked; Ctrl+Z undoes. The view only says what was
asked (signals); the screen changes the marks and writes them.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView

from app.ui.table_models.attendance_grid import NAME_COLUMN, AttendanceGridModel
from app.vocabulary import AttendanceStatus

#: Every letter that marks, whatever the interface language: people copy sheets written
#: in either language, and a keyboard may be on either layout.
KEY_STATUS: dict[str, str] = {
    "p": AttendanceStatus.PRESENT.value,
    "ح": AttendanceStatus.PRESENT.value,
    "a": AttendanceStatus.ABSENT.value,
    "غ": AttendanceStatus.ABSENT.value,
    "e": AttendanceStatus.EXCUSED.value,
    "م": AttendanceStatus.EXCUSED.value,
    "l": AttendanceStatus.LATE.value,
    "r": AttendanceStatus.LATE.value,
    "ت": AttendanceStatus.LATE.value,
}
DAY_PRESENT_KEYS = ("Ctrl+Return", "Ctrl+Enter")
DAY_WIDTH = 46


class AttendanceGridView(QTableView):
    """The grid; typing marks, the screen writes."""

    #: A letter was typed on a cell: (row, column, status).
    mark_typed = Signal(int, int, str)
    #: Delete or Backspace on a cell: (row, column).
    clear_typed = Signal(int, int)
    #: Ctrl+Enter: mark the current day column present where nobody marked yet.
    day_present_typed = Signal(int)
    #: Ctrl+Z.
    undo_typed = Signal()

    def __init__(self, model: AttendanceGridModel) -> None:
        super().__init__()
        self.setObjectName("attendanceGrid")
        self.setModel(model)
        self.grid_model = model
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setWordWrap(False)
        self.setTabKeyNavigation(False)
        self.verticalHeader().setVisible(False)
        self.verticalHeader().setDefaultSectionSize(28)
        header = self.horizontalHeader()
        header.setHighlightSections(True)
        header.setMinimumSectionSize(DAY_WIDTH)
        model.modelReset.connect(self._size_columns)

    def _size_columns(self) -> None:
        header = self.horizontalHeader()
        for column in range(self.grid_model.columnCount()):
            mode = (
                QHeaderView.ResizeMode.ResizeToContents
                if column == NAME_COLUMN or self.grid_model.day_at(column) is None
                else QHeaderView.ResizeMode.Fixed
            )
            header.setSectionResizeMode(column, mode)
            if mode == QHeaderView.ResizeMode.Fixed:
                header.resizeSection(column, DAY_WIDTH)

    def next_cell(self, row: int, column: int) -> QModelIndex:
        """The cell below, or the top of the next day after the last person."""
        model = self.grid_model
        if row + 1 < model.people:
            return model.index(row + 1, column)
        if model.day_at(column + 1) is not None:
            return model.index(0, column + 1)
        return model.index(row, column)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        current = self.currentIndex()
        if event.matches(QKeySequence.StandardKey.Undo):
            self.undo_typed.emit()
            return
        if not current.isValid():
            super().keyPressEvent(event)
            return
        row, column = current.row(), current.column()
        control = event.modifiers() & Qt.KeyboardModifier.ControlModifier
        if control and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.day_present_typed.emit(column)
            return
        if event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            self.clear_typed.emit(row, column)
            return
        text = event.text().strip().lower()
        status = KEY_STATUS.get(text) if not control else None
        if status is not None:
            self.mark_typed.emit(row, column, status)
            return
        super().keyPressEvent(event)
