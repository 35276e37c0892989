"""The beneficiary form: every field with its own message line beneath it.

The form holds what was typed until it is saved or explicitly discarded, whatever the
person does elsewhere in the window; ``dirty`` says whether there is anything to lose.
Guardian fields appear once the birth date shows a child. Each line edit keeps Qt's own
undo (Ctrl+Z).
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from app.i18n import N_, _
from app.services.beneficiaries import BeneficiaryInput, input_from_record
from app.services.errors import InputRejected
from app.services.records import BeneficiaryRecord
from app.services.validation import ADULT_AGE, age_on
from app.ui.context import today
from app.vocabulary import Area, Disability, EducationLevel, Labelled, MaritalStatus, Sex

# field, label, kind: "ar" (Arabic text), "latin" (left-to-right text), "date", an enum,
# or "notes"
FIELDS: tuple[tuple[str, str, object], ...] = (
    ("family_name_ar", N_("Family name (Arabic)"), "ar"),
    ("given_name_ar", N_("Given name (Arabic)"), "ar"),
    ("family_name_latin", N_("Family name (as on the ID card)"), "latin"),
    ("given_name_latin", N_("Given name (as on the ID card)"), "latin"),
    ("sex", N_("Sex"), Sex),
    ("birth_date", N_("Birth date"), "date"),
    ("cin", N_("ID card number"), "latin"),
    ("phone", N_("Phone"), "latin"),
    ("address", N_("Address"), "ar"),
    ("area", N_("Area"), Area),
    ("marital_status", N_("Marital status"), MaritalStatus),
    ("education_level", N_("Education level"), EducationLevel),
    ("disability", N_("Disability"), Disability),
    ("rsu_number", N_("Social registry (RSU) number"), "latin"),
    ("guardian_name", N_("Guardian's name"), "ar"),
    ("guardian_cin", N_("Guardian's ID card number"), "latin"),
    ("guardian_phone", N_("Guardian's phone"), "latin"),
    ("consent_date", N_("Date of consent to data processing"), "date"),
    ("notes", N_("Notes"), "notes"),
)
GUARDIAN_FIELDS = ("guardian_name", "guardian_cin", "guardian_phone")


class BeneficiaryForm(QWidget):
    #: The typed values changed (the form became dirty or clean).
    edited = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.editing: BeneficiaryRecord | None = None
        self._loaded = BeneficiaryInput()
        self.inputs: dict[str, QLineEdit | QComboBox | QPlainTextEdit] = {}
        self.errors: dict[str, QLabel] = {}
        self.labels: dict[str, QLabel] = {}
        self.general_error = QLabel()
        self.general_error.setObjectName("fieldError")
        self.general_error.setWordWrap(True)
        self.general_error.hide()
        # Each label above its field, across the whole panel: a long label (French ones
        # above all) goes on to a second line rather than squeezing the field or
        # widening the panel past its scroll area.
        rows = QVBoxLayout()
        rows.setSpacing(4)
        for field, _label, kind in FIELDS:
            widget = self._make_input(kind)
            widget.setObjectName(field)
            self.inputs[field] = widget
            error = QLabel()
            error.setObjectName("fieldError")
            error.setWordWrap(True)
            error.hide()
            self.errors[field] = error
            label = QLabel()
            label.setWordWrap(True)
            label.setBuddy(widget)
            self.labels[field] = label
            column = QVBoxLayout()
            column.setSpacing(1)
            column.addWidget(widget)
            column.addWidget(error)
            rows.addWidget(label)
            rows.addLayout(column)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.general_error)
        layout.addLayout(rows)
        self.inputs["birth_date"].textChanged.connect(self._update_guardian)
        self.retranslate_ui()
        self._update_guardian()

    def _make_input(self, kind: object) -> QLineEdit | QComboBox | QPlainTextEdit:
        if kind == "notes":
            notes = QPlainTextEdit()
            notes.setFixedHeight(60)
            notes.textChanged.connect(self.edited)
            return notes
        if isinstance(kind, type) and issubclass(kind, Labelled):
            combo = QComboBox()
            combo.addItem("—", None)
            for member in kind:
                combo.addItem(member.label, member.value)
            combo.currentIndexChanged.connect(self.edited)
            return combo
        line = QLineEdit()
        if kind == "date":
            line.setPlaceholderText("YYYY-MM-DD")
        if kind in ("latin", "date"):
            # Codes, dates and Latin names read left to right even in an Arabic window.
            line.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
        line.textChanged.connect(self.edited)
        return line

    def retranslate_ui(self) -> None:
        for field, label, kind in FIELDS:
            self.labels[field].setText(_(label))
            widget = self.inputs[field]
            if isinstance(widget, QComboBox) and isinstance(kind, type):
                widget.setItemText(0, _("— not given —"))
                for index, member in enumerate(kind, start=1):
                    widget.setItemText(index, member.label)

    # -- values ------------------------------------------------------------------------

    def _value(self, field: str) -> str | None:
        widget = self.inputs[field]
        if isinstance(widget, QComboBox):
            return widget.currentData()
        if isinstance(widget, QPlainTextEdit):
            return widget.toPlainText()
        return widget.text()

    def values(self) -> BeneficiaryInput:
        return BeneficiaryInput(**{field: self._value(field) for field, _l, _k in FIELDS})

    def load(self, record: BeneficiaryRecord | None) -> None:
        """Show ``record`` for editing, or an empty form for a new person."""
        self.editing = record
        data = input_from_record(record) if record is not None else BeneficiaryInput()
        for field, _label, _kind in FIELDS:
            value = getattr(data, field)
            text = value.isoformat() if isinstance(value, dt.date) else (value or "")
            widget = self.inputs[field]
            if isinstance(widget, QComboBox):
                widget.setCurrentIndex(max(widget.findData(value), 0) if value else 0)
            elif isinstance(widget, QPlainTextEdit):
                widget.setPlainText(text)
            else:
                widget.setText(text)
        self._loaded = self.values()
        self.clear_errors()
        self.edited.emit()

    @property
    def dirty(self) -> bool:
        """True when something typed would be lost by loading another person."""
        return self._comparable(self.values()) != self._comparable(self._loaded)

    @staticmethod
    def _comparable(data: BeneficiaryInput) -> dict[str, str]:
        return {k: (v or "").strip() for k, v in dataclasses.asdict(data).items()}

    # -- messages ------------------------------------------------------------------------

    def clear_errors(self) -> None:
        self.general_error.hide()
        for field, label in self.errors.items():
            label.hide()
            self.inputs[field].setProperty("invalid", False)
            self.inputs[field].style().polish(self.inputs[field])

    def show_errors(self, rejected: InputRejected) -> None:
        """Put each message under its field and move the cursor to the first one."""
        self.clear_errors()
        first = None
        for error in rejected.errors:
            label = self.errors.get(error.field)
            if label is None:
                self.general_error.setText(error.message)
                self.general_error.show()
                continue
            label.setText(error.message)
            label.show()
            widget = self.inputs[error.field]
            widget.setProperty("invalid", True)
            widget.style().polish(widget)
            first = first or widget
        if first is not None:
            first.setFocus()

    def _update_guardian(self) -> None:
        try:
            birth = dt.date.fromisoformat(self.inputs["birth_date"].text().strip())
            child = age_on(birth, today()) < ADULT_AGE
        except ValueError:
            child = False
        for field in GUARDIAN_FIELDS:
            has_value = bool(self._value(field))
            visible = child or has_value
            self.inputs[field].setVisible(visible)
            self.labels[field].setVisible(visible)
