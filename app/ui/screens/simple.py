"""The documents screen, whose full version comes with the documents themselves: it says
plainly what it will hold, so a coordinator is never lost."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QVBoxLayout

from app.i18n import N_, _
from app.ui.context import UiContext
from app.ui.screens.base import Screen


class _Explained(Screen):
    explanation = ""

    def __init__(self, context: UiContext) -> None:
        super().__init__(context)
        self.heading = QLabel()
        self.heading.setObjectName("screenTitle")
        self.body = QLabel()
        self.body.setWordWrap(True)
        self.body.setObjectName("muted")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 20)
        layout.addWidget(self.heading)
        layout.addSpacing(8)
        layout.addWidget(self.body)
        layout.addStretch(1)
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        self.heading.setText(self.title())
        self.body.setText(_(self.explanation))


class DocumentsScreen(_Explained):
    key = "documents"
    explanation = N_(
        "Here you will print attendance sheets, certificates and the monthly report, in "
        "Arabic or French."
    )
