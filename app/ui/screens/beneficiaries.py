"""The beneficiaries screen: search as you type, filters, and the form to add or correct.

Each keystroke asks the services for the matching ids (and the first rows) on the worker
thread; only the newest answer is shown. The form keeps unsaved typing while the person
looks at the list or goes to another screen; choosing another person asks first.

Lists come in through the import wizard (Ctrl+I) and go out as spreadsheets (Ctrl+E):
the people of the list as it is filtered, the season's enrolments or its attendance.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QItemSelectionModel, QStandardPaths, Qt
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.i18n import N_, _, current_language, format_number, ngettext
from app.services import beneficiaries as service
from app.services import exports
from app.services.beneficiaries import BeneficiaryFilter, BeneficiaryPage
from app.services.errors import DuplicateCin, InputRejected
from app.services.exports import ExportResult
from app.services.groups import list_groups
from app.services.records import BeneficiaryRecord, GroupRecord
from app.services.unit_of_work import UnitOfWork
from app.ui.context import UiContext
from app.ui.screens.base import Screen
from app.ui.table_models.beneficiaries import CHUNK, BeneficiaryTableModel
from app.ui.widgets.beneficiary_form import BeneficiaryForm
from app.ui.widgets.flow_layout import FlowLayout
from app.ui.widgets.import_wizard import ImportWizard
from app.ui.widgets.own_direction import OwnDirectionDelegate
from app.vocabulary import Sex

LIST_LIMIT = 5000
STATUSES = (
    ("active", N_("In a group now")),
    ("completed", N_("Completed a training")),
    ("dropped", N_("Dropped out")),
    ("none", N_("In no group")),
)
IMPORT_KEYS = "Ctrl+I"
EXPORT_KEYS = "Ctrl+E"
# What can be exported from here: the file's default name, and the menu's words.
EXPORTS = (
    ("beneficiaries", N_("Beneficiaries"), N_("The people of the list as shown…")),
    ("enrolments", N_("Enrolments"), N_("The enrolments of the season…")),
    ("attendance", N_("Attendance"), N_("The attendance of the season…")),
)


class BeneficiariesScreen(Screen):
    key = "beneficiaries"
    shows = frozenset({"beneficiary", "enrolment", "group"})

    def __init__(self, context: UiContext) -> None:
        super().__init__(context)
        self._serial = 0
        self._groups: list[GroupRecord] = []
        self.heading = QLabel()
        self.heading.setObjectName("screenTitle")
        self.import_wizard: ImportWizard | None = None
        self.import_button = QPushButton()
        self.import_button.setObjectName("importButton")
        self.import_button.clicked.connect(self.open_import)
        self.export_menu = QMenu(self)
        self.export_actions: dict[str, QAction] = {}
        for kind, _name, _text in EXPORTS:
            action = self.export_menu.addAction("")
            action.triggered.connect(lambda _checked=False, k=kind: self.export(k))
            self.export_actions[kind] = action
        self.export_button = QPushButton()
        self.export_button.setObjectName("exportButton")
        self.export_button.setMenu(self.export_menu)
        QShortcut(QKeySequence(IMPORT_KEYS), self, activated=self.open_import)
        QShortcut(QKeySequence(EXPORT_KEYS), self, activated=self.export_button.showMenu)
        self.search = QLineEdit()
        self.search.setClearButtonEnabled(True)
        self.search.setObjectName("search")
        self.search.textChanged.connect(self.find)
        self.sex = QComboBox()
        self.status = QComboBox()
        self.group = QComboBox()
        for combo in (self.sex, self.status, self.group):
            combo.currentIndexChanged.connect(self.find)
        self.count = QLabel()
        self.count.setObjectName("muted")

        self.model = BeneficiaryTableModel(context.runner)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        # Measure only the rows in view: the others are not even fetched yet.
        header.setResizeContentsPrecision(0)
        for column in (0, 1):  # the two names take the room left
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
        self.table.setAlternatingRowColors(True)
        # One line per person: a long name is cut with "…" at its own end, not wrapped.
        self.table.setWordWrap(False)
        self.names_delegate = OwnDirectionDelegate(self.table)
        for column in (0, 1):
            self.table.setItemDelegateForColumn(column, self.names_delegate)
        self.table.selectionModel().currentRowChanged.connect(self._row_chosen)

        self.form = BeneficiaryForm()
        self.form.edited.connect(self._update_buttons)
        self.form_title = QLabel()
        self.form_title.setObjectName("cardTitle")
        self.save_button = QPushButton()
        self.save_button.setObjectName("primary")
        self.save_button.clicked.connect(self.save)
        self.new_button = QPushButton()
        self.new_button.clicked.connect(self.new_person)
        self.discard_button = QPushButton()
        self.discard_button.clicked.connect(self._discard)
        QShortcut(QKeySequence.StandardKey.Save, self, activated=self.save)
        QShortcut(QKeySequence.StandardKey.Find, self, activated=self.search.setFocus)

        filters = QHBoxLayout()
        filters.addWidget(self.sex, 1)
        filters.addWidget(self.status, 1)
        filters.addWidget(self.group, 1)
        list_side = QWidget()
        list_layout = QVBoxLayout(list_side)
        list_layout.setContentsMargins(0, 0, 0, 0)
        list_layout.addWidget(self.search)
        list_layout.addLayout(filters)
        list_layout.addWidget(self.table, 1)
        list_layout.addWidget(self.count)

        # In French the three are wider than the panel: they wrap rather than being cut.
        buttons = FlowLayout()
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.discard_button)
        buttons.add_trailing(self.new_button)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.form)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        form_side = QWidget()
        form_layout = QVBoxLayout(form_side)
        form_layout.setContentsMargins(12, 0, 0, 0)
        form_layout.addWidget(self.form_title)
        form_layout.addWidget(scroll, 1)
        form_layout.addLayout(buttons)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(list_side)
        splitter.addWidget(form_side)
        # The list gets the room; the form keeps a comfortable column beside it.
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 0)
        form_side.setMinimumWidth(320)
        splitter.setSizes([720, 360])
        top = QHBoxLayout()
        top.addWidget(self.heading, 1)
        top.addWidget(self.import_button, 0, Qt.AlignmentFlag.AlignBottom)
        top.addWidget(self.export_button, 0, Qt.AlignmentFlag.AlignBottom)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 16)
        layout.addLayout(top)
        layout.addWidget(splitter, 1)
        self.retranslate_ui()
        self.form.load(None)

    # -- text ----------------------------------------------------------------------------

    def retranslate_ui(self) -> None:
        self.heading.setText(self.title())
        self.search.setPlaceholderText(_("Search by name, ID card number or phone"))
        self._fill_combo(self.sex, _("Women and men"), [(s.value, s.label) for s in Sex])
        self._fill_combo(self.status, _("Any situation"), [(k, _(t)) for k, t in STATUSES])
        self._fill_combo(self.group, _("All groups"), [(g.id, g.name) for g in self._groups])
        self.save_button.setText(_("Save"))
        self.discard_button.setText(_("Discard changes"))
        self.new_button.setText(_("New beneficiary"))
        self.import_button.setText(_("Import from a spreadsheet…"))
        self.import_button.setToolTip(
            _("Bring in a list of beneficiaries from an .xlsx or .csv file ({keys})").format(
                keys=IMPORT_KEYS
            )
        )
        self.export_button.setText(_("Export…"))
        self.export_button.setToolTip(
            _("Save as an .xlsx or .csv file ({keys})").format(keys=EXPORT_KEYS)
        )
        for kind, _name, text in EXPORTS:
            self.export_actions[kind].setText(_(text))
        if self.import_wizard is not None:
            self.import_wizard.retranslate_ui()
        self.form.retranslate_ui()
        self.model.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, 4)
        self._update_buttons()

    @staticmethod
    def _fill_combo(combo: QComboBox, everyone: str, items: list[tuple[object, str]]) -> None:
        chosen = combo.currentData()
        combo.blockSignals(True)
        combo.clear()
        combo.addItem(everyone, None)
        for data, text in items:
            combo.addItem(text, data)
        combo.setCurrentIndex(max(combo.findData(chosen), 0) if chosen is not None else 0)
        combo.blockSignals(False)

    # -- list ----------------------------------------------------------------------------

    def filters(self) -> BeneficiaryFilter:
        return BeneficiaryFilter(
            text=self.search.text(),
            sex=self.sex.currentData(),
            status=self.status.currentData(),
            group_id=self.group.currentData(),
        )

    def refresh(self) -> None:
        """Reload the group filter's choices, then the list."""
        self.context.runner.with_uow(list_groups, on_done=self._groups_loaded, read_only=True)
        self.find()

    def _groups_loaded(self, groups: list[GroupRecord]) -> None:
        if [g.id for g in groups] != [g.id for g in self._groups]:
            self._groups = groups
            self._fill_combo(self.group, _("All groups"), [(g.id, g.name) for g in groups])

    def find(self) -> None:
        """Ask for the people matching the search box and filters (each keystroke)."""
        self._serial += 1
        serial, filters = self._serial, self.filters()
        editing = self.form.editing.id if self.form.editing else None

        def work(uow: UnitOfWork) -> BeneficiaryPage | None:
            if serial != self._serial:
                return None  # a newer keystroke is already queued behind this one
            return service.first_page(uow, filters, size=CHUNK, limit=LIST_LIMIT, wanted=editing)

        self.context.runner.with_uow(
            work, on_done=lambda page: self._show(serial, filters, page), read_only=True
        )

    def _show(self, serial: int, filters: BeneficiaryFilter, page: BeneficiaryPage | None) -> None:
        if page is None or serial != self._serial:
            return
        editing = self.form.editing.id if self.form.editing else None
        self.model.set_rows(filters, page)
        # Laid out at once: left to the view, the new rows are painted, then laid out and
        # painted again (each paint shapes every name in sight).
        self.table.doItemsLayout()
        number = format_number(page.total)
        text = ngettext("{n} person", "{n} people", page.total).format(n=number)
        if not page.complete:
            text = ngettext(
                "{n} person shown; more may match: type more of a name to narrow the list.",
                "{n} people shown; more may match: type more of a name to narrow the list.",
                page.total,
            ).format(n=number)
        elif page.total >= LIST_LIMIT:
            text = _("The first {n} people; type more of a name to narrow the list.").format(
                n=format_number(LIST_LIMIT)
            )
        self.count.setText(text)
        if editing is None:
            return
        # The person being edited stays current (and painted) in the new list; the form is
        # not reloaded, since _row_chosen sees it is the same person (or a row still on its
        # way). Another person may have been chosen while the search ran.
        row = page.row_of_wanted if editing == page.wanted else None
        if row is None:
            row = self.model.row_of(editing)
        if row >= 0:
            self.table.selectionModel().setCurrentIndex(
                self.model.index(row, 0),
                QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows,
            )

    # -- form ----------------------------------------------------------------------------

    def _row_chosen(self, current: object, _previous: object) -> None:
        record = self.model.record_at(current.row())  # type: ignore[attr-defined]
        if record is None or (self.form.editing and record.id == self.form.editing.id):
            return
        if self.form.dirty and not self._may_discard():
            return
        self.form.load(record)
        self._update_buttons()

    def _may_discard(self) -> bool:
        answer = QMessageBox.question(
            self,
            _("Unsaved changes"),
            _("The form has changes that are not saved. Discard them?"),
            QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        return answer == QMessageBox.StandardButton.Discard

    def new_person(self) -> None:
        if self.form.dirty and not self._may_discard():
            return
        self.table.clearSelection()
        self.form.load(None)
        self.form.inputs["family_name_ar"].setFocus()

    def _discard(self) -> None:
        self.form.load(self.form.editing)

    def _update_buttons(self) -> None:
        editing = self.form.editing
        self.form_title.setText(
            _("Correct {name}").format(name=editing.full_name_ar)
            if editing
            else _("New beneficiary")
        )
        self.save_button.setEnabled(self.form.dirty)
        self.discard_button.setEnabled(self.form.dirty)

    def save(self, *, allow_duplicate_cin: bool = False) -> None:
        data, editing, today = self.form.values(), self.form.editing, self.context.today()

        def work(uow: UnitOfWork) -> BeneficiaryRecord:
            if editing is None:
                return service.register_beneficiary(
                    uow, data, today=today, allow_duplicate_cin=allow_duplicate_cin
                )
            return service.update_beneficiary(
                uow, editing.id, data, today=today, allow_duplicate_cin=allow_duplicate_cin
            )

        self.context.runner.with_uow(work, on_done=self._saved, on_error=self._refused)

    def _saved(self, record: BeneficiaryRecord) -> None:
        self.form.load(record)
        self.model.replace(record)
        self._update_buttons()
        self.context.announce("beneficiary")

    def _refused(self, error: BaseException) -> None:
        if isinstance(error, DuplicateCin):
            self.form.show_errors(error)
            box = QMessageBox(self)
            box.setIcon(QMessageBox.Icon.Warning)
            box.setWindowTitle(_("This ID card number is already registered"))
            box.setText(error.errors[0].message)
            show = box.addButton(_("Show that person"), QMessageBox.ButtonRole.AcceptRole)
            box.addButton(_("Save anyway"), QMessageBox.ButtonRole.DestructiveRole)
            cancel = box.addButton(_("Cancel"), QMessageBox.ButtonRole.RejectRole)
            box.exec()
            if box.clickedButton() is show:
                self.search.setText(error.existing.cin or "")
            elif box.clickedButton() is not cancel:
                self.save(allow_duplicate_cin=True)
        elif isinstance(error, InputRejected):
            self.form.show_errors(error)
        else:
            raise error

    # -- lists in and out ----------------------------------------------------------------

    def open_import(self) -> None:
        """The import wizard (one at a time); the list reloads when people were added."""
        if self.import_wizard is not None and self.import_wizard.isVisible():
            self.import_wizard.raise_()
            return
        self.import_wizard = ImportWizard(self.context, self)
        self.import_wizard.open()

    def export(self, kind: str) -> None:
        """Ask where to save, then save ``kind`` there (in the window's language)."""
        name = next(_(n) for k, n, _t in EXPORTS if k == kind)
        folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
        chosen, kind_of_file = QFileDialog.getSaveFileName(
            self,
            _("Export"),
            str(Path(folder) / f"{name}.xlsx"),
            _("Excel workbook (*.xlsx);;CSV file (*.csv)"),
        )
        if not chosen:
            return
        path = Path(chosen)
        if path.suffix.lower() not in exports.SUFFIXES:
            path = path.with_name(path.name + (".csv" if "csv" in kind_of_file else ".xlsx"))
        self.save_export(kind, path)

    def save_export(self, kind: str, path: Path) -> None:
        language, filters = current_language(), self.filters()

        def work(uow: UnitOfWork) -> ExportResult:
            if kind == "beneficiaries":
                return exports.export_beneficiaries(uow, path, language=language, filters=filters)
            if kind == "enrolments":
                return exports.export_enrolments(uow, path, language=language)
            return exports.export_attendance(uow, path, language=language)

        self.context.runner.with_uow(
            work, on_done=self._exported, on_error=self._not_exported, read_only=True
        )

    def _exported(self, result: ExportResult) -> None:
        QMessageBox.information(
            self,
            _("Export"),
            ngettext("{n} row saved in {path}", "{n} rows saved in {path}", result.rows).format(
                n=format_number(result.rows), path=result.path
            ),
        )

    def _not_exported(self, error: BaseException) -> None:
        if isinstance(error, InputRejected):
            QMessageBox.warning(self, _("Export"), " ".join(e.message for e in error.errors))
        else:
            self.report_failure(error)
