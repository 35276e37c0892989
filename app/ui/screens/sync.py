"""The sync screen: what this register is, and what the delegation has received."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QVBoxLayout

from app.i18n import _, format_number
from app.services.site_status import SiteStatus, site_status
from app.ui.context import UiContext
from app.ui.screens.base import Screen
from app.ui.widgets.card import Card


class SyncScreen(Screen):
    key = "sync"
    shows = frozenset({"beneficiary", "group", "enrolment", "attendance", "centre"})

    def __init__(self, context: UiContext) -> None:
        super().__init__(context)
        self.heading = QLabel()
        self.heading.setObjectName("screenTitle")
        self.card = Card()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 20)
        layout.addWidget(self.heading)
        layout.addSpacing(8)
        layout.addWidget(self.card)
        layout.addStretch(1)
        self._status: SiteStatus | None = None
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        self.heading.setText(self.title())
        self.card.title.setText(_("This register"))
        self._fill()

    def refresh(self) -> None:
        self.context.runner.with_uow(site_status, on_done=self._show, read_only=True)

    def _show(self, status: SiteStatus) -> None:
        self._status = status
        self._fill()

    def _fill(self) -> None:
        self.card.clear()
        status = self._status
        if status is None:
            return
        self.card.add_line(
            _("Changes recorded on this computer: {n}").format(n=format_number(status.changes_made))
        )
        self.card.add_line(_("Nothing has been sent to the delegation yet."))
        self.card.add_line(
            _("Identity of this register: {site}").format(site=status.site_id),
            object_name="muted",
        )
