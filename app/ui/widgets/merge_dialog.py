"""The small dialog that merges two records of one person: the two side by side, and which
one to keep.

Neither record is chosen in advance: keeping one or the other decides whose names stay,
so the person must choose (the arrow keys move between the two choices, Space picks one,
Enter merges). Only the lines where one of the two knows something are shown; once a
record is chosen, the values it will take from the other (where it has none) are drawn
in bold and named under the table. The dialog does not write: it emits ``submitted``
with the id of the record to keep, and the screen merges.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QButtonGroup, QGridLayout, QLabel, QRadioButton, QWidget

from app.i18n import N_, _, format_date, format_number, is_rtl, isolated, ltr
from app.services.merging import ABSORBED, MergePreview, MergeSide
from app.services.records import BeneficiaryRecord
from app.ui.widgets.beneficiary_form import FIELDS
from app.ui.widgets.dialog_form import FormDialog
from app.ui.widgets.record_table import muted_label
from app.vocabulary import Labelled

# Lines shown even when both records leave them empty: what tells two people apart.
ALWAYS_SHOWN = ("family_name_ar", "given_name_ar", "birth_date", "cin", "phone")
# What hangs on each record, under its fields: label, and the count of a side.
COUNTS: tuple[tuple[str, Callable[[MergeSide], int]], ...] = (
    (N_("Groups"), lambda side: side.enrolments),
    (N_("Attendance marks"), lambda side: side.marks),
    (N_("Follow-ups, events and certificates"), lambda side: side.others),
)


def _value_text(kind: object, value: object) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, dt.date):
        return format_date(value)
    if isinstance(kind, type) and issubclass(kind, Labelled):
        try:
            return kind(value).label
        except ValueError:
            return str(value)
    if kind == "latin":
        return ltr(str(value))
    return str(value)


def _empty(value: object) -> bool:
    return value is None or value == ""


class MergeDialog(FormDialog):
    def __init__(self, shown: MergePreview, *, parent: QWidget | None = None) -> None:
        super().__init__(parent, name="mergeRecords", width=680, wrap_heading=True)
        self.sides = (shown.first, shown.second)
        self.explanation = muted_label()
        self.choices = QButtonGroup(self)
        self.keep_buttons: list[QRadioButton] = []
        table = QWidget()
        table.setObjectName("mergeTable")
        grid = QGridLayout(table)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(20)
        grid.setVerticalSpacing(6)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(2, 1)
        for column in (1, 2):
            button = QRadioButton()
            button.setObjectName(f"keep{column}")
            self.choices.addButton(button, column - 1)
            self.keep_buttons.append(button)
            grid.addWidget(button, 0, column)
        self.row_labels: list[tuple[QLabel, str]] = []
        # Every cell and how it reads in the current language (dates, words of a list).
        self._cell_texts: list[tuple[QLabel, Callable[[], str]]] = []
        #: field → the two cells showing it.
        self.cells: dict[str, tuple[QLabel, QLabel]] = {}
        people = [side.person for side in self.sides]
        for field, label, kind in FIELDS:
            values = [getattr(person, field) for person in people]
            if field not in ALWAYS_SHOWN and all(_empty(v) for v in values):
                continue
            self.cells[field] = self._add_row(
                grid, label, [lambda v=v, k=kind: _value_text(k, v) for v in values]
            )
        self._add_row(
            grid, N_("Centre"), [lambda s=side: ltr(s.centre_code) for side in self.sides]
        )
        for label, count in COUNTS:
            self._add_row(
                grid,
                label,
                [lambda s=side, c=count: format_number(c(s)) for side in self.sides],
            )
        self.taken = muted_label()
        self.taken.setObjectName("takenFromOther")
        self.form.addRow(self.explanation)
        self.form.addRow(table)
        self.form.addRow(self.taken)
        self._lay_out(tab_order=self.keep_buttons)
        self.submit_button.setEnabled(False)
        self.choices.idToggled.connect(self._chosen_changed)
        self.keep_buttons[0].setFocus()
        self.retranslate_ui()

    def _add_row(
        self, grid: QGridLayout, label: str, texts: list[Callable[[], str]]
    ) -> tuple[QLabel, QLabel]:
        """A line of the table under the choices: its caption (an English msgid), then the
        two records' values."""
        row = grid.rowCount()
        caption = muted_label(wrap=False)
        self.row_labels.append((caption, label))
        grid.addWidget(caption, row, 0)
        cells = []
        for column, text in enumerate(texts, start=1):
            cell = QLabel()
            cell.setWordWrap(True)
            cell.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self._cell_texts.append((cell, text))
            grid.addWidget(cell, row, column)
            cells.append(cell)
        return cells[0], cells[1]

    # -- the choice ----------------------------------------------------------------------

    def kept(self) -> BeneficiaryRecord | None:
        chosen = self.choices.checkedId()
        return self.sides[chosen].person if chosen >= 0 else None

    def taken_fields(self) -> list[str]:
        """The fields the chosen record will take from the other."""
        chosen = self.choices.checkedId()
        if chosen < 0:
            return []
        kept, other = self.sides[chosen].person, self.sides[1 - chosen].person
        return [
            name
            for name in ABSORBED
            if _empty(getattr(kept, name)) and not _empty(getattr(other, name))
        ]

    def _chosen_changed(self, _id: int, _checked: bool) -> None:
        chosen = self.choices.checkedId()
        taken = set(self.taken_fields())
        for field, cells in self.cells.items():
            for column, cell in enumerate(cells):
                font = cell.font()
                font.setBold(field in taken and column != chosen)
                cell.setFont(font)
        self.submit_button.setEnabled(chosen >= 0)
        self._say_taken()

    def _say_taken(self) -> None:
        labels = {field: label for field, label, _kind in FIELDS}
        taken = self.taken_fields()
        if self.choices.checkedId() < 0:
            self.taken.setText("")
        elif taken:
            self.taken.setText(
                _("The record kept takes from the other: {fields}.").format(
                    fields=", ".join(_(labels[f]) for f in taken)
                )
            )
        else:
            self.taken.setText(_("The record kept already has all the other one knows."))

    # -- text ----------------------------------------------------------------------------

    def retranslate_ui(self) -> None:
        super().retranslate_ui()
        self.setWindowTitle(_("Merge two records"))
        self.heading.setText(
            _("Is {name} one person registered twice? Choose the record to keep.").format(
                name=isolated(self.sides[0].person.full_name_ar)
            )
        )
        self.explanation.setText(
            _(
                "The record kept takes from the other what it lacks, and never replaces what "
                "it has. The other record's groups, attendance marks, follow-ups and "
                "certificates move to it; the other record is removed, here and on every "
                "computer the next bundles reach."
            )
        )
        for button in self.keep_buttons:
            button.setText(_("Keep this record"))
        for caption, label in self.row_labels:
            caption.setText(_(label))
        # Every value at the start edge of its column, whatever its own direction (a CIN
        # or a phone number among Arabic names).
        edge = Qt.AlignmentFlag.AlignRight if is_rtl() else Qt.AlignmentFlag.AlignLeft
        for cell, text in self._cell_texts:
            cell.setText(text())
            cell.setAlignment(edge | Qt.AlignmentFlag.AlignAbsolute | Qt.AlignmentFlag.AlignVCenter)
        self._say_taken()
        self.submit_button.setText(_("Merge"))

    def values(self) -> uuid.UUID | None:
        kept = self.kept()
        return kept.id if kept is not None else None
