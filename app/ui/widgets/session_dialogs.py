"""The attendance screen's small dialogs that change the calendar: a session added on a
day off (a make-up Saturday), the chosen day's session cancelled, the centre closed.

Each asks for a reason: the register keeps it, and the calendar shows it. Dates are
plain boxes (YYYY-MM-DD), as everywhere in the window. What the services refuse (a
holiday, a day outside the season, no reason) comes back under its own field, and the
dialog stays open with what was typed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from PySide6.QtWidgets import QLineEdit, QWidget

from app.i18n import _, format_date, isolated
from app.ui.widgets.dialog_form import FormDialog, date_field


@dataclass(frozen=True)
class SessionInput:
    """What ``app.services.sessions.add_session`` and ``cancel_session`` are asked for."""

    date: str
    reason: str


@dataclass(frozen=True)
class ClosureInput:
    """What ``app.services.closures.add_closure`` is asked for (dates as typed)."""

    start: str
    end: str
    reason: str


def _reason_box() -> QLineEdit:
    box = QLineEdit()
    box.setObjectName("reason")
    return box


class AddSessionDialog(FormDialog):
    def __init__(self, *, group: str, day: dt.date, parent: QWidget | None = None) -> None:
        super().__init__(parent, name="addSession", width=520, wrap_heading=True)
        self._group = group
        self.date = date_field(day, name="date")
        self.reason = _reason_box()
        self.form.add_field("date", self.date)
        self.form.add_field("reason", self.reason)
        self._lay_out()
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        super().retranslate_ui()
        self.setWindowTitle(_("Add a session"))
        self.heading.setText(
            _("An extra session of the group {group}").format(group=isolated(self._group))
        )
        self.form.set_labels({"date": _("Day"), "reason": _("Reason")})
        self.reason.setPlaceholderText(_("e.g. make-up session"))
        self.submit_button.setText(_("Add the session"))

    def values(self) -> SessionInput:
        return SessionInput(date=self.date.text(), reason=self.reason.text())


class CancelSessionDialog(FormDialog):
    def __init__(self, *, group: str, day: dt.date, parent: QWidget | None = None) -> None:
        super().__init__(parent, name="cancelSession", width=520, wrap_heading=True)
        self._group, self.day = group, day
        self.reason = _reason_box()
        self.form.add_field("reason", self.reason)
        self._lay_out()
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        super().retranslate_ui()
        self.setWindowTitle(_("Cancel the session"))
        self.heading.setText(
            _("Cancel the session of {date} of the group {group}").format(
                date=format_date(self.day, style="full"), group=isolated(self._group)
            )
        )
        self.form.set_labels({"reason": _("Reason")})
        self.reason.setPlaceholderText(_("e.g. the educator is on leave"))
        self.submit_button.setText(_("Cancel the session"))
        # "Cancel" would be ambiguous next to "Cancel the session".
        self.cancel_button.setText(_("Keep the session"))

    def values(self) -> SessionInput:
        return SessionInput(date=self.day.isoformat(), reason=self.reason.text())


class ClosureDialog(FormDialog):
    def __init__(self, *, day: dt.date, parent: QWidget | None = None) -> None:
        super().__init__(parent, name="closureDialog", width=520)
        self.start = date_field(day, name="from")
        self.end = date_field(day, name="to")
        self.reason = _reason_box()
        self.form.add_field("from", self.start)
        self.form.add_field("to", self.end)
        self.form.add_field("reason", self.reason)
        self._lay_out()
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        super().retranslate_ui()
        self.setWindowTitle(_("Close the centre"))
        self.heading.setText(_("Days the whole centre is closed: no group meets"))
        self.form.set_labels({"from": _("First day"), "to": _("Last day"), "reason": _("Reason")})
        self.reason.setPlaceholderText(_("e.g. school holidays, strike, weather alert"))
        self.submit_button.setText(_("Close the centre"))

    def values(self) -> ClosureInput:
        return ClosureInput(start=self.start.text(), end=self.end.text(), reason=self.reason.text())
