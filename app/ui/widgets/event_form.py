"""The event dialog: a new event, or the correction of one (kind, titles, date, place,
a few words).

The kind is chosen, not typed. The Arabic title box writes right to left and the French
one left to right whatever the window's language, and the date is a plain box that reads
left to right (Qt's date editor puts typed digits in the wrong section in a right-to-left
window). What the services refuse comes back under its own field; the dialog stays open
with everything typed.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QLineEdit, QPlainTextEdit, QWidget

from app.i18n import _
from app.services.events import EventInput
from app.ui.widgets.dialog_form import FormDialog, date_field, short_field
from app.vocabulary import EventKind


class EventDialog(FormDialog):
    def __init__(
        self, *, today: dt.date, given: EventInput | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent, name="eventDialog", width=640)
        self._correcting = given is not None
        self.kind = QComboBox()
        self.kind.setObjectName("kind")
        for kind in EventKind:
            self.kind.addItem("", kind.value)
        self.title_ar = QLineEdit()
        self.title_ar.setObjectName("title_ar")
        self.title_ar.setLayoutDirection(Qt.LayoutDirection.RightToLeft)
        self.title_fr = QLineEdit()
        self.title_fr.setObjectName("title_fr")
        self.title_fr.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
        self.date = date_field(today, name="date")
        self.place = QLineEdit()
        self.place.setObjectName("place")
        self.description = QPlainTextEdit()
        self.description.setObjectName("description")
        self.description.setTabChangesFocus(True)
        self.description.setFixedHeight(72)

        self.form.add_field("kind", self.kind)
        self.form.add_field("title_ar", self.title_ar)
        self.form.add_field("title_fr", self.title_fr)
        self.form.add_field("date", short_field(self.date), focus=self.date)
        self.form.add_field("place", self.place)
        self.form.add_field("description", self.description)
        self._lay_out(
            tab_order=(
                self.kind,
                self.title_ar,
                self.title_fr,
                self.date,
                self.place,
                self.description,
            )
        )
        if given is not None:
            self._load(given)
        self.retranslate_ui()

    def _load(self, given: EventInput) -> None:
        self.kind.setCurrentIndex(max(self.kind.findData(given.kind), 0))
        self.title_ar.setText(given.title_ar or "")
        self.title_fr.setText(given.title_fr or "")
        day = given.date
        self.date.setText(day.isoformat() if isinstance(day, dt.date) else day or "")
        self.place.setText(given.place or "")
        self.description.setPlainText(given.description or "")

    def retranslate_ui(self) -> None:
        super().retranslate_ui()
        if self._correcting:
            self.setWindowTitle(_("Correct the event"))
            self.heading.setText(_("Correct what was recorded about this event"))
            self.submit_button.setText(_("Save the changes"))
        else:
            self.setWindowTitle(_("New event"))
            self.heading.setText(_("Record a seminar, an awareness day or a celebration"))
            self.submit_button.setText(_("Record the event"))
        for index, kind in enumerate(EventKind):
            self.kind.setItemText(index, kind.label)
        self.form.set_labels(
            {
                "kind": _("Kind of event"),
                "title_ar": _("Title in Arabic"),
                "title_fr": _("Title in French (optional)"),
                "date": _("Date"),
                "place": _("Place (optional)"),
                "description": _("A few words (optional)"),
            }
        )
        self.place.setPlaceholderText(_("e.g. the meeting room of the centre"))

    def values(self) -> EventInput:
        return EventInput(
            kind=self.kind.currentData(),
            title_ar=self.title_ar.text(),
            title_fr=self.title_fr.text(),
            date=self.date.text(),
            place=self.place.text(),
            description=self.description.toPlainText(),
        )
