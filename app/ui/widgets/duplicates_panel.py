"""The possible duplicates, as the sync screen lists them: pairs of records that may be one
person, found when registers met, and the action that merges a chosen pair.

Shown only when there is something to show. Under the list, calmly, how many records
point at a person removed without a merge: they are kept, in case the person is brought
back.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QSizePolicy, QVBoxLayout

from app.i18n import _, format_number, ltr, ngettext
from app.services.duplicates import CandidateRecord
from app.ui.table_models.duplicates import DuplicateTableModel
from app.ui.widgets.record_table import muted_label, record_table, select_row

# The list is never shorter than this many rows (and its header).
ROWS_SHOWN = 3


class DuplicatesPanel(QFrame):
    #: The person asked to merge the pair with this id (a ``uuid.UUID``).
    merge_requested = Signal(object)

    def __init__(self, *, merge_keys: str) -> None:
        super().__init__()
        self.setObjectName("card")
        self._merge_keys = merge_keys
        self._orphans = 0
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 14, 16, 14)
        layout.setSpacing(8)
        self.title = QLabel()
        self.title.setObjectName("cardTitle")
        self.title.setWordWrap(True)
        self.text = muted_label()
        self.model = DuplicateTableModel()
        self.table = record_table(self.model, name="duplicates", stretch=1)
        self.table.selectionModel().selectionChanged.connect(self._update_button)
        self.table.doubleClicked.connect(self.request_merge)
        # The list takes the height the cards above leave, never theirs.
        self.table.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Ignored)
        self.table.setMinimumHeight(ROWS_SHOWN * 30)
        self.merge_button = QPushButton()
        self.merge_button.setObjectName("mergeButton")
        self.merge_button.clicked.connect(self.request_merge)
        self.merge_button.setToolTip(ltr(merge_keys))
        self.merge_keys_label = muted_label(wrap=False)
        self.merge_keys_label.setText(ltr(merge_keys))
        self.orphans_line = muted_label()
        self.orphans_line.setObjectName("orphans")
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.merge_keys_label)
        buttons.addWidget(self.merge_button)
        layout.addWidget(self.title)
        layout.addWidget(self.text)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.orphans_line)
        self.hide()
        self.retranslate_ui()

    def show_pairs(self, pairs: Sequence[CandidateRecord], orphans: int) -> None:
        """The open pairs, the one chosen before staying chosen (else the first)."""
        chosen = self.chosen()
        self._orphans = orphans
        self.model.set_records(pairs)
        if pairs:
            row = self.model.row_of(chosen.id) if chosen is not None else -1
            select_row(self.table, max(row, 0))
        self.setVisible(bool(pairs) or orphans > 0)
        for widget in (self.text, self.table, self.merge_button, self.merge_keys_label):
            widget.setVisible(bool(pairs))
        self.retranslate_ui()

    def chosen(self) -> CandidateRecord | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.record_at(rows[0].row()) if rows else None

    def request_merge(self, *_args: object) -> None:
        pair = self.chosen()
        if pair is not None and self.isVisible():
            self.merge_requested.emit(pair.id)

    def _update_button(self) -> None:
        self.merge_button.setEnabled(self.chosen() is not None)

    def retranslate_ui(self) -> None:
        count = self.model.rowCount()
        self.title.setText(
            ngettext(
                "{n} pair of records may be one person",
                "{n} pairs of records may be one person",
                count,
            ).format(n=format_number(count))
            if count
            else _("Possible duplicates")
        )
        self.text.setText(
            _(
                "These records were found to look alike when registers met: the same ID "
                "card number, or the same name and birth date. If a pair is one person "
                "registered twice, merge it: choose the record to keep, the other joins it."
            )
        )
        self.merge_button.setText(_("Merge…"))
        if self._orphans:
            self.orphans_line.setText(
                ngettext(
                    "{n} record points at a person who was removed. It is kept, in case "
                    "the person is brought back.",
                    "{n} records point at a person who was removed. They are kept, in case "
                    "the person is brought back.",
                    self._orphans,
                ).format(n=format_number(self._orphans))
            )
        self.orphans_line.setVisible(bool(self._orphans))
        self.model.retranslate()
        self._update_button()
