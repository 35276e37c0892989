"""The attendance screen: a group's monthly sheet, typed in from paper with the keyboard.

Choose a group and a month; the grid shows the sheet (``services.attendance_sheet``).
Every change is written at once on the worker thread (there is no save button); when
the register refuses it, the cell is put back and the reason shown. Ctrl+Z undoes the
latest change the same way, by writing the previous marks back. Ctrl+P shows the month's
printed sheet in the preview, to print it or save it.

The calendar changes from here too, each in a small dialog that asks why: a session
added on a day off (a make-up Saturday), the session of the chosen column cancelled, the
whole centre closed for some days. The grid reloads: a column appears or leaves (marks
typed on a day that no longer holds a session stay in the register, off the sheet).
Names are flagged by the register's at-risk rule, the start screen's.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QToolButton,
    QVBoxLayout,
)

from app.i18n import _, current_language, format_date, is_rtl, isolated, ltr
from app.pdf.documents import ATTENDANCE_SHEET, DocumentRequest
from app.services.at_risk import RiskBasis, risk_basis
from app.services.attendance import clear_attendance, mark_attendance
from app.services.attendance_sheet import MonthSheet, month_sheet
from app.services.closures import add_closure
from app.services.errors import InputRejected
from app.services.groups import list_groups
from app.services.records import GroupRecord
from app.services.sessions import add_session, cancel_session
from app.services.unit_of_work import UnitOfWork
from app.ui.context import UiContext
from app.ui.screens.base import Screen
from app.ui.table_models.attendance_grid import LETTERS, AttendanceGridModel
from app.ui.widgets.attendance_grid import DAY_PRESENT_KEYS, AttendanceGridView
from app.ui.widgets.dialog_form import FormDialog
from app.ui.widgets.document_actions import let_go
from app.ui.widgets.field_messages import error_label
from app.ui.widgets.pdf_preview import PreviewDialog
from app.ui.widgets.record_table import muted_label, tab_chain
from app.ui.widgets.session_dialogs import (
    AddSessionDialog,
    CancelSessionDialog,
    ClosureDialog,
    ClosureInput,
    SessionInput,
)
from app.vocabulary import AttendanceStatus

PREVIOUS_MONTH_KEYS = "Ctrl+PgUp"
NEXT_MONTH_KEYS = "Ctrl+PgDown"
PRINT_SHEET_KEYS = "Ctrl+P"
ADD_SESSION_KEYS = "Ctrl+Shift+A"
CANCEL_SESSION_KEYS = "Ctrl+Shift+X"
CLOSE_CENTRE_KEYS = "Ctrl+Shift+C"


@dataclass(frozen=True)
class Change:
    """One cell changed: who, which day, the mark before and after (None: unmarked)."""

    person_id: uuid.UUID
    day: dt.date
    before: str | None
    after: str | None


def shift_month(month: dt.date, step: int) -> dt.date:
    """The first day of the month ``step`` months after ``month``."""
    index = month.year * 12 + month.month - 1 + step
    return dt.date(index // 12, index % 12 + 1, 1)


class AttendanceScreen(Screen):
    key = "attendance"
    # Its own marks are on screen already; "attendance" from elsewhere (an import) reloads.
    shows = frozenset(
        {"group", "enrolment", "beneficiary", "attendance", "session", "centre", "settings"}
    )

    def __init__(self, context: UiContext) -> None:
        super().__init__(context)
        self._groups: list[GroupRecord] = []
        self._month = context.today().replace(day=1)
        self._serial = 0
        self._announcing = False
        self._undo: list[tuple[Change, ...]] = []
        #: The printed sheet's preview, once asked for.
        self.preview: PreviewDialog | None = None
        #: The open calendar dialog (add, cancel, close), one at a time.
        self.dialog: FormDialog | None = None
        # Where the cursor goes once the grid reloads after a calendar change.
        self._go_to_day: dt.date | None = None

        self.heading = QLabel()
        self.heading.setObjectName("screenTitle")
        self.group_label = QLabel()
        self.group_box = QComboBox()
        self.group_box.setObjectName("group")
        self.group_box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.group_box.currentIndexChanged.connect(lambda _i: self._load())
        self.previous_button = QToolButton()
        self.previous_button.setObjectName("previousMonth")
        self.previous_button.clicked.connect(lambda: self.move_month(-1))
        self.month_label = QLabel()
        self.month_label.setObjectName("cardTitle")
        self.month_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.month_label.setMinimumWidth(130)
        self.next_button = QToolButton()
        self.next_button.setObjectName("nextMonth")
        self.next_button.clicked.connect(lambda: self.move_month(1))
        QShortcut(QKeySequence(PREVIOUS_MONTH_KEYS), self, activated=lambda: self.move_month(-1))
        QShortcut(QKeySequence(NEXT_MONTH_KEYS), self, activated=lambda: self.move_month(1))
        self.print_button = QPushButton()
        self.print_button.setObjectName("printSheet")
        self.print_button.clicked.connect(self.print_sheet)
        QShortcut(QKeySequence(PRINT_SHEET_KEYS), self, activated=self.print_sheet)
        self.add_button = QPushButton()
        self.add_button.setObjectName("addSession")
        self.add_button.clicked.connect(self.add_session)
        QShortcut(QKeySequence(ADD_SESSION_KEYS), self, activated=self.add_session)
        self.cancel_button = QPushButton()
        self.cancel_button.setObjectName("cancelSession")
        self.cancel_button.clicked.connect(self.cancel_session)
        QShortcut(QKeySequence(CANCEL_SESSION_KEYS), self, activated=self.cancel_session)
        self.closure_button = QPushButton()
        self.closure_button.setObjectName("closeCentre")
        self.closure_button.clicked.connect(self.close_centre)
        QShortcut(QKeySequence(CLOSE_CENTRE_KEYS), self, activated=self.close_centre)

        self.model = AttendanceGridModel()
        self.grid = AttendanceGridView(self.model)
        self.grid.mark_typed.connect(self._mark_typed)
        self.grid.clear_typed.connect(self._clear_typed)
        self.grid.day_present_typed.connect(self.mark_day_present)
        self.grid.undo_typed.connect(self.undo)
        self.grid.selectionModel().currentChanged.connect(lambda *_a: self._update_actions())
        self.empty = muted_label()
        self.days_off = muted_label()
        self.days_off.setObjectName("daysOff")
        self.keys_hint = muted_label()
        self.error = error_label()

        choose = QHBoxLayout()
        choose.setSpacing(8)
        choose.addWidget(self.group_label)
        choose.addWidget(self.group_box)
        choose.addSpacing(24)
        choose.addWidget(self.previous_button)
        choose.addWidget(self.month_label)
        choose.addWidget(self.next_button)
        choose.addStretch(1)
        choose.addWidget(self.print_button)
        calendar = QHBoxLayout()
        calendar.setSpacing(8)
        for button in (self.add_button, self.cancel_button, self.closure_button):
            calendar.addWidget(button)
        calendar.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 16)
        layout.setSpacing(10)
        layout.addWidget(self.heading)
        layout.addLayout(choose)
        layout.addLayout(calendar)
        layout.addWidget(self.grid, 1)
        layout.addWidget(self.empty)
        layout.addWidget(self.days_off)
        layout.addWidget(self.error)
        layout.addWidget(self.keys_hint)
        tab_chain(
            self.group_box,
            self.previous_button,
            self.next_button,
            self.print_button,
            self.add_button,
            self.cancel_button,
            self.closure_button,
            self.grid,
        )
        self.retranslate_ui()
        self._update_actions()

    # -- text ----------------------------------------------------------------------------

    def retranslate_ui(self) -> None:
        self.heading.setText(self.title())
        self.group_label.setText(_("Group"))
        # The arrow points the way the months run: leftwards is later in Arabic.
        back, forth = (
            (Qt.ArrowType.RightArrow, Qt.ArrowType.LeftArrow)
            if is_rtl()
            else (Qt.ArrowType.LeftArrow, Qt.ArrowType.RightArrow)
        )
        self.previous_button.setArrowType(back)
        self.next_button.setArrowType(forth)
        self.previous_button.setToolTip(
            _("Previous month ({keys})").format(keys=PREVIOUS_MONTH_KEYS)
        )
        self.next_button.setToolTip(_("Next month ({keys})").format(keys=NEXT_MONTH_KEYS))
        self.print_button.setText(_("Print this month's sheet…"))
        self.print_button.setToolTip(ltr(PRINT_SHEET_KEYS))
        # The keys are part of the buttons' text: the calendar is changed seldom, and
        # the keys are what a typist at the grid reaches for.
        for button, text, keys, tip in (
            (
                self.add_button,
                _("Add a session…"),
                ADD_SESSION_KEYS,
                _("A session on a day the group does not meet, e.g. a make-up Saturday"),
            ),
            (
                self.cancel_button,
                _("Cancel the chosen day's session…"),
                CANCEL_SESSION_KEYS,
                _("The session of the day where the cursor is in the grid, with a reason"),
            ),
            (
                self.closure_button,
                _("Close the centre…"),
                CLOSE_CENTRE_KEYS,
                _("Vacation, strike, weather: no group meets on those days"),
            ),
        ):
            button.setText(_("{action} {keys}").format(action=text, keys=ltr(keys)))
            button.setToolTip(tip)
        letters = " · ".join(
            _("{letter} {status}").format(letter=_(letter), status=AttendanceStatus(code).label)
            for code, letter in LETTERS.items()
        )
        self.keys_hint.setText(
            _(
                "{letters}. A letter marks the cell and moves down the day; Delete clears; "
                "{day_keys} marks everyone still unmarked present that day; Ctrl+Z undoes. "
                "Every change is saved at once."
            ).format(
                letters=letters,
                # Not Qt's native text: its Arabic translation drops the "+".
                day_keys=ltr(DAY_PRESENT_KEYS[0]),
            )
        )
        for index, group in enumerate(self._groups):
            self.group_box.setItemText(index, self._group_text(group))
        self.model.retranslate()
        self._fill_texts()

    def _fill_texts(self) -> None:
        self.month_label.setText(format_date(self._month, style="LLLL y"))
        sheet = self.model.sheet
        if not self._groups:
            self.empty.setText(_("No group has been opened this season yet."))
        elif sheet is not None and not sheet.columns:
            self.empty.setText(_("The group has no session this month."))
        elif sheet is not None and not sheet.rows:
            self.empty.setText(_("Nobody was enrolled in the group this month."))
        else:
            self.empty.setText("")
        self.empty.setVisible(bool(self.empty.text()))
        left_out = sheet.left_out if sheet is not None else ()
        self.days_off.setText(
            _("No session on: {days}").format(
                days=" · ".join(
                    _("{date} ({reason})").format(
                        date=format_date(day.date, style="d MMMM"), reason=isolated(day.reason)
                    )
                    if day.reason
                    else format_date(day.date, style="d MMMM")
                    for day in left_out
                )
            )
            if left_out
            else ""
        )
        self.days_off.setVisible(bool(left_out))

    @staticmethod
    def _group_text(group: GroupRecord) -> str:
        # The name says the programme already ("Literacy - group 1").
        return group.name

    # -- loading -------------------------------------------------------------------------

    def mark_stale(self) -> None:
        # Reloading after each of its own marks would move the cursor under the typist.
        if not self._announcing:
            super().mark_stale()

    def refresh(self) -> None:
        self.context.runner.with_uow(list_groups, on_done=self._show_groups, read_only=True)

    def _show_groups(self, groups: list[GroupRecord]) -> None:
        chosen = self.chosen_group_id()
        self._groups = groups
        self.group_box.blockSignals(True)
        self.group_box.clear()
        for group in groups:
            self.group_box.addItem(self._group_text(group), group.id)
        found = self.group_box.findData(chosen) if chosen else -1
        self.group_box.setCurrentIndex(found if found >= 0 else 0 if groups else -1)
        self.group_box.blockSignals(False)
        self._load()

    def chosen_group_id(self) -> uuid.UUID | None:
        data = self.group_box.currentData()
        return data if isinstance(data, uuid.UUID) else None

    def move_month(self, step: int) -> None:
        self._month = shift_month(self._month, step)
        self._load()

    def show_month(self, month: dt.date) -> None:
        self._month = month.replace(day=1)
        self._load()

    def _load(self) -> None:
        """Ask for the chosen group's sheet; an answer to an older request is dropped."""
        self._serial += 1
        serial, group_id, month = self._serial, self.chosen_group_id(), self._month
        self._fill_texts()
        if group_id is None:
            self._show_sheet(None)
            return

        def read(uow: UnitOfWork) -> tuple[MonthSheet, RiskBasis]:
            chosen = f"{month:%Y-%m}"
            sheet = month_sheet(uow, group=str(group_id), month=chosen)
            return sheet, risk_basis(uow, group_id=sheet.group_id, month=chosen)

        def shown(answer: tuple[MonthSheet, RiskBasis]) -> None:
            if serial == self._serial:
                self._show_sheet(*answer)

        self.context.runner.with_uow(read, on_done=shown, read_only=True)

    def _show_sheet(self, sheet: MonthSheet | None, basis: RiskBasis | None = None) -> None:
        current = self.grid.currentIndex()
        person = self.model.person_at(current.row())
        day = self.model.day_at(current.column())
        same = sheet is not None and self.model.sheet is not None
        same = same and sheet.group_id == self.model.sheet.group_id
        same = same and sheet.month == self.model.sheet.month
        if not same:
            self._undo.clear()
        self.model.set_sheet(sheet, today=self.context.today(), basis=basis)
        # A change to a day that left the sheet (its session cancelled) cannot be undone here.
        self._undo = [
            done for done in self._undo if all(self.model.column_of(c.day) > 0 for c in done)
        ]
        self._fill_texts()
        self._update_actions()
        if not self.model.people:
            return
        # Back where the typist was (on the day a calendar change asked for, or the next
        # one when hers left the grid); else the first cell that can take a mark.
        wanted, self._go_to_day = self._go_to_day, None
        row = self.model.row_of(person.id) if person and same else -1
        if wanted is not None and self.model.column_of(wanted) > 0:
            row, column = max(row, 0), self.model.column_of(wanted)
        else:
            column = self._nearest_column(day) if day and same else -1
        if row < 0 or column < 0:
            row, column = 0, 1 if self.model.days else 0
        self.grid.setCurrentIndex(self.model.index(row, column))

    def _nearest_column(self, day: dt.date) -> int:
        """The column of ``day``, or of the next session day when it has left the grid
        (the last one when none follows)."""
        days = self.model.days
        if not days:
            return -1
        following = [d for d in days if d >= day]
        return self.model.column_of(following[0] if following else days[-1])

    # -- typing marks --------------------------------------------------------------------

    def _mark_typed(self, row: int, column: int, status: str) -> None:
        day = self.model.day_at(column)
        if day is None or not self._refuse_unmarkable(row, day):
            return
        self.grid.setCurrentIndex(self.grid.next_cell(row, column))
        self._apply((self._change(row, day, status),))

    def _clear_typed(self, row: int, column: int) -> None:
        day = self.model.day_at(column)
        if day is None or not self._refuse_unmarkable(row, day):
            return
        self._apply((self._change(row, day, None),))

    def mark_day_present(self, column: int) -> None:
        """Everyone enrolled and still unmarked that day is present; marks stay as typed."""
        day = self.model.day_at(column)
        if day is None:
            return
        changes = tuple(
            self._change(row, day, AttendanceStatus.PRESENT.value)
            for row in range(self.model.people)
            if self.model.markable(row, day) and self.model.mark_at(row, day) is None
        )
        self._apply(changes)

    def undo(self) -> None:
        if not self._undo:
            return
        done = self._undo.pop()
        back = tuple(Change(c.person_id, c.day, c.after, c.before) for c in reversed(done))
        self._apply(back, remember=False)
        first = back[-1]
        self.grid.setCurrentIndex(
            self.model.index(self.model.row_of(first.person_id), self.model.column_of(first.day))
        )

    def _change(self, row: int, day: dt.date, after: str | None) -> Change:
        person = self.model.person_at(row)
        assert person is not None
        return Change(person.id, day, self.model.mark_at(row, day), after)

    def _refuse_unmarkable(self, row: int, day: dt.date) -> bool:
        """True when the cell can take a mark; otherwise says why, and False."""
        self.error.hide()
        if self.model.markable(row, day):
            return True
        person = self.model.person_at(row)
        if person is not None and day > self.context.today():
            self.error.setText(_("This session has not taken place yet."))
        elif person is not None:
            self.error.setText(
                _("{name} was not enrolled in the group on {date}.").format(
                    name=isolated(person.full_name_ar), date=format_date(day)
                )
            )
        self.error.setVisible(bool(self.error.text()))
        return False

    # -- writing -------------------------------------------------------------------------

    def _apply(self, changes: tuple[Change, ...], *, remember: bool = True) -> None:
        """Show ``changes`` at once, then write them; put the cells back if refused."""
        changes = tuple(c for c in changes if c.before != c.after)
        sheet = self.model.sheet
        if not changes or sheet is None:
            return
        for change in changes:
            self.model.set_mark(self.model.row_of(change.person_id), change.day, change.after)
        if remember:
            self._undo.append(changes)
        group, today = str(sheet.group_id), self.context.today()

        def work(uow: UnitOfWork) -> None:
            for change in changes:
                person = str(change.person_id)
                if change.after is None:
                    clear_attendance(uow, group=group, date=change.day, beneficiary=person)
                else:
                    mark_attendance(
                        uow,
                        group=group,
                        date=change.day,
                        status=change.after,
                        beneficiaries=[person],
                        today=today,
                    )

        self.context.runner.with_uow(
            work,
            on_done=lambda _result: self._saved(),
            on_error=lambda error: self._refused(error, changes),
        )

    def _saved(self) -> None:
        self._announcing = True
        try:
            self.context.announce("attendance")
        finally:
            self._announcing = False

    def _refused(self, error: BaseException, changes: tuple[Change, ...]) -> None:
        if self.model.sheet is not None:
            for change in reversed(changes):
                row = self.model.row_of(change.person_id)
                if row >= 0 and self.model.column_of(change.day) > 0:
                    self.model.set_mark(row, change.day, change.before)
        if changes in self._undo:
            self._undo.remove(changes)
        if isinstance(error, InputRejected):
            self.error.setText("\n".join(e.message for e in error.errors))
            self.error.show()
        else:
            self.report_failure(error)

    # -- the calendar --------------------------------------------------------------------

    def chosen_day(self) -> dt.date | None:
        """The session day of the grid's current column, if the cursor is on one."""
        return self.model.day_at(self.grid.currentIndex().column())

    def _update_actions(self) -> None:
        has_group = self.chosen_group_id() is not None
        self.add_button.setEnabled(has_group)
        self.closure_button.setEnabled(has_group)
        self.cancel_button.setEnabled(self.chosen_day() is not None)

    def add_session(self) -> None:
        """Ask for a day and a reason; the group gets an extra session that day."""
        group_id = self.chosen_group_id()
        if group_id is None or self._dialog_open():
            return
        today = self.context.today()
        same_month = (today.year, today.month) == (self._month.year, self._month.month)
        dialog = AddSessionDialog(
            group=self.group_box.currentText(),
            day=today if same_month else self._month,
            parent=self,
        )

        def write(values: SessionInput) -> Callable[[UnitOfWork], dt.date]:
            return lambda uow: (
                add_session(uow, group=str(group_id), date=values.date, reason=values.reason).date
            )

        self._open(dialog, write, focus=dialog.date)

    def cancel_session(self) -> None:
        """Ask why; the session of the grid's chosen day is cancelled."""
        group_id, day = self.chosen_group_id(), self.chosen_day()
        if group_id is None or self._dialog_open():
            return
        if day is None:
            self.error.setText(_("Choose a day in the grid first: its column holds the session."))
            self.error.show()
            return
        dialog = CancelSessionDialog(group=self.group_box.currentText(), day=day, parent=self)

        def write(values: SessionInput) -> Callable[[UnitOfWork], dt.date]:
            return lambda uow: (
                cancel_session(
                    uow, group=str(group_id), date=values.date, reason=values.reason
                ).date
            )

        self._open(dialog, write, focus=dialog.reason)

    def close_centre(self) -> None:
        """Ask for the days and why; no group of the centre meets on them."""
        if self.chosen_group_id() is None or self._dialog_open():
            return
        dialog = ClosureDialog(day=self.chosen_day() or self.context.today(), parent=self)

        def write(values: ClosureInput) -> Callable[[UnitOfWork], dt.date]:
            return lambda uow: (
                add_closure(uow, start=values.start, end=values.end, reason=values.reason).first_day
            )

        self._open(dialog, write, focus=dialog.start)

    def _dialog_open(self) -> bool:
        """One calendar dialog at a time: a second key press brings the open one forward."""
        if self.dialog is not None:
            self.dialog.raise_()
        return self.dialog is not None

    def _open(
        self,
        dialog: FormDialog,
        write: Callable[[Any], Callable[[UnitOfWork], dt.date]],
        *,
        focus: QLineEdit,
    ) -> None:
        """Show ``dialog``; what it submits is written by ``write(values)``, which returns
        the day the grid then shows."""
        self.error.hide()
        self.dialog = dialog

        def submitted(values: object) -> None:
            self.context.runner.with_uow(
                write(values), on_done=self._calendar_changed, on_error=self._dialog_refused
            )

        dialog.submitted.connect(submitted)
        dialog.finished.connect(self._dialog_closed)
        dialog.open()
        focus.setFocus()
        # A date is there already: typing replaces it.
        focus.selectAll()

    def _calendar_changed(self, day: dt.date) -> None:
        """A session added or cancelled, or a closure entered: the grid reloads on the
        month of ``day``, the cursor on its column when it has one."""
        self._go_to_day, self._month = day, day.replace(day=1)
        if self.dialog is not None:
            self.dialog.accept()
        self.context.announce("session")

    def _dialog_refused(self, error: BaseException) -> None:
        dialog = self.dialog
        if isinstance(error, InputRejected) and dialog is not None:
            dialog.show_errors(error)
            return
        self.report_failure(error)
        if dialog is not None:
            dialog.reject()

    def _dialog_closed(self) -> None:
        if self.dialog is not None:
            self.dialog.deleteLater()
            self.dialog = None
        self.grid.setFocus()

    # -- printing ------------------------------------------------------------------------

    def print_sheet(self) -> None:
        """Show the chosen group's sheet of the month, as printed, in the preview."""
        group_id = self.chosen_group_id()
        if group_id is None:
            return
        language, month = current_language(), self._month
        request = DocumentRequest(language=language, group=str(group_id), month=f"{month:%Y-%m}")
        group_name = self.group_box.currentText()

        def shown(data: bytes) -> None:
            if self.preview is not None:
                let_go(self.context.runner, self.preview)
            self.preview = PreviewDialog(
                self.context.runner,
                data,
                title=ATTENDANCE_SHEET.title(group_name, format_date(month, style="LLLL y")),
                file_name=ATTENDANCE_SHEET.file_name(
                    group_name, f"{month:%Y-%m}", language=language
                ),
                parent=self,
            )
            self.preview.open()

        self.context.runner.with_uow(
            lambda uow: ATTENDANCE_SHEET.make(uow, request, lambda _done, _total: None),
            on_done=shown,
            on_error=self.report_failure,
            read_only=True,
        )
