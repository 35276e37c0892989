"""The import wizard: a coordinator's list brought in, one page per step.

1. The file: an .xlsx or .csv (and the sheet, for a workbook of several). It is read in
   the background as soon as it is chosen, and what was found is said at once, or why it
   cannot be imported.
2. The columns: each column of the list, with its first values, and what it is taken as.
   The person corrects any of them; the mapping is remembered for the next list with the
   same headers.
3. The check: every row checked against the register's rules, in the background with a
   progress bar; the refused rows with the column and the reason (also saved as a
   workbook beside the list), and the people about to be added. Nothing is imported
   while a row is refused, unless "the valid rows only" is ticked.
4. The import, with a progress bar and Cancel (nothing is written when cancelled), and
   what was done.

The wizard reads and writes only through the services, on the window's worker thread.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QObject, QStandardPaths, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QTabWidget,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from app.i18n import N_, _, format_number, is_rtl, isolated, ngettext
from app.services.errors import InputRejected
from app.services.imports import headers
from app.services.imports.headers import FIELDS, Layout
from app.services.imports.plan import (
    ImportPlan,
    ImportResult,
    PlannedPerson,
    RowProblem,
    import_rows,
    plan_import,
)
from app.services.imports.reading import Table, listing, read_table
from app.services.imports.report import save_report
from app.services.progress import Cancelled, Progress
from app.services.unit_of_work import UnitOfWork
from app.ui.context import UiContext
from app.ui.table_models.record_list import Column, RecordListModel
from app.ui.widgets.field_messages import error_label
from app.ui.widgets.record_table import muted_label, record_table

SIZE = (820, 600)
SHOWN_PEOPLE = 200
COMBO_LETTERS = 26  # wide enough for "Family name (as on the ID card)" in either language


@dataclass(frozen=True)
class _Opened:
    table: Table
    layout: Layout


@dataclass(frozen=True)
class _Checked:
    plan: ImportPlan
    report: Path | None
    report_error: str | None


class _Job(QObject):
    """One piece of background work of the wizard, with its progress and cancel."""

    #: (done, total) from the worker thread, delivered on the GUI thread.
    progressed = Signal(int, int)

    def __init__(self, bar: QProgressBar) -> None:
        super().__init__()
        self.progress = Progress(on_step=self.progressed.emit)
        self.progressed.connect(self._show)
        self._bar = bar
        bar.setRange(0, 0)
        bar.show()

    def _show(self, done: int, total: int) -> None:
        self._bar.setRange(0, max(total, 1))
        self._bar.setValue(done)


def _row_id(row: int) -> uuid.UUID:
    """Rows of the file are known by their number."""
    return uuid.UUID(int=row)


def _problems_model() -> RecordListModel[RowProblem]:
    return RecordListModel(
        [
            Column(N_("Row"), lambda p: str(p.row), centred=True),
            Column(N_("Column"), lambda p: p.column),
            Column(N_("Value"), lambda p: p.value),
            Column(N_("Reason"), lambda p: p.message, tooltip=lambda p: p.message),
        ],
        lambda p: _row_id(p.row),
    )


def _person_date(person: PlannedPerson) -> str:
    birth = person.values.get("birth_date")
    return birth.isoformat() if isinstance(birth, dt.date) else ""


def _people_model() -> RecordListModel[PlannedPerson]:
    return RecordListModel(
        [
            Column(N_("Row"), lambda p: str(p.row), centred=True),
            Column(N_("Name"), lambda p: p.name),
            Column(N_("Birth date"), _person_date, centred=True),
            Column(N_("ID card number"), lambda p: str(p.values.get("cin") or ""), centred=True),
            Column(N_("Group"), lambda p: listing(g.name for g in p.groups)),
            Column(
                N_("In the register"),
                lambda p: _("Already in the register") if p.existing else _("To be added"),
            ),
        ],
        lambda p: _row_id(p.row),
        faded=lambda p: p.existing is not None,
    )


class FilePage(QWizardPage):
    """Choosing the list; it is read in the background as soon as it is chosen."""

    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self._wizard = wizard
        self.opened: _Opened | None = None
        self._serial = 0
        self._asked: tuple[str, str | None] | None = None
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.path = QLineEdit()
        self.path.setObjectName("importFile")
        self.path.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
        self.path.editingFinished.connect(self.read)
        self.choose = QPushButton()
        self.choose.clicked.connect(self._choose)
        self.sheet_label = QLabel()
        self.sheet = QComboBox()
        self.sheet.activated.connect(lambda _index: self.read(sheet=self.sheet.currentText()))
        self.found = muted_label()
        self.error = error_label()
        self.bar = QProgressBar()
        self.bar.hide()
        row = QHBoxLayout()
        row.addWidget(self.path, 1)
        row.addWidget(self.choose)
        sheet_row = QHBoxLayout()
        sheet_row.addWidget(self.sheet_label)
        sheet_row.addWidget(self.sheet, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addSpacing(8)
        layout.addLayout(row)
        layout.addLayout(sheet_row)
        layout.addWidget(self.bar)
        layout.addWidget(self.found)
        layout.addWidget(self.error)
        layout.addStretch(1)
        self._show_sheets(())

    def retranslate_ui(self) -> None:
        self.setTitle(_("The list to import"))
        self.intro.setText(
            _(
                "Choose the Excel workbook (.xlsx) or the CSV file of your list of "
                "beneficiaries. Its first rows may hold a title; the columns need headers "
                "such as الاسم العائلي, الاسم الشخصي, الجنس, تاريخ الازدياد (or Nom, "
                "Prénom, Sexe, Date de naissance). Nothing is written before you confirm."
            )
        )
        self.path.setPlaceholderText(_("The file of the list"))
        self.choose.setText(_("Choose…"))
        self.sheet_label.setText(_("Sheet"))
        if self.opened is not None:
            self._say_found(self.opened)

    def _choose(self) -> None:
        folder = self.path.text() or QStandardPaths.writableLocation(
            QStandardPaths.StandardLocation.DocumentsLocation
        )
        chosen, _filter = QFileDialog.getOpenFileName(
            self,
            _("The list to import"),
            folder,
            _("Lists (*.xlsx *.csv *.txt);;All files (*)"),
        )
        if chosen:
            self.path.setText(chosen)
            self.read()

    def read(self, *, sheet: str | None = None) -> None:
        """Read the file named in the box (in the background)."""
        text = self.path.text().strip()
        if not text or (text, sheet) == self._asked:
            return  # leaving the box without changing it does not read the file again
        self._asked = (text, sheet)
        self._serial += 1
        serial, path = self._serial, Path(text)
        self.opened = None
        self.error.hide()
        self.found.setText(_("Reading {name}…").format(name=isolated(path.name)))
        self.completeChanged.emit()

        def work(uow: UnitOfWork) -> _Opened:
            table = read_table(path, sheet=sheet)
            return _Opened(table, headers.with_remembered(uow, headers.detect_layout(table)))

        self._wizard.context.runner.with_uow(
            work,
            on_done=lambda opened: self._opened(serial, opened),
            on_error=lambda error: self._failed(serial, error),
            read_only=True,
        )

    def _opened(self, serial: int, opened: _Opened) -> None:
        if serial != self._serial:
            return
        self.opened = opened
        self._show_sheets(opened.table.sheets, opened.table.sheet)
        self._say_found(opened)
        self.completeChanged.emit()

    def _say_found(self, opened: _Opened) -> None:
        count = len(opened.table.rows) - opened.layout.data_start
        first, last = opened.layout.header_rows[0], opened.layout.header_rows[-1]
        rows = str(first) if first == last else f"{first}–{last}"
        self.found.setText(
            ngettext(
                "{name}: the header is on row {rows}, then {n} row of people.",
                "{name}: the header is on row {rows}, then {n} rows of people.",
                count,
            ).format(name=isolated(opened.table.path.name), rows=rows, n=format_number(count))
        )

    def _failed(self, serial: int, error: BaseException) -> None:
        if serial != self._serial:
            return
        self._asked = None  # the person may correct the file and try the same name again
        if not isinstance(error, InputRejected):
            self._wizard.context.runner.failed.emit(str(error))
            return
        self.found.setText("")
        self.error.setText(" ".join(e.message for e in error.errors))
        self.error.show()

    def _show_sheets(self, sheets: tuple[str, ...], current: str | None = None) -> None:
        self.sheet.clear()
        self.sheet.addItems(list(sheets))
        if current is not None:
            self.sheet.setCurrentText(current)
        several = len(sheets) > 1
        self.sheet.setVisible(several)
        self.sheet_label.setVisible(several)

    def isComplete(self) -> bool:  # noqa: N802 - Qt's name
        return self.opened is not None


class MappingPage(QWizardPage):
    """Each column of the list and what it is taken as, corrected with a choice box."""

    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self._wizard = wizard
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.remembered = muted_label()
        self.error = error_label()
        self.grid = QGridLayout()
        self.grid.setHorizontalSpacing(14)
        self.grid.setVerticalSpacing(6)
        self.combos: list[QComboBox] = []
        self._titles: list[QLabel] = []
        inner = QWidget()
        inner.setLayout(self.grid)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(inner)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(self.remembered)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.error)

    def retranslate_ui(self) -> None:
        self.setTitle(_("What each column holds"))
        self.intro.setText(
            _(
                "Check what each column of your list is taken as, and correct it where it "
                "is wrong. Columns taken as nothing are not imported. Required: the family "
                "and given names in Arabic, the sex and the birth date."
            )
        )
        self.remembered.setText(_("As you chose for the last list with the same columns."))
        for title, text in zip(
            self._titles, (_("Column"), _("First values"), _("Taken as")), strict=False
        ):
            title.setText(text)
        for combo in self.combos:
            combo.setItemText(0, _("— not imported —"))
            for index, field in enumerate(FIELDS, start=1):
                combo.setItemText(index, headers.field_label(field.key))

    def initializePage(self) -> None:  # noqa: N802 - Qt's name
        opened = self._wizard.file_page.opened
        assert opened is not None
        while self.grid.count():
            item = self.grid.takeAt(0)
            if item.widget() is not None:
                item.widget().deleteLater()
        self.combos, self._titles = [], []
        for column_number in range(3):
            title = QLabel()
            title.setObjectName("cardTitle")
            self._titles.append(title)
            self.grid.addWidget(title, 0, column_number)
        layout = opened.layout
        for row, (column, key) in enumerate(zip(layout.columns, layout.mapping, strict=True), 1):
            self.grid.addWidget(QLabel(column.title()), row, 0)
            samples = muted_label(wrap=False)
            # Each value keeps its own direction; they follow each other as the window reads.
            mark = (
                "\u200f" if is_rtl() else "\u200e"
            )  # the window's direction, not the first value's
            samples.setText(mark + " · ".join(isolated(sample) for sample in column.samples))
            # The values take the room left, cut at the edge: the choice boxes stay in view.
            samples.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
            samples.setMinimumWidth(120)
            self.grid.addWidget(samples, row, 1)
            combo = QComboBox()
            combo.setObjectName(f"column_{column.letter}")
            combo.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
            )
            combo.setMinimumContentsLength(COMBO_LETTERS)
            combo.addItem("", None)
            for field in FIELDS:
                combo.addItem("", field.key)
            combo.setCurrentIndex(max(combo.findData(key), 0) if key else 0)
            combo.currentIndexChanged.connect(self.error.hide)
            self.combos.append(combo)
            self.grid.addWidget(combo, row, 2)
        self.grid.setColumnStretch(1, 1)
        self.grid.setRowStretch(len(layout.columns) + 1, 1)
        self.remembered.setVisible(layout.remembered)
        self.error.hide()
        self.retranslate_ui()

    def mapping(self) -> tuple[str | None, ...]:
        return tuple(combo.currentData() for combo in self.combos)

    def choose(self, letter: str, field: str | None) -> None:
        """Take column ``letter`` as ``field`` (None: not imported), as the person would."""
        combo = self.findChild(QComboBox, f"column_{letter}")
        combo.setCurrentIndex(max(combo.findData(field), 0) if field else 0)

    def validatePage(self) -> bool:  # noqa: N802 - Qt's name
        opened = self._wizard.file_page.opened
        assert opened is not None
        mapping = self.mapping()
        try:
            headers.check_mapping(opened.layout, mapping)
        except InputRejected as refused:
            self.error.setText(" ".join(e.message for e in refused.errors))
            self.error.show()
            return False
        self._wizard.context.runner.with_uow(
            lambda uow: headers.remember(uow, opened.layout, mapping)
        )
        return True


class CheckPage(QWizardPage):
    """Every row checked; the refused ones with their reasons, the people to add."""

    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self._wizard = wizard
        self.checked: _Checked | None = None
        self.job: _Job | None = None
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setObjectName("summary")
        self.bar = QProgressBar()
        self.bar.hide()
        self.report = muted_label()
        self.report.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.problems_model = _problems_model()
        self.problems = record_table(self.problems_model, name="refused", stretch=3)
        self.people_model = _people_model()
        self.people = record_table(self.people_model, name="to_import", stretch=1)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.problems, "")
        self.tabs.addTab(self.people, "")
        self.valid_only = QCheckBox()
        self.valid_only.setObjectName("validOnly")
        self.valid_only.toggled.connect(self.completeChanged)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.bar)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.report)
        layout.addWidget(self.valid_only)
        self.setCommitPage(True)

    def retranslate_ui(self) -> None:
        self.setTitle(_("The check of every row"))
        self.setButtonText(QWizard.WizardButton.CommitButton, _("Import"))
        self.problems_model.retranslate()
        self.people_model.retranslate()
        self._fill()

    def initializePage(self) -> None:  # noqa: N802 - Qt's name
        opened = self._wizard.file_page.opened
        assert opened is not None
        mapping = self._wizard.mapping_page.mapping()
        today = self._wizard.context.today()
        self.checked = None
        self.valid_only.setChecked(False)
        self.problems_model.set_records([])
        self.people_model.set_records([])
        self.job = job = _Job(self.bar)

        def work(uow: UnitOfWork) -> _Checked:
            plan = plan_import(
                uow, opened.table, opened.layout, mapping, today=today, progress=job.progress
            )
            if not plan.problems:
                return _Checked(plan, None, None)
            try:
                return _Checked(plan, save_report(plan, opened.table.path), None)
            except InputRejected as error:
                return _Checked(plan, None, error.errors[0].message)

        self._wizard.context.runner.with_uow(
            work,
            on_done=lambda checked: self._done(job, checked),
            on_error=lambda error: self._failed(job, error),
            read_only=True,
        )
        self.retranslate_ui()

    def cleanupPage(self) -> None:  # noqa: N802 - Qt's name
        """Back to the columns: a check still running is stopped, its answer ignored."""
        if self.job is not None:
            self.job.progress.cancel()
            self.job = None
            self.bar.hide()

    def _done(self, job: _Job, checked: _Checked) -> None:
        if job is not self.job:
            return  # the person went back meanwhile: a newer check (or none) counts
        self.job = None
        self.bar.hide()
        self.checked = checked
        self.problems_model.set_records(checked.plan.problems)
        self.people_model.set_records(checked.plan.people[:SHOWN_PEOPLE])
        self.tabs.setCurrentIndex(0 if checked.plan.problems else 1)
        self._fill()
        self.completeChanged.emit()
        self._wizard.job_ended()

    def _failed(self, job: _Job, error: BaseException) -> None:
        if job is not self.job:
            return
        self.job = None
        self.bar.hide()
        self._wizard.job_ended()
        if isinstance(error, Cancelled):
            return
        if isinstance(error, InputRejected):
            self.summary.setText(" ".join(e.message for e in error.errors))
            return
        self._wizard.context.runner.failed.emit(str(error))

    def _fill(self) -> None:
        """The texts that depend on the check's result, in the current language."""
        self.tabs.setTabText(0, _("Refused rows"))
        self.tabs.setTabText(1, _("People to import"))
        if self.checked is None:
            self.summary.setText(_("Checking every row…"))
            self.report.hide()
            self.valid_only.hide()
            return
        plan = self.checked.plan
        refused, new, known = len(plan.rejected_rows), len(plan.new), len(plan.known)
        parts = [
            ngettext("{n} person to add", "{n} people to add", new).format(n=format_number(new)),
            ngettext("{n} enrolment", "{n} enrolments", plan.enrolments).format(
                n=format_number(plan.enrolments)
            ),
            ngettext("{n} already in the register", "{n} already in the register", known).format(
                n=format_number(known)
            ),
            ngettext("{n} row refused", "{n} rows refused", refused).format(
                n=format_number(refused)
            ),
        ]
        text = " · ".join(parts)
        if refused:
            text += "\n" + _(
                "Nothing is imported while rows are refused: correct them in the list and "
                "import it again, or import the valid rows only."
            )
        elif not new and not plan.enrolments:
            text += "\n" + _("There is nothing new to import from this list.")
        self.summary.setText(text)
        self.tabs.setTabText(0, _("Refused rows ({n})").format(n=format_number(len(plan.problems))))
        self.tabs.setTabText(
            1, _("People to import ({n})").format(n=format_number(len(plan.people)))
        )
        if self.checked.report is not None:
            self.report.setText(
                _("The refused rows and their reasons are saved beside the list, in {name}").format(
                    name=isolated(self.checked.report.name)
                )
            )
        elif self.checked.report_error:
            self.report.setText(self.checked.report_error)
        self.report.setVisible(bool(self.checked.report or self.checked.report_error))
        valid = len(plan.people)
        self.valid_only.setText(
            ngettext(
                "Import the valid row only, and leave the refused rows out",
                "Import the {n} valid rows only, and leave the refused rows out",
                valid,
            ).format(n=format_number(valid))
        )
        self.valid_only.setVisible(bool(refused) and valid > 0)

    def isComplete(self) -> bool:  # noqa: N802 - Qt's name
        if self.checked is None:
            return False
        plan = self.checked.plan
        if not plan.new and not plan.enrolments:
            return False
        return not plan.problems or self.valid_only.isChecked()


class DonePage(QWizardPage):
    """The import itself, then what was done."""

    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self._wizard = wizard
        self.result: ImportResult | None = None
        self.job: _Job | None = None
        self._stopped = False
        self._refusal: str | None = None
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setObjectName("summary")
        self.bar = QProgressBar()
        self.bar.hide()
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.bar)
        layout.addStretch(1)

    def retranslate_ui(self) -> None:
        self.setTitle(_("The import"))
        self._fill()

    def initializePage(self) -> None:  # noqa: N802 - Qt's name
        opened = self._wizard.file_page.opened
        assert opened is not None
        mapping = self._wizard.mapping_page.mapping()
        valid_only = self._wizard.check_page.valid_only.isChecked()
        today = self._wizard.context.today()
        self.result, self._stopped, self._refusal = None, False, None
        self.job = job = _Job(self.bar)

        def work(uow: UnitOfWork) -> ImportResult:
            _plan, result = import_rows(
                uow,
                opened.table,
                opened.layout,
                mapping,
                today=today,
                valid_only=valid_only,
                progress=job.progress,
            )
            return result

        self._wizard.context.runner.with_uow(work, on_done=self._done, on_error=self._failed)
        self.retranslate_ui()

    def _done(self, result: ImportResult) -> None:
        self.job = None
        self.bar.hide()
        self.result = result
        self._fill()
        self.completeChanged.emit()
        self._wizard.context.announce("beneficiary", "enrolment")
        self._wizard.job_ended()

    def _failed(self, error: BaseException) -> None:
        self.job = None
        self.bar.hide()
        if isinstance(error, Cancelled):
            self._stopped = True
        elif isinstance(error, InputRejected):
            self._refusal = " ".join(e.message for e in error.errors)
        else:
            self._wizard.context.runner.failed.emit(str(error))
            self._refusal = _("The import failed; nothing was written.")
        self._fill()
        self.completeChanged.emit()
        self._wizard.job_ended()

    def _fill(self) -> None:
        if self._stopped:
            self.summary.setText(_("The import was stopped; nothing was written."))
        elif self._refusal is not None:
            self.summary.setText(self._refusal)
        elif self.result is None:
            self.summary.setText(_("Importing…"))
        else:
            result = self.result
            lines = [
                ngettext(
                    "{n} person was added to the register.",
                    "{n} people were added to the register.",
                    result.registered,
                ).format(n=format_number(result.registered)),
                ngettext(
                    "{n} enrolment was made.", "{n} enrolments were made.", result.enrolled
                ).format(n=format_number(result.enrolled)),
            ]
            if result.already:
                lines.append(
                    ngettext(
                        "{n} person was already in the register and was left as is.",
                        "{n} people were already in the register and were left as they were.",
                        result.already,
                    ).format(n=format_number(result.already))
                )
            if result.left_out:
                lines.append(
                    ngettext(
                        "{n} refused row was left out.",
                        "{n} refused rows were left out.",
                        result.left_out,
                    ).format(n=format_number(result.left_out))
                )
            self.summary.setText("\n".join(lines))

    def isComplete(self) -> bool:  # noqa: N802 - Qt's name
        return self.job is None


class ImportWizard(QWizard):
    """The four pages; Cancel while work runs stops it first (nothing half-written)."""

    def __init__(self, context: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.setObjectName("importWizard")
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage, True)
        self.resize(*SIZE)
        self._closing = False
        self.file_page = FilePage(self)
        self.mapping_page = MappingPage(self)
        self.check_page = CheckPage(self)
        self.done_page = DonePage(self)
        for page in (self.file_page, self.mapping_page, self.check_page, self.done_page):
            self.addPage(page)
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        self.setWindowTitle(_("Import from a spreadsheet"))
        self.setButtonText(QWizard.WizardButton.BackButton, _("< Back"))
        self.setButtonText(QWizard.WizardButton.NextButton, _("Next >"))
        self.setButtonText(QWizard.WizardButton.CancelButton, _("Cancel"))
        self.setButtonText(QWizard.WizardButton.FinishButton, _("Close"))
        for page in (self.file_page, self.mapping_page, self.check_page, self.done_page):
            page.retranslate_ui()

    def running(self) -> _Job | None:
        return self.check_page.job or self.done_page.job

    def reject(self) -> None:
        """Cancel: a running check or import is stopped first, then the wizard closes."""
        job = self.running()
        if job is None:
            super().reject()
            return
        self._closing = True
        job.progress.cancel()

    def job_ended(self) -> None:
        if self._closing:
            self._closing = False
            super().reject()
        elif self.currentPage() is self.done_page:
            # Done: there is nothing left to cancel, only to close.
            self.button(QWizard.WizardButton.CancelButton).hide()
