"""The small dialog that ends one person's enrolment: how it ended, when, and why.

No outcome is ticked in advance: completed, dropped out and transferred count very
differently in the season's balance, so the person must choose. The reason line appears
for a dropout (where the services require it) and a transfer; the mention line for a
completed training.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from PySide6.QtWidgets import QButtonGroup, QLineEdit, QRadioButton, QVBoxLayout, QWidget

from app.i18n import _, isolated
from app.ui.widgets.dialog_form import FormDialog, date_field
from app.vocabulary import EnrolmentStatus

OUTCOMES = (EnrolmentStatus.COMPLETED, EnrolmentStatus.DROPPED, EnrolmentStatus.TRANSFERRED)


@dataclass(frozen=True)
class EndInput:
    """What the dialog asks ``app.services.groups.end_enrolment`` for (the date as typed)."""

    outcome: str
    end_date: str
    reason: str
    mention: str


class EndEnrolmentDialog(FormDialog):
    def __init__(
        self, *, person: str, group: str, today: dt.date, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent, name="endEnrolment", width=520, wrap_heading=True)
        self._person, self._group = person, group
        self.outcomes = QButtonGroup(self)
        self.outcome_buttons: dict[EnrolmentStatus, QRadioButton] = {}
        outcome_box = QWidget()
        outcome_column = QVBoxLayout(outcome_box)
        outcome_column.setContentsMargins(0, 0, 0, 0)
        for status in OUTCOMES:
            button = QRadioButton()
            button.setObjectName(f"outcome_{status.value}")
            self.outcomes.addButton(button)
            self.outcome_buttons[status] = button
            outcome_column.addWidget(button)
        self.outcomes.buttonToggled.connect(self._update_fields)
        # As wide as the form, unlike the other dates of the window.
        self.end_date = date_field(today, name="end_date", short=False)
        self.reason = QLineEdit()
        self.reason.setObjectName("reason")
        self.mention = QLineEdit()
        self.mention.setObjectName("mention")

        self.form.add_field("outcome", outcome_box, focus=self.outcome_buttons[OUTCOMES[0]])
        self.form.add_field("date", self.end_date)
        self.form.add_field("reason", self.reason)
        self.form.add_field("mention", self.mention)
        self._lay_out()
        self.retranslate_ui()
        self._update_fields()

    def retranslate_ui(self) -> None:
        super().retranslate_ui()
        self.setWindowTitle(_("End the enrolment"))
        self.heading.setText(
            _("{person} leaves the group {group}").format(
                person=isolated(self._person), group=isolated(self._group)
            )
        )
        for status, button in self.outcome_buttons.items():
            button.setText(status.label)
        self.form.set_labels(
            {
                "outcome": _("How it ended"),
                "date": _("Last day"),
                "reason": _("Reason for leaving"),
                "mention": _("Mention"),
            }
        )
        self.mention.setPlaceholderText(_("e.g. Good"))
        self.submit_button.setText(_("End the enrolment"))

    def chosen(self) -> EnrolmentStatus | None:
        for status, button in self.outcome_buttons.items():
            if button.isChecked():
                return status
        return None

    def _update_fields(self) -> None:
        chosen = self.chosen()
        for field, visible in (
            ("reason", chosen in (EnrolmentStatus.DROPPED, EnrolmentStatus.TRANSFERRED)),
            ("mention", chosen is EnrolmentStatus.COMPLETED),
        ):
            self.form.setRowVisible(self.form.labels[field], visible)

    def values(self) -> EndInput:
        chosen = self.chosen()
        return EndInput(
            outcome=chosen.value if chosen else "",
            end_date=self.end_date.text(),
            reason=self.reason.text() if chosen is not EnrolmentStatus.COMPLETED else "",
            mention=self.mention.text() if chosen is EnrolmentStatus.COMPLETED else "",
        )
