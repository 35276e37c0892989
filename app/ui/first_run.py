"""The first-run dialog: set up this centre's register, or open the demo centre.

Shown when the register is blank. Asks only what the register cannot guess: the centre's
code, name and kind, and its province (from the shipped territory list); the season
defaults to the current one.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.i18n import _, current_language
from app.services.context import season_label_for
from app.services.errors import InputRejected
from app.services.overview import TerritoryRecord
from app.ui.context import today
from app.ui.widgets.field_messages import error_label
from app.vocabulary import CentreKind


class FirstRunDialog(QDialog):
    """Collects the centre's identity; the caller does the writing."""

    DEMO = 2  # dialog result: open the demo centre

    def __init__(self, provinces: list[TerritoryRecord], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("firstRun")
        self.setMinimumWidth(520)
        self.heading = QLabel()
        self.heading.setObjectName("screenTitle")
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.intro.setObjectName("muted")
        self.code, self.name = QLineEdit(), QLineEdit()
        self.kind, self.province = QComboBox(), QComboBox()
        self.season = QLineEdit(season_label_for(today()))
        for kind in CentreKind:
            self.kind.addItem(kind.label, kind.value)
        name_field = "name_ar" if current_language() == "ar" else "name_fr"
        for unit in provinces:
            self.province.addItem(f"{unit.code} — {getattr(unit, name_field)}", unit.code)
        self.error = error_label()
        self.labels = [QLabel() for _i in range(5)]
        form = QFormLayout()
        for label, widget in zip(
            self.labels, (self.code, self.name, self.kind, self.province, self.season), strict=True
        ):
            form.addRow(label, widget)
        self.create_button = QPushButton()
        self.create_button.setObjectName("primary")
        self.create_button.setDefault(True)
        self.create_button.clicked.connect(self.accept)
        self.demo_button = QPushButton()
        self.demo_button.clicked.connect(lambda: self.done(self.DEMO))
        buttons = QHBoxLayout()
        buttons.addWidget(self.create_button)
        buttons.addStretch(1)
        buttons.addWidget(self.demo_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 20)
        layout.addWidget(self.heading)
        layout.addWidget(self.intro)
        layout.addSpacing(8)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addSpacing(8)
        layout.addLayout(buttons)
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        self.setWindowTitle(_("Set up the register"))
        self.heading.setText(_("Welcome to Sijill"))
        self.intro.setText(
            _(
                "This computer does not hold a register yet. Tell Sijill which centre it is "
                "for, or open the demo centre to look around first."
            )
        )
        for label, text in zip(
            self.labels,
            (_("Centre code"), _("Centre name"), _("Kind of centre"), _("Province"), _("Season")),
            strict=True,
        ):
            label.setText(text)
        self.create_button.setText(_("Create the register"))
        self.demo_button.setText(_("Open the demo centre"))

    def values(self) -> dict[str, str]:
        return {
            "code": self.code.text(),
            "name": self.name.text(),
            "kind": self.kind.currentData(),
            "province_code": self.province.currentData(),
            "season": self.season.text().strip(),
        }

    def show_error(self, error: InputRejected) -> None:
        self.error.setText("\n".join(e.message for e in error.errors))
        self.error.show()
