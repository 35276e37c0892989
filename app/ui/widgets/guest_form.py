"""The small dialog that adds a guest to an event: someone who is not a beneficiary of the
centre (a doctor giving a talk, a partner association, an official), by name.

Most guests come to speak, so "speaker" is the role offered first. What the services
refuse comes back under its own field; the dialog stays open with what was typed.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtWidgets import QComboBox, QLineEdit, QWidget

from app.i18n import _, isolated
from app.ui.widgets.dialog_form import FormDialog
from app.vocabulary import ParticipantRole

ROLES = (ParticipantRole.SPEAKER, ParticipantRole.ORGANISER, ParticipantRole.PARTICIPANT)


@dataclass(frozen=True)
class GuestInput:
    """What the dialog asks ``app.services.events.add_guest`` for."""

    name: str
    organisation: str
    role: str


class GuestDialog(FormDialog):
    def __init__(self, *, event: str, parent: QWidget | None = None) -> None:
        super().__init__(parent, name="guestDialog", width=520, wrap_heading=True)
        self._event = event
        self.name = QLineEdit()
        self.name.setObjectName("name")
        self.organisation = QLineEdit()
        self.organisation.setObjectName("organisation")
        self.role = QComboBox()
        self.role.setObjectName("role")
        for role in ROLES:
            self.role.addItem("", role.value)
        self.form.add_field("name", self.name)
        self.form.add_field("organisation", self.organisation)
        self.form.add_field("role", self.role)
        self._lay_out()
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        super().retranslate_ui()
        self.setWindowTitle(_("Add a guest"))
        self.heading.setText(_("A guest at “{event}”").format(event=isolated(self._event)))
        self.form.set_labels(
            {
                "name": _("Full name"),
                "organisation": _("Organisation (optional)"),
                "role": _("Role"),
            }
        )
        self.name.setPlaceholderText(_("e.g. Dr Nadia Benali"))
        self.organisation.setPlaceholderText(_("e.g. the provincial health delegation"))
        for index, role in enumerate(ROLES):
            self.role.setItemText(index, role.label)
        self.submit_button.setText(_("Add the guest"))

    def values(self) -> GuestInput:
        return GuestInput(
            name=self.name.text(),
            organisation=self.organisation.text(),
            role=self.role.currentData(),
        )
