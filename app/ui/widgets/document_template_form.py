"""The Documents card of the settings screen: what the top of every printed page says,
where documents are written, the titles over the signatures, an optional logo, and the
attendance an end of training certificate needs (``services.document_settings``).

The card shows the template documents are printed with now, defaults included. It does
not write: it says what was changed (``TemplateChange``), and the screen saves that in
the background. Only what was changed is sent, so a default left alone stays a default.
Refusals come back under their own field, with everything typed still there.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QPixmap, QTextOption
from PySide6.QtWidgets import (
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLayout,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.i18n import _, format_number, ltr
from app.services.document_settings import (
    CENTRE,
    HEADER_LINES,
    PROVINCE,
    SIGNATORIES,
    CertificateRules,
    DocumentTemplate,
    certificate_rules,
    change_documents,
    document_template,
)
from app.services.errors import InputRejected
from app.services.unit_of_work import UnitOfWork
from app.ui.widgets.card import Card
from app.ui.widgets.dialog_form import FieldForm
from app.ui.widgets.field_messages import FieldMessages, error_label
from app.ui.widgets.record_table import muted_label

LOGO_SHOWN = 56
# Tall enough for the four default lines and a fifth: six scroll a little.
HEADER_ROWS = 5
IMAGE_FILES = "*.png *.jpg *.jpeg"


@dataclass(frozen=True)
class DocumentSettings:
    """The template and the issue rules, as documents use them now."""

    template: DocumentTemplate
    rules: CertificateRules


def load_document_settings(uow: UnitOfWork) -> DocumentSettings:
    return DocumentSettings(document_template(uow), certificate_rules(uow))


@dataclass(frozen=True)
class TemplateChange:
    """What ``change_documents`` is asked for: None where nothing was changed; ``reset``
    names the settings put back to their defaults."""

    header_ar: tuple[str, ...] | None = None
    header_fr: tuple[str, ...] | None = None
    signatories: tuple[tuple[str, str], ...] | None = None
    place_ar: str | None = None
    place_fr: str | None = None
    #: The image file chosen for the logo.
    logo: str | None = None
    min_attendance: int | None = None
    reset: tuple[str, ...] = field(default=())

    def save(self, uow: UnitOfWork) -> DocumentSettings:
        """Worker thread: write the change, all or nothing; what documents use now."""
        change_documents(
            uow,
            header_ar=self.header_ar,
            header_fr=self.header_fr,
            signatories=self.signatories,
            place_ar=self.place_ar,
            place_fr=self.place_fr,
            logo=self.logo,
            min_attendance=self.min_attendance,
            reset=self.reset,
        )
        return load_document_settings(uow)


def _lines(edit: QPlainTextEdit) -> tuple[str, ...]:
    """The lines typed, blank ones left out (the service trims and checks them)."""
    return tuple(line for line in edit.toPlainText().splitlines() if line.strip())


def _text_box(name: str, *, arabic: bool) -> QPlainTextEdit:
    """A box for lines in one language, in that language's direction whatever the
    window's."""
    edit = QPlainTextEdit()
    edit.setObjectName(name)
    edit.setTabChangesFocus(True)
    # A line typed is a line printed: no wrapping that would read as two.
    edit.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
    direction = Qt.LayoutDirection.RightToLeft if arabic else Qt.LayoutDirection.LeftToRight
    edit.setLayoutDirection(direction)
    option = QTextOption(edit.document().defaultTextOption())
    option.setTextDirection(direction)
    option.setAlignment(
        Qt.AlignmentFlag.AlignAbsolute
        | (Qt.AlignmentFlag.AlignRight if arabic else Qt.AlignmentFlag.AlignLeft)
    )
    edit.document().setDefaultTextOption(option)
    lines = edit.fontMetrics().lineSpacing() * HEADER_ROWS
    edit.setFixedHeight(lines + 2 * edit.frameWidth() + 16)
    return edit


def _line_box(name: str, *, arabic: bool) -> QLineEdit:
    edit = QLineEdit()
    edit.setObjectName(name)
    edit.setLayoutDirection(
        Qt.LayoutDirection.RightToLeft if arabic else Qt.LayoutDirection.LeftToRight
    )
    return edit


class DocumentTemplateForm(Card):
    """The fields of the document template and of the certificates' issue rules."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("card")
        self._loaded: DocumentSettings | None = None
        #: An image chosen for the logo, not saved yet.
        self.logo_file: str | None = None
        self._logo_removed = False
        #: The latest file dialog for the logo.
        self.logo_dialog: QFileDialog | None = None

        self.explained = muted_label()
        self.general_error = error_label()
        self.messages = FieldMessages(self.general_error)
        self.form = FieldForm(self.messages)

        self.header_ar = _text_box("header_ar", arabic=True)
        self.header_fr = _text_box("header_fr", arabic=False)
        self.header_hint = muted_label()
        self.place_ar = _line_box("place_ar", arabic=True)
        self.place_fr = _line_box("place_fr", arabic=False)
        self.signatories = [
            (
                _line_box(f"signatory_ar_{n}", arabic=True),
                _line_box(f"signatory_fr_{n}", arabic=False),
            )
            for n in range(1, SIGNATORIES + 1)
        ]
        self.captions: list[tuple[QLabel, QLabel]] = []

        self.logo_picture = QLabel()
        self.logo_picture.setObjectName("logoPicture")
        self.logo_picture.setFixedSize(LOGO_SHOWN, LOGO_SHOWN)
        self.logo_picture.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.logo_picture.setStyleSheet("QLabel { border: 1px solid #dedad2; border-radius: 4px; }")
        self.logo_name = muted_label()
        self.logo_name.setObjectName("logoName")
        self.choose_logo_button = QPushButton()
        self.choose_logo_button.setObjectName("chooseLogo")
        self.choose_logo_button.clicked.connect(self.choose_logo)
        self.remove_logo_button = QPushButton()
        self.remove_logo_button.setObjectName("removeLogo")
        self.remove_logo_button.clicked.connect(self.remove_logo)
        logo = QWidget()
        logo_row = QHBoxLayout(logo)
        logo_row.setContentsMargins(0, 0, 0, 0)
        logo_row.addWidget(self.logo_picture)
        logo_row.addWidget(self.logo_name, 1)
        logo_row.addWidget(self.choose_logo_button)
        logo_row.addWidget(self.remove_logo_button)

        self.min_attendance = QSpinBox()
        self.min_attendance.setObjectName("min_attendance")
        self.min_attendance.setRange(0, 100)
        self.min_attendance.setSingleStep(5)
        self.min_attendance.setMinimumWidth(110)
        self.min_attendance_hint = muted_label(wrap=False)
        rule = QWidget()
        rule_row = QHBoxLayout(rule)
        rule_row.setContentsMargins(0, 0, 0, 0)
        rule_row.addWidget(self.min_attendance)
        rule_row.addWidget(self.min_attendance_hint)
        rule_row.addStretch(1)

        header = self._pair("header_ar", self.header_ar, "header_fr", self.header_fr)
        header.addWidget(self.header_hint)
        self.labels = {name: QLabel() for name in ("header", "place", "signatories")}
        self.form.addRow(self.labels["header"], header)
        self.form.addRow(
            self.labels["place"], self._pair("place_ar", self.place_ar, "place_fr", self.place_fr)
        )
        self.form.addRow(self.labels["signatories"], self._signatory_grid())
        self.form.add_field("logo", logo, focus=self.choose_logo_button)
        self.form.add_field("min_attendance", rule, focus=self.min_attendance)

        self.save_button = QPushButton()
        # The look of the primary action, as the other cards' Save.
        self.save_button.setObjectName("primary")
        self.default_button = QPushButton()
        self.default_button.setObjectName("defaultDocuments")
        self.saved = muted_label()
        self.saved.setObjectName("documentsSaved")
        self.saved.hide()
        buttons = QHBoxLayout()
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.default_button)
        buttons.addWidget(self.saved)
        buttons.addStretch(1)
        self.body.addWidget(self.explained)
        self.body.addWidget(self.general_error)
        self.body.addLayout(self.form)
        self.body.addLayout(buttons)
        for edit in self.edits():
            edit.textChanged.connect(lambda *_text: self.saved.hide())
        self.min_attendance.valueChanged.connect(lambda _v: self.saved.hide())

    def _pair(self, ar_name: str, ar: QWidget, fr_name: str, fr: QWidget) -> QVBoxLayout:
        """The Arabic and the French of one setting side by side, each captioned with its
        language and with its own message line."""
        columns = QHBoxLayout()
        columns.setSpacing(12)
        captions = (muted_label(), muted_label())
        self.captions.append(captions)
        for caption, name, widget in ((captions[0], ar_name, ar), (captions[1], fr_name, fr)):
            column = QVBoxLayout()
            column.setSpacing(2)
            column.addWidget(caption)
            column.addLayout(self.messages.wrap(name, widget))
            # A message under one language's box does not push the other's down.
            column.addStretch(1)
            columns.addLayout(column, 1)
        outer = QVBoxLayout()
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addLayout(columns)
        return outer

    def _signatory_grid(self) -> QLayout:
        grid = QGridLayout()
        grid.setHorizontalSpacing(12)
        grid.setVerticalSpacing(6)
        captions = (muted_label(), muted_label())
        self.captions.append(captions)
        grid.addWidget(captions[0], 0, 0)
        grid.addWidget(captions[1], 0, 1)
        for row, (ar, fr) in enumerate(self.signatories, start=1):
            grid.addWidget(ar, row, 0)
            grid.addWidget(fr, row, 1)
        holder = QWidget()
        holder.setLayout(grid)
        grid.setContentsMargins(0, 0, 0, 0)
        # One message line for the titles together: the service checks them as one list.
        return self.messages.wrap("signatories", holder, focus=self.signatories[0][0])

    def edits(self) -> list[QPlainTextEdit | QLineEdit]:
        return [
            self.header_ar,
            self.header_fr,
            self.place_ar,
            self.place_fr,
            *(box for pair in self.signatories for box in pair),
        ]

    def tab_order(self) -> list[QWidget]:
        """The fields and buttons in the order the eye reads them."""
        return [
            self.header_ar,
            self.header_fr,
            self.place_ar,
            self.place_fr,
            *(box for pair in self.signatories for box in pair),
            self.choose_logo_button,
            self.remove_logo_button,
            self.min_attendance,
            self.save_button,
            self.default_button,
        ]

    def retranslate_ui(self) -> None:
        self.title.setText(_("Printed documents"))
        self.explained.setText(
            _(
                "What the top of every document says, where documents are written, who "
                "signs them, and when an end of training certificate may be issued. Kept "
                "on this computer, for its printer and its stamp."
            )
        )
        self.labels["header"].setText(_("Header lines"))
        self.labels["place"].setText(_("Written at"))
        self.labels["signatories"].setText(_("Titles of the signatories"))
        self.form.set_labels(
            {
                "logo": _("Logo"),
                "min_attendance": _("Attendance needed"),
            }
        )
        self.min_attendance_hint.setText(
            _("of the sessions marked, for an end of training certificate")
        )
        for ar, fr in self.captions:
            ar.setText(_("In Arabic"))
            fr.setText(_("In French"))
        self.header_hint.setText(
            _(
                "One line each, from the top, {count} at most. {province} and {centre} are "
                "replaced by the names of the province and of the centre."
            ).format(count=format_number(HEADER_LINES), province=ltr(PROVINCE), centre=ltr(CENTRE))
        )
        self.min_attendance.setSpecialValueText(_("no rule"))
        self.min_attendance.setSuffix(_(" %"))
        self.choose_logo_button.setText(_("Choose an image…"))
        self.remove_logo_button.setText(_("Remove the logo"))
        self.save_button.setText(_("Save"))
        self.default_button.setText(_("Back to the defaults"))
        self.saved.setText(_("Saved."))
        self._show_logo()

    # -- showing -------------------------------------------------------------------------

    def show_settings(self, settings: DocumentSettings) -> None:
        """Fill the fields from what documents use now."""
        self._loaded = settings
        template = settings.template
        self.header_ar.setPlainText("\n".join(template.header_ar))
        self.header_fr.setPlainText("\n".join(template.header_fr))
        self.place_ar.setText(template.place_ar)
        self.place_fr.setText(template.place_fr)
        for index, (ar, fr) in enumerate(self.signatories):
            title = template.signatories[index] if index < len(template.signatories) else None
            ar.setText(title.title_ar if title else "")
            fr.setText(title.title_fr if title else "")
        self.min_attendance.setValue(settings.rules.min_attendance or 0)
        self.logo_file, self._logo_removed = None, False
        self._show_logo()
        self.messages.clear()

    def _show_logo(self) -> None:
        picture = QPixmap()
        if self.logo_file is not None:
            picture.load(self.logo_file)
            name = Path(self.logo_file).name
        elif self._loaded is not None and self._loaded.template.logo_png and not self._logo_removed:
            picture.loadFromData(self._loaded.template.logo_png)
            name = _("The logo printed now.")
        else:
            name = _("No logo: documents are printed without one.")
        self.logo_name.setText(name)
        if picture.isNull():
            self.logo_picture.clear()
        else:
            self.logo_picture.setPixmap(
                picture.scaled(
                    LOGO_SHOWN - 4,
                    LOGO_SHOWN - 4,
                    Qt.AspectRatioMode.KeepAspectRatio,
                    Qt.TransformationMode.SmoothTransformation,
                )
            )
        self.logo_picture.setVisible(not picture.isNull())
        has_logo = self.logo_file is not None or (
            self._loaded is not None
            and bool(self._loaded.template.logo_png)
            and not self._logo_removed
        )
        self.remove_logo_button.setEnabled(has_logo)

    # -- the logo ------------------------------------------------------------------------

    def choose_logo(self) -> None:
        dialog = QFileDialog(
            self,
            _("Choose the logo"),
            str(Path.home()),
            _("Images ({kinds})").format(kinds=IMAGE_FILES),
        )
        dialog.setObjectName("chooseLogoDialog")
        dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
        dialog.fileSelected.connect(self.logo_chosen)
        dialog.finished.connect(dialog.deleteLater)
        self.logo_dialog = dialog
        dialog.open()

    def logo_chosen(self, path: str) -> None:
        self.logo_file, self._logo_removed = path, False
        self.saved.hide()
        self._show_logo()

    def remove_logo(self) -> None:
        self.logo_file, self._logo_removed = None, True
        self.saved.hide()
        self._show_logo()

    # -- what was changed ----------------------------------------------------------------

    def change(self) -> TemplateChange:
        """What was changed since the settings were shown."""
        loaded = self._loaded
        assert loaded is not None
        template = loaded.template

        def changed(now: tuple[str, ...], before: tuple[str, ...]) -> tuple[str, ...] | None:
            return now if tuple(line.strip() for line in now) != before else None

        signatories = tuple(
            (ar.text(), fr.text())
            for ar, fr in self.signatories
            if ar.text().strip() or fr.text().strip()
        )
        before = tuple((s.title_ar, s.title_fr) for s in template.signatories)
        minimum = self.min_attendance.value()
        reset: list[str] = []
        if self._logo_removed and self.logo_file is None and template.logo_png:
            reset.append("logo")
        if minimum == 0 and loaded.rules.min_attendance is not None:
            reset.append("min_attendance")
        return TemplateChange(
            header_ar=changed(_lines(self.header_ar), template.header_ar),
            header_fr=changed(_lines(self.header_fr), template.header_fr),
            signatories=(
                signatories
                if tuple((a.strip(), f.strip()) for a, f in signatories) != before
                else None
            ),
            place_ar=self.place_ar.text()
            if self.place_ar.text().strip() != template.place_ar
            else None,
            place_fr=self.place_fr.text()
            if self.place_fr.text().strip() != template.place_fr
            else None,
            logo=self.logo_file,
            min_attendance=(
                minimum if minimum and minimum != loaded.rules.min_attendance else None
            ),
            reset=tuple(reset),
        )

    def show_errors(self, rejected: InputRejected) -> None:
        self.saved.hide()
        self.messages.show(rejected)

    def show_saved(self, settings: DocumentSettings) -> None:
        self.show_settings(settings)
        self.saved.show()
