"""A table of a short list of records held whole: the base of the groups and events
screens' tables.

For lists that are small by nature (a centre's groups, a group's members, the first
matches of a search) the records come in one piece from the services, so the model keeps
them all; long lists page through ids instead (``table_models.beneficiaries``). Columns
are declared once, with an English header marked for translation and a function that
gives a cell's text, so a language change only has to ask the view to repaint.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from app.i18n import _, is_rtl
from app.ui.style import ALERT, MUTED

R = TypeVar("R")
Index = QModelIndex | QPersistentModelIndex
ALERT_BRUSH = QBrush(QColor(ALERT))
MUTED_BRUSH = QBrush(QColor(MUTED))


@dataclass(frozen=True)
class Column(Generic[R]):
    """One column: its header (an English msgid) and how a record shows in it."""

    header: str
    text: Callable[[R], str]
    #: Extra words shown on hover (a reason, a Latin name), or None.
    tooltip: Callable[[R], str | None] | None = None
    #: Short values (dates, counts, codes) are centred: they line up in either direction.
    centred: bool = False
    #: Records that need attention (a full group) are drawn in the alert colour.
    alert: Callable[[R], bool] | None = None


class RecordListModel(QAbstractTableModel, Generic[R]):
    """Rows are records with an ``id_of`` key; the whole list is replaced at once.

    ``faded`` names the records drawn in the muted colour (people who left a group).
    """

    def __init__(
        self,
        columns: Sequence[Column[R]],
        id_of: Callable[[R], uuid.UUID],
        *,
        faded: Callable[[R], bool] | None = None,
    ) -> None:
        super().__init__()
        self._columns = tuple(columns)
        self._id_of = id_of
        self._faded = faded
        self._records: list[R] = []

    # -- filling -----------------------------------------------------------------------

    def set_records(self, records: Sequence[R]) -> None:
        self.beginResetModel()
        self._records = list(records)
        self.endResetModel()

    def records(self) -> list[R]:
        return list(self._records)

    def record_at(self, row: int) -> R | None:
        return self._records[row] if 0 <= row < len(self._records) else None

    def record_of(self, index: Index) -> R | None:
        """The record shown at ``index`` (None for an invalid index)."""
        return self.record_at(index.row()) if index.isValid() else None

    def row_of(self, record_id: uuid.UUID | None) -> int:
        for row, record in enumerate(self._records):
            if self._id_of(record) == record_id:
                return row
        return -1

    def retranslate(self) -> None:
        """The language changed: headers and translated cells (statuses, days) repaint."""
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(self._columns) - 1)
        self.cells_changed()

    def cells_changed(self) -> None:
        """Every cell may read or look different now (not the records): repaint them all."""
        if self._records:
            last = self.index(len(self._records) - 1, len(self._columns) - 1)
            self.dataChanged.emit(self.index(0, 0), last)

    # -- Qt model interface --------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._records)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._columns)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self._records):
            return None
        if not 0 <= index.column() < len(self._columns):
            return None
        record, column = self._records[index.row()], self._columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return column.text(record)
        if role == Qt.ItemDataRole.ToolTipRole:
            return column.tooltip(record) if column.tooltip else column.text(record)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return self._alignment(column)
        if role == Qt.ItemDataRole.ForegroundRole:
            if column.alert and column.alert(record):
                return ALERT_BRUSH
            if self._faded and self._faded(record):
                return MUTED_BRUSH
        return None

    @staticmethod
    def _alignment(column: Column[R]) -> int:
        if column.centred:
            return int(Qt.AlignmentFlag.AlignCenter)
        # Aligned by the window's direction, not the text's: otherwise Qt puts an Arabic
        # name against the right edge of a French table, and the column looks ragged.
        side = Qt.AlignmentFlag.AlignRight if is_rtl() else Qt.AlignmentFlag.AlignLeft
        return int(side | Qt.AlignmentFlag.AlignAbsolute | Qt.AlignmentFlag.AlignVCenter)

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self._columns):
            return _(self._columns[section].header)
        if orientation == Qt.Orientation.Vertical and 0 <= section < len(self._records):
            return str(section + 1)
        return None
