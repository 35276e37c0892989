"""The settings screen: the language of the window, where the register is kept, the
rule that flags who may be dropping out (``services.at_risk``: the attendance grid and
the start screen both follow it), and what printed documents say and when certificates
are issued (``widgets.document_template_form``).

Each card saves by itself, in the background; Ctrl+S saves the card the cursor is in.
The page scrolls: the documents' card is long.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.i18n import LANGUAGES, _, current_language, format_number, ltr
from app.services.at_risk import (
    MAX_ABSENCES,
    MIN_MARKS_FOR_RATE,
    AtRiskRule,
    at_risk_rule,
    change_rule,
)
from app.services.document_settings import FIELDS
from app.services.errors import InputRejected
from app.services.site_status import SiteStatus, site_status
from app.services.unit_of_work import UnitOfWork
from app.ui.context import UiContext
from app.ui.screens.base import Screen
from app.ui.widgets.card import Card
from app.ui.widgets.dialog_form import FieldForm, short_field
from app.ui.widgets.document_template_form import (
    DocumentSettings,
    DocumentTemplateForm,
    TemplateChange,
    load_document_settings,
)
from app.ui.widgets.field_messages import FieldMessages, error_label
from app.ui.widgets.record_table import muted_label, tab_chain

LANGUAGE_NAMES = {"ar": "العربية", "fr": "Français"}
SAVE_KEYS = "Ctrl+S"


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

        self.risk_card = Card()
        self.risk_explained = muted_label()
        self.risk_explained.setWordWrap(True)
        self.absences = QSpinBox()
        self.absences.setObjectName("consecutive_absences")
        self.absences.setRange(0, MAX_ABSENCES)
        self.absences.setMinimumWidth(110)
        self.rate = QSpinBox()
        self.rate.setObjectName("monthly_rate_below")
        self.rate.setRange(0, 100)
        self.rate.setSingleStep(5)
        self.rate.setMinimumWidth(110)
        self.risk_error = error_label()
        self.risk_messages = FieldMessages(self.risk_error)
        self.risk_form = FieldForm(self.risk_messages)
        self.risk_form.add_field("consecutive_absences", short_field(self.absences))
        self.risk_form.add_field("monthly_rate_below", short_field(self.rate))
        self.save_rule_button = QPushButton()
        self.save_rule_button.setObjectName("primary")
        self.save_rule_button.clicked.connect(self.save_rule)
        self.default_rule_button = QPushButton()
        self.default_rule_button.setObjectName("defaultRule")
        self.default_rule_button.clicked.connect(self.reset_rule)
        self.rule_saved = muted_label()
        self.rule_saved.setObjectName("ruleSaved")
        self.rule_saved.hide()
        QShortcut(QKeySequence(SAVE_KEYS), self, activated=self._save_focused)
        for box in (self.absences, self.rate):
            box.valueChanged.connect(lambda _v: self.rule_saved.hide())
        buttons = QHBoxLayout()
        buttons.addWidget(self.save_rule_button)
        buttons.addWidget(self.default_rule_button)
        buttons.addWidget(self.rule_saved)
        buttons.addStretch(1)
        self.risk_card.body.addWidget(self.risk_explained)
        self.risk_card.body.addWidget(self.risk_error)
        self.risk_card.body.addLayout(self.risk_form)
        self.risk_card.body.addLayout(buttons)

        self.documents = DocumentTemplateForm()
        self.documents.save_button.clicked.connect(self.save_documents)
        self.documents.default_button.clicked.connect(self.reset_documents)

        page = QWidget()
        page.setObjectName("settingsPage")
        # The paper shows through: the scroll area's page is not a white sheet.
        page.setStyleSheet("QWidget#settingsPage { background: transparent; }")
        layout = QVBoxLayout(page)
        layout.setContentsMargins(24, 20, 24, 20)
        layout.addWidget(self.heading)
        layout.addSpacing(8)
        layout.addWidget(self.card)
        layout.addSpacing(8)
        layout.addWidget(self.risk_card)
        layout.addSpacing(8)
        layout.addWidget(self.documents)
        layout.addStretch(1)
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        self.scroll.setStyleSheet("QScrollArea { background: transparent; }")
        self.scroll.viewport().setAutoFillBackground(False)
        self.scroll.setWidget(page)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.scroll)
        tab_chain(
            self.language,
            self.absences,
            self.rate,
            self.save_rule_button,
            self.default_rule_button,
            *self.documents.tab_order(),
        )
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        self.heading.setText(self.title())
        self.card.title.setText(_("This computer"))
        self.language_label.setText(_("Language"))
        self.location_label.setText(_("Register file"))
        self.language.blockSignals(True)
        self.language.setCurrentIndex(self.language.findData(current_language()))
        self.language.blockSignals(False)
        self.risk_card.title.setText(_("At risk of dropping out"))
        self.risk_explained.setText(
            _(
                "Someone still in a group is flagged in the attendance grid and listed on "
                "the start screen after this many absences in a row, or when she attended "
                "less than this share of the month's sessions (once marked at {n} of them). "
                "0 turns a rule off."
            ).format(n=MIN_MARKS_FOR_RATE)
        )
        self.risk_form.set_labels(
            {
                "consecutive_absences": _("Absences in a row"),
                "monthly_rate_below": _("Attended this month below"),
            }
        )
        for box in (self.absences, self.rate):
            box.setSpecialValueText(_("off"))
        self.rate.setSuffix(_(" %"))
        self.save_rule_button.setText(_("Save"))
        self.save_rule_button.setToolTip(ltr(SAVE_KEYS))
        self.default_rule_button.setText(_("Back to the defaults"))
        default = AtRiskRule()
        self.default_rule_button.setToolTip(
            _("{absences} absences in a row, or below {rate}").format(
                absences=format_number(default.consecutive_absences),
                rate=_("{n} %").format(n=format_number(default.monthly_rate_below)),
            )
        )
        self.rule_saved.setText(_("Saved."))
        self.documents.retranslate_ui()
        self.documents.save_button.setToolTip(ltr(SAVE_KEYS))

    def refresh(self) -> None:
        self.context.runner.with_uow(site_status, on_done=self._show, read_only=True)
        self.context.runner.with_uow(at_risk_rule, on_done=self._show_rule, read_only=True)
        self.context.runner.with_uow(
            load_document_settings, on_done=self.documents.show_settings, read_only=True
        )

    def _show(self, status: SiteStatus) -> None:
        self.location.setText(status.location)

    def _show_rule(self, rule: AtRiskRule) -> None:
        self.absences.setValue(rule.consecutive_absences)
        self.rate.setValue(rule.monthly_rate_below)

    def _save_focused(self) -> None:
        """Ctrl+S: save the card the cursor is in (the at-risk rule when it is in none)."""
        focused = QApplication.focusWidget()
        if focused is not None and self.documents.isAncestorOf(focused):
            self.save_documents()
        else:
            self.save_rule()

    # -- the at-risk rule ----------------------------------------------------------------

    def save_rule(self) -> None:
        absences, rate = self.absences.value(), self.rate.value()
        self._write_rule(
            lambda uow: change_rule(uow, consecutive_absences=absences, monthly_rate_below=rate)
        )

    def reset_rule(self) -> None:
        self._write_rule(lambda uow: change_rule(uow, reset=True))

    def _write_rule(self, work: Callable[[UnitOfWork], AtRiskRule]) -> None:
        self.risk_messages.clear()
        self.rule_saved.hide()
        self.context.runner.with_uow(work, on_done=self._rule_saved, on_error=self._rule_refused)

    def _rule_saved(self, rule: AtRiskRule) -> None:
        self._show_rule(rule)
        self.rule_saved.show()
        self.context.announce("settings")

    def _rule_refused(self, error: BaseException) -> None:
        if isinstance(error, InputRejected):
            self.risk_messages.show(error)
        else:
            self.report_failure(error)

    # -- the printed documents -----------------------------------------------------------

    def save_documents(self) -> None:
        self._write_documents(self.documents.change())

    def reset_documents(self) -> None:
        answer = QMessageBox.question(
            self,
            _("Back to the defaults"),
            _(
                "Put back the default header lines, place, signatories and issue rules, and "
                "remove the logo?"
            ),
        )
        if answer == QMessageBox.StandardButton.Yes:
            self._write_documents(TemplateChange(reset=FIELDS))

    def _write_documents(self, change: TemplateChange) -> None:
        self.documents.messages.clear()
        self.documents.saved.hide()
        self.context.runner.with_uow(
            change.save, on_done=self._documents_saved, on_error=self._documents_refused
        )

    def _documents_saved(self, settings: DocumentSettings) -> None:
        self.documents.show_saved(settings)
        self.context.announce("settings")

    def _documents_refused(self, error: BaseException) -> None:
        if isinstance(error, InputRejected):
            self.documents.show_errors(error)
        else:
            self.report_failure(error)
