"""The pieces every list screen is built of: a read-only table of records, choosing one of
its rows (again, after a reload), a titled white panel whose content stretches, the muted
line that says what a list holds, and the page that stacks them, with its Tab order.

The groups and events screens are built of them, so their tables look and behave alike.
"""

from __future__ import annotations

import itertools
import uuid
from collections.abc import Sequence
from typing import Generic, TypeVar

from PySide6.QtCore import QAbstractItemModel, QItemSelectionModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLayout,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.ui.table_models.record_list import RecordListModel

R = TypeVar("R")


def record_table(
    model: QAbstractItemModel, *, name: str, multiple: bool = False, stretch: int = 0
) -> QTableView:
    """A table of whole rows: chosen by row, never edited in place; column ``stretch``
    takes the room the others leave."""
    table = QTableView()
    table.setObjectName(name)
    table.setModel(model)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(
        QAbstractItemView.SelectionMode.ExtendedSelection
        if multiple
        else QAbstractItemView.SelectionMode.SingleSelection
    )
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setAlternatingRowColors(True)
    table.setWordWrap(False)
    table.verticalHeader().setVisible(False)
    header = table.horizontalHeader()
    header.setHighlightSections(False)
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    return table


def select_row(table: QTableView, row: int) -> None:
    """Make ``row`` the current, selected row. Not ``QTableView.selectRow``: in a
    right-to-left window it leaves the current index invalid."""
    flags = (
        QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
    )
    table.selectionModel().setCurrentIndex(table.model().index(row, 0), flags)


def refill(
    table: QTableView,
    model: RecordListModel[R],
    *,
    records: Sequence[R],
    keep: uuid.UUID | None,
    or_first: bool = False,
) -> R | None:
    """Show ``records`` in ``table`` (whose model is ``model``) with the record ``keep``
    chosen again; when it is gone, nothing is chosen, or with ``or_first`` the first row.
    Returns the record chosen."""
    model.set_records(records)
    row = model.row_of(keep)
    if row < 0 and or_first and records:
        row = 0
    if row >= 0:
        select_row(table, row)
    return model.record_at(row)


class Refilling(Generic[R]):
    """A table of records that its screen refills itself after each read: while it does,
    ``filling`` tells the screen's handler of the current row to let the choice pass (the
    view still hears it, to paint it); the screen reads what was chosen from ``refill``."""

    def __init__(self, table: QTableView, model: RecordListModel[R]) -> None:
        self.table, self.model = table, model
        self.filling = False

    def refill(
        self, records: Sequence[R], *, keep: uuid.UUID | None, or_first: bool = False
    ) -> R | None:
        """``refill`` of this table; the record chosen."""
        self.filling = True
        try:
            return refill(self.table, self.model, records=records, keep=keep, or_first=or_first)
        finally:
            self.filling = False


def panel() -> tuple[QFrame, QVBoxLayout, QLabel]:
    """A white card with a title (the look of ``widgets.card``), whose content stretches."""
    frame = QFrame()
    frame.setObjectName("card")
    layout = QVBoxLayout(frame)
    layout.setContentsMargins(16, 14, 16, 14)
    layout.setSpacing(8)
    title = QLabel()
    title.setObjectName("cardTitle")
    title.setWordWrap(True)
    layout.addWidget(title)
    return frame, layout, title


def muted_label(*, wrap: bool = True) -> QLabel:
    """A line in the muted colour: a count, a hint, what was just done."""
    label = QLabel()
    label.setObjectName("muted")
    label.setWordWrap(wrap)
    return label


def lay_out_page(
    page: QWidget,
    *,
    top: QLayout,
    table: QTableView,
    empty: QLabel,
    panels: Sequence[tuple[QWidget, int]],
    share: int,
    margins: tuple[int, int, int, int],
) -> None:
    """Stack ``page`` as a list screen reads, top to bottom: ``top`` (what the list holds,
    its main button), the table, the line shown when it is empty, and the ``panels`` of
    the chosen row side by side, each with its part of the width. The table takes three
    parts of the height, the panels ``share``."""
    bottom = QHBoxLayout()
    bottom.setSpacing(14)
    for widget, width in panels:
        bottom.addWidget(widget, width)
    layout = QVBoxLayout(page)
    layout.setContentsMargins(*margins)
    layout.setSpacing(10)
    layout.addLayout(top)
    layout.addWidget(table, 3)
    layout.addWidget(empty)
    layout.addLayout(bottom, share)


def tab_chain(*widgets: QWidget) -> None:
    """Tab moves through ``widgets`` in this order, as the eye reads the page."""
    for first, second in itertools.pairwise(widgets):
        QWidget.setTabOrder(first, second)
