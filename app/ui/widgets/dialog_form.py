"""The scaffolding of the window's forms: rows of a label and a field with its message line
beneath, short fields, date boxes, and the dialog made of a heading, one such form and its
two buttons (the one that submits, and Cancel).

The dialogs of the groups and events screens (a new group, an event, a guest, the end of
an enrolment) are ``FormDialog`` subclasses that only build their fields and say what was
typed; the events screen's follow-up form is a ``FieldForm`` too. A dialog does not write:
it emits ``submitted`` and the screen writes, then closes it or shows the refusals under
their fields, with everything typed still there.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Mapping, Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.i18n import _
from app.services.errors import InputRejected
from app.ui.widgets.field_messages import FieldMessages, error_label

DATE_WIDTH = 130


def short_field(widget: QWidget) -> QWidget:
    """``widget`` (a date box, a number) at its own width, in a row as wide as the form's:
    its refusal message, set beneath it, then wraps over the whole width, not the box's."""
    row = QWidget()
    layout = QHBoxLayout(row)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.addWidget(widget)
    layout.addStretch(1)
    return row


def date_field(day: dt.date, *, name: str, short: bool = True) -> QLineEdit:
    """A box holding ``day`` as YYYY-MM-DD, a date's width unless ``short`` is False.

    A plain box, not Qt's date editor: that one puts the typed digits in the wrong section
    in a right-to-left window. Dates read left to right in Arabic too.
    """
    edit = QLineEdit(day.isoformat())
    edit.setObjectName(name)
    edit.setPlaceholderText("YYYY-MM-DD")
    edit.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
    if short:
        edit.setMaximumWidth(DATE_WIDTH)
    return edit


class FieldForm(QFormLayout):
    """A form whose rows are a label and a field with its message line beneath, both
    known by the service's name of the field."""

    def __init__(
        self, messages: FieldMessages, *, vertical_spacing: int = 10, horizontal_spacing: int = 16
    ) -> None:
        super().__init__()
        self._messages = messages
        self.labels: dict[str, QLabel] = {}
        self.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.setVerticalSpacing(vertical_spacing)
        self.setHorizontalSpacing(horizontal_spacing)

    def add_field(self, field: str, widget: QWidget, *, focus: QWidget | None = None) -> None:
        """A row for ``field``; ``focus`` is the input the cursor goes to when the field is
        refused (``widget`` itself by default)."""
        label = QLabel()
        self.labels[field] = label
        self.addRow(label, self._messages.wrap(field, widget, focus=focus))

    def set_labels(self, texts: Mapping[str, str]) -> None:
        """The labels' texts, by field, in the current language."""
        for field, text in texts.items():
            self.labels[field].setText(text)


class FormDialog(QDialog):
    """A heading, the line for refusals that belong to no field, a ``FieldForm`` and the
    submit and Cancel buttons.

    A subclass adds its rows to ``form``, then calls ``_lay_out``; it implements ``values``
    (what was typed) and ``retranslate_ui`` (calling this one), and names the submit
    button in the current language.
    """

    #: The person confirmed, with ``values()``; the screen writes it, then calls
    #: ``accept()`` or ``show_errors()``.
    submitted = Signal(object)

    def __init__(
        self, parent: QWidget | None, *, name: str, width: int, wrap_heading: bool = False
    ) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.setMinimumWidth(width)
        self.heading = QLabel()
        self.heading.setObjectName("cardTitle")
        # Headings that hold a name typed by someone wrap; fixed ones size the dialog.
        self.heading.setWordWrap(wrap_heading)
        self.general_error = error_label()
        self.messages = FieldMessages(self.general_error)
        self.form = FieldForm(self.messages)
        self.submit_button = QPushButton()
        self.submit_button.setObjectName("primary")
        self.submit_button.setDefault(True)
        self.submit_button.clicked.connect(self._submit)
        self.cancel_button = QPushButton()
        self.cancel_button.clicked.connect(self.reject)

    def _lay_out(self, *, tab_order: Sequence[QWidget] = ()) -> None:
        """Place everything, once the rows are in ``form``: widgets join the Tab order as
        they are placed, so the fields come before the buttons. ``tab_order``, when given,
        is the order of the fields (the buttons follow)."""
        buttons = QHBoxLayout()
        buttons.addWidget(self.submit_button)
        buttons.addWidget(self.cancel_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 20)
        layout.setSpacing(10)
        layout.addWidget(self.heading)
        layout.addWidget(self.general_error)
        layout.addLayout(self.form)
        layout.addSpacing(6)
        layout.addLayout(buttons)
        if tab_order:
            chain = (*tab_order, self.submit_button, self.cancel_button)
            for first, second in itertools.pairwise(chain):
                QWidget.setTabOrder(first, second)

    def retranslate_ui(self) -> None:
        self.cancel_button.setText(_("Cancel"))

    def values(self) -> object:
        """What was typed, for the service that writes it."""
        raise NotImplementedError

    def _submit(self) -> None:
        self.messages.clear()
        # Until the answer arrives: a second click must not write the same thing twice.
        self.submit_button.setEnabled(False)
        self.submitted.emit(self.values())

    def show_errors(self, rejected: InputRejected) -> None:
        self.submit_button.setEnabled(True)
        self.messages.show(rejected)
