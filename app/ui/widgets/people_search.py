"""Finding beneficiaries to add to a list: the search box, the line saying what it found,
and the table of the people found, several of whom can be chosen at once.

The groups screen enrols the people chosen in a group, the events screen adds them to an
event's participants; both place these widgets in their own panel and say, in their own
words, what choosing does. A search is a pure read: it never waits behind a write.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable

from PySide6.QtCore import QItemSelectionModel, QObject, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QHBoxLayout, QLineEdit, QPushButton, QWidget

from app.i18n import _, format_number
from app.services.beneficiaries import search_beneficiaries
from app.services.records import BeneficiaryRecord
from app.ui.context import UiContext
from app.ui.table_models.people_found import FoundPeopleModel
from app.ui.widgets.record_table import muted_label, record_table, select_row

SEARCH_LIMIT = 50


class PeopleSearch(QObject):
    """The widgets (``search``, ``button``, ``row`` holding both, ``found``, ``table``) and
    the ``model`` of one screen's search for people."""

    #: A search answered: the table shows what it found.
    answered = Signal()
    #: Enter in the table: add the people chosen. A double click does not (a write by
    #: accident).
    confirmed = Signal()

    def __init__(
        self, context: UiContext, model: FoundPeopleModel, *, name: str, parent: QWidget
    ) -> None:
        super().__init__(parent)
        self._context = context
        self._more = False
        self.model = model
        self.search = QLineEdit()
        self.search.setObjectName("search")
        self.search.setClearButtonEnabled(True)
        self.search.returnPressed.connect(self.find)
        self.button = QPushButton()
        self.button.clicked.connect(self.find)
        self.row = QHBoxLayout()
        self.row.addWidget(self.search, 1)
        self.row.addWidget(self.button)
        self.found = muted_label()
        self.table = record_table(model, name=name, multiple=True)
        for key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            QShortcut(
                QKeySequence(key),
                self.table,
                activated=self.confirmed.emit,
                context=Qt.ShortcutContext.WidgetShortcut,
            )

    def retranslate(self) -> None:
        self.search.setPlaceholderText(_("Name, ID card number or phone, then Enter"))
        self.button.setText(_("Search"))
        self.model.retranslate()

    def fill_found(self, *, hint: str, found: Callable[[int], str]) -> None:
        """Say what the last search found: ``hint`` before any search, ``found(n)`` (a
        message with ``{n}``, from ``ngettext``) once people were found."""
        count = self.model.rowCount()
        if not self.search.text().strip() and not count:
            self.found.setText(hint)
        elif not count:
            self.found.setText(_("Nobody in the register matches."))
        elif self._more:
            self.found.setText(
                _("The first {n} matches; type more of the name to narrow them.").format(
                    n=format_number(SEARCH_LIMIT)
                )
            )
        else:
            self.found.setText(found(count).format(n=format_number(count)))

    def find(self) -> None:
        text = self.search.text()
        # One more than is shown: it tells whether there were more.
        self._context.runner.with_uow(
            lambda uow: search_beneficiaries(uow, text, limit=SEARCH_LIMIT + 1),
            on_done=self._show,
            read_only=True,
        )

    def _show(self, people: list[BeneficiaryRecord]) -> None:
        self._more = len(people) > SEARCH_LIMIT
        self.model.set_records(people[:SEARCH_LIMIT])
        if people:
            # Straight into the list: arrows to move, Ctrl/Shift to add, Enter to confirm.
            if len(people) == 1 and not self.model.is_listed(people[0]):
                select_row(self.table, 0)
            else:
                self.table.selectionModel().setCurrentIndex(
                    self.model.index(0, 0), QItemSelectionModel.SelectionFlag.NoUpdate
                )
            self.table.setFocus()
        self.answered.emit()

    def chosen(self) -> list[BeneficiaryRecord]:
        """The people chosen in the table, in the table's order."""
        rows = sorted(index.row() for index in self.table.selectionModel().selectedRows())
        return [person for row in rows if (person := self.model.record_at(row))]

    def set_listed(self, listed: frozenset[uuid.UUID]) -> None:
        """The people already on the list: they fade and leave the choice."""
        self.model.set_listed(listed)
        # Qt keeps a row chosen when its model stops allowing it: let it go, so nobody
        # already on the list is sent to the services again.
        selection = self.table.selectionModel()
        for index in selection.selectedRows():
            if not index.flags() & Qt.ItemFlag.ItemIsSelectable:
                selection.select(
                    index,
                    QItemSelectionModel.SelectionFlag.Deselect
                    | QItemSelectionModel.SelectionFlag.Rows,
                )
