"""The attendance screen: a group's monthly sheet, typed in from paper with the keyboard.

Choose a group and a month; the grid shows the sheet (``services.attendance_sheet``).
Every change is written at once on the worker thread (there is no save button); when
the register refuses it, the cell is put back and the reason shown. Ctrl+Z undoes the
latest change the same way, by writing the previous marks back.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QToolButton, QVBoxLayout

from app.i18n import _, format_date, is_rtl, isolated, ltr
from app.services.attendance import clear_attendance, mark_attendance
from app.services.attendance_sheet import MonthSheet, month_sheet
from app.services.errors import InputRejected
from app.services.groups import list_groups
from app.services.records import GroupRecord
from app.services.unit_of_work import UnitOfWork
from app.ui.context import UiContext
from app.ui.screens.base import Screen
from app.ui.table_models.attendance_grid import LETTERS, AttendanceGridModel
from app.ui.widgets.attendance_grid import DAY_PRESENT_KEYS, AttendanceGridView
from app.ui.widgets.field_messages import error_label
from app.ui.widgets.record_table import muted_label, tab_chain
from app.vocabulary import AttendanceStatus

PREVIOUS_MONTH_KEYS = "Ctrl+PgUp"
NEXT_MONTH_KEYS = "Ctrl+PgDown"


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
    shows = frozenset({"group", "enrolment", "beneficiary", "attendance", "session", "centre"})

    def __init__(self, context: UiContext) -> None:
        super().__init__(context)
        self._groups: list[GroupRecord] = []
        self._month = context.today().replace(day=1)
        self._serial = 0
        self._announcing = False
        self._undo: list[tuple[Change, ...]] = []

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

        self.model = AttendanceGridModel()
        self.grid = AttendanceGridView(self.model)
        self.grid.mark_typed.connect(self._mark_typed)
        self.grid.clear_typed.connect(self._clear_typed)
        self.grid.day_present_typed.connect(self.mark_day_present)
        self.grid.undo_typed.connect(self.undo)
        self.empty = muted_label()
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
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 16)
        layout.setSpacing(10)
        layout.addWidget(self.heading)
        layout.addLayout(choose)
        layout.addWidget(self.grid, 1)
        layout.addWidget(self.empty)
        layout.addWidget(self.error)
        layout.addWidget(self.keys_hint)
        tab_chain(self.group_box, self.previous_button, self.next_button, self.grid)
        self.retranslate_ui()

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

        def shown(sheet: MonthSheet) -> None:
            if serial == self._serial:
                self._show_sheet(sheet)

        self.context.runner.with_uow(
            lambda uow: month_sheet(uow, group=str(group_id), month=f"{month:%Y-%m}"),
            on_done=shown,
            read_only=True,
        )

    def _show_sheet(self, sheet: MonthSheet | None) -> None:
        current = self.grid.currentIndex()
        person = self.model.person_at(current.row())
        day = self.model.day_at(current.column())
        same = sheet is not None and self.model.sheet is not None
        same = same and sheet.group_id == self.model.sheet.group_id
        same = same and sheet.month == self.model.sheet.month
        if not same:
            self._undo.clear()
        self.model.set_sheet(sheet, today=self.context.today())
        self._fill_texts()
        if not self.model.people:
            return
        # Back where the typist was; else the first cell that can take a mark.
        row = self.model.row_of(person.id) if person and same else -1
        column = self.model.column_of(day) if day and same else -1
        if row < 0 or column < 0:
            row, column = 0, 1 if self.model.days else 0
        self.grid.setCurrentIndex(self.model.index(row, column))

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
