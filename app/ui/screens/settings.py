"""The settings screen: the language of the window, and where the register is kept."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QFormLayout, QLabel, QVBoxLayout

from app.i18n import LANGUAGES, _, current_language
from app.services.site_status import SiteStatus, site_status
from app.ui.context import UiContext
from app.ui.screens.base import Screen
from app.ui.widgets.card import Card

LANGUAGE_NAMES = {"ar": "العربية", "fr": "Français"}


class SettingsScreen(Screen):
    key = "settings"

    def __init__(self, context: UiContext) -> None:
        super().__init__(context)
        self.heading = QLabel()
        self.heading.setObjectName("screenTitle")
        self.language = QComboBox()
        self.language.setObjectName("language")
        for code in LANGUAGES:
            self.language.addItem(LANGUAGE_NAMES[code], code)
        self.language.setCurrentIndex(self.language.findData(current_language()))
        self.language.currentIndexChanged.connect(
            lambda: context.language_changed.emit(self.language.currentData())
        )
        self.location = QLabel()
        self.location.setWordWrap(True)
        self.location.setObjectName("muted")
        self.card = Card()
        self.form = QFormLayout()
        self.language_label = QLabel()
        self.location_label = QLabel()
        self.form.addRow(self.language_label, self.language)
        self.form.addRow(self.location_label, self.location)
        self.card.body.addLayout(self.form)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 20)
        layout.addWidget(self.heading)
        layout.addSpacing(8)
        layout.addWidget(self.card)
        layout.addStretch(1)
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        self.heading.setText(self.title())
        self.card.title.setText(_("This computer"))
        self.language_label.setText(_("Language"))
        self.location_label.setText(_("Register file"))
        self.language.blockSignals(True)
        self.language.setCurrentIndex(self.language.findData(current_language()))
        self.language.blockSignals(False)

    def refresh(self) -> None:
        self.context.runner.with_uow(site_status, on_done=self._show, read_only=True)

    def _show(self, status: SiteStatus) -> None:
        self.location.setText(status.location)
