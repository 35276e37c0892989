"""The documents screen: choose a document, what it covers and its language; preview it,
print it or save it as a PDF.

On one side the documents the register prints (``app.pdf.documents.DOCUMENTS``), and the
certificates last; on the other, for the one chosen, the fields of its scope (a group, a
month), its language and options, and the three actions. A document is made on the
worker thread, with a progress dialog that can stop it (the sheets of every group take a
step per group); saving asks for the file first and writes it only once the whole PDF is
made, so a stopped job leaves nothing behind. Certificates are issued, not only printed:
they have a card of their own (``widgets.certificate_panel``), with the same keys.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QPushButton,
    QVBoxLayout,
)

from app.i18n import _, format_date, format_number, ltr, ngettext
from app.pdf import save_atomically
from app.pdf.documents import DOCUMENTS, DocumentKind, DocumentRequest, Option, Scope
from app.services.context import season_bounds
from app.services.groups import list_groups
from app.services.overview import identity
from app.services.progress import Cancelled, Progress
from app.services.records import GroupRecord
from app.services.unit_of_work import UnitOfWork
from app.ui.context import UiContext
from app.ui.screens.attendance import shift_month
from app.ui.screens.base import Screen
from app.ui.style import ACCENT, ACCENT_SOFT
from app.ui.tasks import TaskRunner
from app.ui.widgets.certificate_panel import CertificatePanel
from app.ui.widgets.document_actions import (
    PREVIEW_KEYS,
    PRINT_KEYS,
    SAVE_KEYS,
    DocumentActions,
    choices_form,
    language_box,
)
from app.ui.widgets.field_messages import error_label
from app.ui.widgets.pdf_preview import OutputFailed, cannot_write, page_sizes
from app.ui.widgets.record_table import muted_label, panel, tab_chain


@dataclass(frozen=True)
class Made:
    """A document made: its PDF, how many pages, its name, a file name for it."""

    data: bytes
    pages: int
    title: str
    file_name: str


def produce(
    runner: TaskRunner, kind: DocumentKind, request: DocumentRequest, progress: Progress
) -> bytes:
    """Worker thread: the PDF of ``kind`` for ``request``, read in one unit of work."""
    assert runner.register is not None
    with runner.register.unit_of_work(read_only=True) as uow:
        return kind.make(uow, request, progress.step)


def season_months(label: str) -> list[dt.date]:
    """The first day of each month of season ``label``, September to June."""
    first, last = season_bounds(label)
    months = [first]
    while shift_month(months[-1], 1) <= last:
        months.append(shift_month(months[-1], 1))
    return months


class DocumentsScreen(Screen):
    key = "documents"
    # Certificates follow who completed a group, who is in it, who came to an event.
    shows = frozenset({"group", "centre", "enrolment", "event"})

    def __init__(self, context: UiContext) -> None:
        super().__init__(context)
        self._groups: list[GroupRecord] = []
        self._months: list[dt.date] = []
        self._loaded = False

        self.heading = QLabel()
        self.heading.setObjectName("screenTitle")
        self.subheading = muted_label()

        # -- the documents
        self.list_panel, listing, self.list_title = panel()
        self.kinds = QListWidget()
        self.kinds.setObjectName("documents")
        self.kinds.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.kinds.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        # The look of the navigation list: the documents read as a choice, not a table.
        self.kinds.setStyleSheet(
            f"""
            QListWidget#documents {{ border: none; background: transparent; outline: none; }}
            QListWidget#documents::item {{ padding: 10px 8px; border-radius: 6px; }}
            QListWidget#documents::item:selected {{ background: {ACCENT_SOFT}; color: {ACCENT}; }}
            """
        )
        for _kind in DOCUMENTS:
            self.kinds.addItem("")
        # The certificates, after the documents that are only printed.
        self.kinds.addItem("")
        self.kinds.currentRowChanged.connect(lambda _row: self._kind_chosen())
        listing.addWidget(self.kinds)

        # -- the chosen one
        self.form_panel, chosen, self.kind_title = panel()
        self.description = muted_label()
        self.group_box = QComboBox()
        self.group_box.setObjectName("group")
        self.month_box = QComboBox()
        self.month_box.setObjectName("month")
        self.language_box = language_box("language")
        self.options: dict[str, tuple[Option, QCheckBox]] = {}
        for kind in DOCUMENTS:
            for option in kind.options:
                if option.key not in self.options:
                    box = QCheckBox()
                    box.setObjectName(option.key)
                    self.options[option.key] = (option, box)
        self.form = choices_form()
        self.labels = {
            Scope.GROUP: QLabel(),
            Scope.MONTH: QLabel(),
            "language": QLabel(),
        }
        for box in (self.group_box, self.month_box, self.language_box):
            box.setMinimumWidth(300)
        self.form.addRow(self.labels[Scope.GROUP], self.group_box)
        self.form.addRow(self.labels[Scope.MONTH], self.month_box)
        self.form.addRow(self.labels["language"], self.language_box)
        for _option, box in self.options.values():
            self.form.addRow("", box)
        self.no_groups = muted_label()

        self.actions = DocumentActions(
            context.runner,
            self,
            preview=self.show_preview,
            print_=self.print_document,
            save=self.save_as,
        )
        self.status = muted_label()
        self.error = error_label()
        self.keys_hint = muted_label()
        chosen.addWidget(self.description)
        chosen.addSpacing(6)
        chosen.addLayout(self.form)
        chosen.addWidget(self.no_groups)
        chosen.addSpacing(6)
        chosen.addLayout(self.actions.row)
        chosen.addWidget(self.status)
        chosen.addWidget(self.error)

        # Enter anywhere on the page previews (a focused button is pressed instead).
        for keys in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            QShortcut(
                QKeySequence(keys),
                self,
                activated=self._enter,
                context=Qt.ShortcutContext.WidgetWithChildrenShortcut,
            )
        QShortcut(QKeySequence(PRINT_KEYS), self, activated=self.print_document)
        QShortcut(QKeySequence(SAVE_KEYS), self, activated=self.save_as)

        sides = QHBoxLayout()
        sides.setSpacing(14)
        # Both cards as tall as what they hold, side by side; the page's foot stays empty.
        sides.addWidget(self.list_panel, 2, Qt.AlignmentFlag.AlignTop)
        sides.addWidget(self.form_panel, 5, Qt.AlignmentFlag.AlignTop)
        self.certificates = CertificatePanel(context)
        self.certificates.hide()
        sides.addWidget(self.certificates, 5, Qt.AlignmentFlag.AlignTop)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 16)
        layout.setSpacing(10)
        layout.addWidget(self.heading)
        layout.addWidget(self.subheading)
        layout.addSpacing(4)
        layout.addLayout(sides)
        # Under both cards: the keys work on the certificates' card too.
        layout.addSpacing(4)
        layout.addWidget(self.keys_hint)
        layout.addStretch(1)
        tab_chain(
            self.kinds,
            self.group_box,
            self.month_box,
            self.language_box,
            *(box for _option, box in self.options.values()),
            *self.actions.buttons,
            self.certificates.kind_box,
        )
        self.kinds.setCurrentRow(0)
        self.retranslate_ui()

    # -- text ----------------------------------------------------------------------------

    def retranslate_ui(self) -> None:
        self.heading.setText(self.title())
        self.subheading.setText(
            _("Choose a document and what it covers, then look at it before printing it.")
        )
        self.list_title.setText(_("Documents to print"))
        for row, kind in enumerate(DOCUMENTS):
            self.kinds.item(row).setText(_(kind.label))
        self.kinds.item(len(DOCUMENTS)).setText(_("Certificates"))
        self.certificates.retranslate_ui()
        # As tall and as wide as its labels: no scroll bar on a list of a few lines.
        rows = sum(self.kinds.sizeHintForRow(row) for row in range(self.kinds.count()))
        self.kinds.setFixedHeight(rows + 2 * self.kinds.frameWidth() + 4)
        self.kinds.setMinimumWidth(
            self.kinds.sizeHintForColumn(0) + 2 * self.kinds.frameWidth() + 4
        )
        self.labels[Scope.GROUP].setText(_("Group"))
        self.labels[Scope.MONTH].setText(_("Month"))
        self.labels["language"].setText(_("Language of the document"))
        for option, box in self.options.values():
            box.setText(_(option.label))
        self.actions.retranslate_ui(
            preview=_("Preview"), print_=_("Print…"), save=_("Save as PDF…")
        )
        self.keys_hint.setText(
            _(
                "{choose}: choose a document · {next}: next field · {preview}: preview · "
                "{print}: print · {save}: save as PDF"
            ).format(
                choose=ltr("↑ ↓"),
                next=ltr("Tab"),
                preview=ltr(PREVIEW_KEYS),
                print=ltr(PRINT_KEYS),
                save=ltr(SAVE_KEYS),
            )
        )
        self.no_groups.setText(_("No group has been opened this season yet."))
        for index, month in enumerate(self._months):
            self.month_box.setItemText(index, format_date(month, style="LLLL y"))
        self._kind_chosen()

    # -- loading -------------------------------------------------------------------------

    def refresh(self) -> None:
        def load(uow: UnitOfWork) -> tuple[list[GroupRecord], list[dt.date]]:
            return list_groups(uow), season_months(identity(uow).season_label)

        self.context.runner.with_uow(load, on_done=self._show, read_only=True)
        self.certificates.refresh()

    def _show(self, loaded: tuple[list[GroupRecord], list[dt.date]]) -> None:
        self._groups, months = loaded
        self._loaded = True
        # Items hold text (a record number, YYYY-MM): findData compares them by value.
        chosen_group = self.group_box.currentData()
        self.group_box.clear()
        for group in self._groups:
            self.group_box.addItem(group.name, str(group.id))
        found = self.group_box.findData(chosen_group)
        self.group_box.setCurrentIndex(max(found, 0) if self._groups else -1)

        chosen_month = self.month_box.currentData() or f"{self.context.today():%Y-%m}"
        self._months = months
        self.month_box.clear()
        for month in months:
            self.month_box.addItem(format_date(month, style="LLLL y"), f"{month:%Y-%m}")
        # The month chosen before, else this month, else the season's nearest end.
        found = self.month_box.findData(chosen_month)
        if found < 0 and months:
            found = 0 if chosen_month < f"{months[0]:%Y-%m}" else len(months) - 1
        self.month_box.setCurrentIndex(found)
        self._kind_chosen()

    # -- the document chosen -------------------------------------------------------------

    def chosen_kind(self) -> DocumentKind:
        return DOCUMENTS[min(max(self.kinds.currentRow(), 0), len(DOCUMENTS) - 1)]

    def on_certificates(self) -> bool:
        """Whether the certificates are chosen, not one of the printed documents."""
        return self.kinds.currentRow() == len(DOCUMENTS)

    def _kind_chosen(self) -> None:
        certificates = self.on_certificates()
        self.form_panel.setVisible(not certificates)
        self.certificates.setVisible(certificates)
        kind = self.chosen_kind()
        self.kind_title.setText(_(kind.label))
        self.description.setText(_(kind.description))
        for scope, box in ((Scope.GROUP, self.group_box), (Scope.MONTH, self.month_box)):
            self.form.setRowVisible(box, scope in kind.scope)
        for option, box in self.options.values():
            self.form.setRowVisible(box, option in kind.options)
        missing = self._loaded and not self._groups
        self.no_groups.setVisible(missing)
        self.actions.set_enabled(self._loaded and not missing)
        self.error.hide()

    def choose(self, key: str) -> None:
        """Show the document ``key`` (a ``DocumentKind.key``, or "certificates")."""
        keys = [kind.key for kind in DOCUMENTS] + ["certificates"]
        self.kinds.setCurrentRow(keys.index(key))

    def request(self) -> DocumentRequest:
        kind = self.chosen_kind()
        group = self.group_box.currentData()
        month = self.month_box.currentData()
        return DocumentRequest(
            language=self.language_box.currentData(),
            group=group if Scope.GROUP in kind.scope and group else None,
            month=month if Scope.MONTH in kind.scope and month else None,
            options=frozenset(
                option.key for option in kind.options if self.options[option.key][1].isChecked()
            ),
        )

    def _covers(self, *, for_file: bool) -> list[str]:
        """What the chosen document covers, in words: the group's name, the month."""
        kind, covers = self.chosen_kind(), []
        group = self.group_box.currentIndex()
        if Scope.GROUP in kind.scope and group >= 0:
            covers.append(self._groups[group].name)
        month = self.month_box.currentData()
        if Scope.MONTH in kind.scope and month:
            covers.append(month if for_file else self.month_box.currentText())
        return covers

    def document_title(self) -> str:
        """The chosen document's name with what it covers, in the window's language."""
        return self.chosen_kind().title(*self._covers(for_file=False))

    def file_name(self) -> str:
        """A file name for the chosen document, in the document's language."""
        return self.chosen_kind().file_name(
            *self._covers(for_file=True), language=self.language_box.currentData()
        )

    # -- the actions ---------------------------------------------------------------------

    def _enter(self) -> None:
        focused = QApplication.focusWidget()
        if isinstance(focused, QPushButton) and focused in (
            *self.actions.buttons,
            *self.certificates.actions.buttons,
        ):
            focused.click()
        else:
            self.show_preview()

    def _ready(self) -> bool:
        return not self.on_certificates() and self.actions.enabled

    def _make(self, then: Callable[[Made], None]) -> None:
        """Make the chosen document on the worker thread, then hand it to ``then``."""
        kind, request, runner = self.chosen_kind(), self.request(), self.context.runner
        title, file_name = self.document_title(), self.file_name()
        self.status.setText("")
        self.error.hide()

        def work(progress: Progress) -> Made:
            data = produce(runner, kind, request, progress)
            return Made(data, len(page_sizes(data)), title, file_name)

        runner.run_job(
            work,
            title=_("Preparing {document}…").format(document=title),
            parent=self,
            on_done=then,
        )

    def show_preview(self) -> None:
        if self.on_certificates():
            self.certificates.show_preview()
        elif self._ready():
            self._make(self._open_preview)

    def _open_preview(self, made: Made) -> None:
        self.actions.show_preview(made.data, title=made.title, file_name=made.file_name)

    def print_document(self) -> None:
        if self.on_certificates():
            self.certificates.print_certificates()
        elif self._ready():
            self._make(self._print)

    def _print(self, made: Made) -> None:
        self.actions.print_(
            made.data,
            pages=made.pages,
            title=made.title,
            file_name=made.file_name,
            printed=lambda sheets: self.status.setText(
                ngettext(
                    "{n} page sent to the printer.", "{n} pages sent to the printer.", sheets
                ).format(n=format_number(sheets))
            ),
        )

    def save_as(self) -> None:
        """Ask where, then make the document and write it there."""
        if self.on_certificates():
            self.certificates.save_as()
            return
        if self._ready():
            self.actions.ask_where(file_name=self.file_name(), then=self.save_to)

    def save_to(self, path: Path) -> None:
        kind, request, runner = self.chosen_kind(), self.request(), self.context.runner
        title = self.document_title()
        self.status.setText("")
        self.error.hide()

        def work(progress: Progress) -> Path:
            data = produce(runner, kind, request, progress)
            # Stopped after the last step: still nothing is written.
            if progress.cancelled:
                raise Cancelled
            try:
                save_atomically(path, data)
            except OSError as error:
                raise OutputFailed(cannot_write(path, error)) from error
            return path

        runner.run_job(
            work,
            title=_("Preparing {document}…").format(document=title),
            parent=self,
            on_done=lambda saved: self.status.setText(_("Saved in {file}.").format(file=saved)),
        )
