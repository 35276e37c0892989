"""The monthly attendance grid as a table: people down the side, session days across,
each person's totals at the end of the row and each day's totals in a last row.

The model holds one ``MonthSheet`` and a copy of its marks that the screen changes as
the coordinator types (the write to the register follows on the worker thread). An
unmarked cell is empty, never a default: a default could overwrite a real mark later.
Names are flagged by the register's at-risk rule (``services.at_risk``, the start
screen's too), applied to the marks as typed.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QIcon, QPainter, QPixmap

from app.i18n import N_, _, format_date, format_number, is_rtl, ngettext
from app.services.at_risk import (
    ATTENDED,
    AtRiskRule,
    EarlierSessions,
    MonthMarks,
    Risk,
    RiskBasis,
    assess_group,
    attendance_rate,
)
from app.services.attendance_sheet import MonthSheet, SheetRow
from app.services.records import BeneficiaryRecord
from app.ui.style import ALERT, MUTED, PAPER
from app.vocabulary import AttendanceStatus, EnrolmentStatus

Index = QModelIndex | QPersistentModelIndex
NAME_COLUMN = 0
STATUSES = tuple(AttendanceStatus)

#: The letter a mark shows, as on the paper sheet (Arabic ح غ م ت, French P A E R).
LETTERS: dict[str, str] = {
    AttendanceStatus.PRESENT.value: N_("P"),
    AttendanceStatus.ABSENT.value: N_("A"),
    AttendanceStatus.EXCUSED.value: N_("E"),
    AttendanceStatus.LATE.value: N_("L"),
}
COLOURS: dict[str, QBrush] = {
    AttendanceStatus.PRESENT.value: QBrush(QColor("#d7eed9")),
    AttendanceStatus.ABSENT.value: QBrush(QColor("#f6d3cf")),
    AttendanceStatus.EXCUSED.value: QBrush(QColor("#e4e4e4")),
    AttendanceStatus.LATE.value: QBrush(QColor("#fbe5b6")),
}
CLOSED_BRUSH = QBrush(QColor(PAPER))
TOTALS_BRUSH = QBrush(QColor("#eef3f3"))
MUTED_BRUSH = QBrush(QColor(MUTED))
ALERT_BRUSH = QBrush(QColor(ALERT))
#: The totals columns are headed by the marks' letters (their full names on hover), so
#: the days keep the room: a status spelled out is wider than three days.
TOTAL_HEADERS = (*LETTERS.values(), N_("Rate"))


def format_rate(rate: float | None) -> str:
    return "" if rate is None else _("{n} %").format(n=format_number(round(rate * 100)))


def risk_reason(risk: Risk) -> str:
    """Why someone is flagged, in a few words (the grid's and the start screen's): the
    run of absences first."""
    if risk.by_absences:
        return ngettext(
            "{n} absence in a row", "{n} absences in a row", risk.absences_in_a_row
        ).format(n=format_number(risk.absences_in_a_row))
    return _("attended {rate} of this month's sessions").format(rate=format_rate(risk.rate))


def _risk_icon() -> QIcon:
    """A small red dot: needs no glyph from the bundled fonts, reads in both directions."""
    pixmap = QPixmap(10, 10)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setBrush(QColor(ALERT))
    painter.setPen(Qt.PenStyle.NoPen)
    painter.drawEllipse(1, 1, 8, 8)
    painter.end()
    return QIcon(pixmap)


class AttendanceGridModel(QAbstractTableModel):
    """Rows: the sheet's people, then one totals row. Columns: the name, one column per
    session day, then present, absent, excused, late and the attendance rate."""

    def __init__(self) -> None:
        super().__init__()
        self._sheet: MonthSheet | None = None
        self._days: tuple[dt.date, ...] = ()
        self._marks: list[dict[dt.date, str]] = []
        self._today = dt.date.min
        self._icon: QIcon | None = None
        self._basis = RiskBasis(AtRiskRule(), EarlierSessions())
        self._risky: dict[int, Risk] | None = None

    # -- filling -----------------------------------------------------------------------

    def set_sheet(
        self, sheet: MonthSheet | None, *, today: dt.date, basis: RiskBasis | None = None
    ) -> None:
        """Show ``sheet``; ``basis`` is what the at-risk rule needs besides its marks (the
        default rule and no earlier sessions when not given)."""
        self.beginResetModel()
        self._sheet = sheet
        self._today = today
        self._days = tuple(day.date for day in sheet.columns) if sheet else ()
        self._marks = [dict(row.marks) for row in sheet.rows] if sheet else []
        self._basis = basis or RiskBasis(AtRiskRule(), EarlierSessions())
        self._risky = None
        self.endResetModel()

    def retranslate(self) -> None:
        """The language changed: headers, letters and totals repaint."""
        if self.columnCount():
            self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, self.columnCount() - 1)
            last = self.index(self.rowCount() - 1, self.columnCount() - 1)
            self.dataChanged.emit(self.index(0, 0), last)

    # -- reading the grid --------------------------------------------------------------

    @property
    def sheet(self) -> MonthSheet | None:
        return self._sheet

    @property
    def people(self) -> int:
        return len(self._marks)

    @property
    def days(self) -> tuple[dt.date, ...]:
        return self._days

    def day_at(self, column: int) -> dt.date | None:
        return self._days[column - 1] if 1 <= column <= len(self._days) else None

    def column_of(self, day: dt.date) -> int:
        return self._days.index(day) + 1 if day in self._days else -1

    def person_at(self, row: int) -> BeneficiaryRecord | None:
        return self._row(row).person if self._sheet and 0 <= row < self.people else None

    def row_of(self, person_id: uuid.UUID) -> int:
        for row in range(self.people):
            if self._row(row).person.id == person_id:
                return row
        return -1

    def mark_at(self, row: int, day: dt.date) -> str | None:
        return self._marks[row].get(day) if 0 <= row < self.people else None

    def markable(self, row: int, day: dt.date | None) -> bool:
        """A person's cell can take a mark: enrolled that day, and the day has come."""
        if day is None or not 0 <= row < self.people:
            return False
        return day <= self._today and self._row(row).enrolled_on(day)

    def risk(self, row: int) -> Risk | None:
        """Why the person of ``row`` is at risk of dropping out; None when she is not."""
        # Worked out once per change, not once per painted name.
        if self._risky is None:
            rows = [self._row(r) for r in range(self.people)]
            flagged = assess_group(
                self._basis.rule,
                month_days={day for marks in self._marks for day in marks},
                people={r.person.id: MonthMarks.of(self._marks[n]) for n, r in enumerate(rows)},
                active={
                    r.person.id for r in rows if r.enrolment_status == EnrolmentStatus.ACTIVE.value
                },
                earlier=self._basis.earlier,
            )
            self._risky = {
                n: flagged[r.person.id] for n, r in enumerate(rows) if r.person.id in flagged
            }
        return self._risky.get(row)

    def at_risk(self, row: int) -> bool:
        return self.risk(row) is not None

    # -- changing a mark ---------------------------------------------------------------

    def set_mark(self, row: int, day: dt.date, status: str | None) -> None:
        """Show ``status`` (None: unmarked) in a cell; its totals follow."""
        if status is None:
            self._marks[row].pop(day, None)
        else:
            self._marks[row][day] = status
        self._risky = None
        last_column, totals_row = self.columnCount() - 1, self.people
        column = self.column_of(day)
        # The whole person row: the name's risk marker and the row totals may change.
        self.dataChanged.emit(self.index(row, 0), self.index(row, last_column))
        self.dataChanged.emit(self.index(totals_row, column), self.index(totals_row, column))
        self.dataChanged.emit(
            self.index(totals_row, len(self._days) + 1), self.index(totals_row, last_column)
        )
        # The latest marked sessions may be others now: every name may change its marker.
        self.dataChanged.emit(self.index(0, NAME_COLUMN), self.index(totals_row, NAME_COLUMN))

    # -- Qt model interface --------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() or not self._marks else self.people + 1

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        if parent.isValid() or self._sheet is None:
            return 0
        return 1 + len(self._days) + len(TOTAL_HEADERS)

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        # Every cell can be current (the cursor moves through all of them, as on paper);
        # whether it takes a mark is ``markable``.
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not self._sheet:
            return None
        row, column = index.row(), index.column()
        if not (0 <= row < self.rowCount() and 0 <= column < self.columnCount()):
            return None
        if row == self.people:
            return self._totals_data(column, role)
        if column == NAME_COLUMN:
            return self._name_data(row, role)
        day = self.day_at(column)
        if day is not None:
            return self._cell_data(row, day, role)
        return self._row_total_data(self._marks[row].values(), column, role)

    def _name_data(self, row: int, role: int) -> object:
        sheet_row = self._row(row)
        if role == Qt.ItemDataRole.DisplayRole:
            return sheet_row.person.full_name_ar
        if role == Qt.ItemDataRole.TextAlignmentRole:
            side = Qt.AlignmentFlag.AlignRight if is_rtl() else Qt.AlignmentFlag.AlignLeft
            return int(side | Qt.AlignmentFlag.AlignAbsolute | Qt.AlignmentFlag.AlignVCenter)
        risk = self.risk(row)
        risky = risk is not None
        if role == Qt.ItemDataRole.DecorationRole and risky:
            if self._icon is None:
                self._icon = _risk_icon()
            return self._icon
        if role == Qt.ItemDataRole.ForegroundRole:
            if risky:
                return ALERT_BRUSH
            if sheet_row.enrolment_status != EnrolmentStatus.ACTIVE.value:
                return MUTED_BRUSH
        if role == Qt.ItemDataRole.ToolTipRole:
            lines = [sheet_row.person.full_name_ar, sheet_row.person.full_name_latin]
            if sheet_row.enrolment_status != EnrolmentStatus.ACTIVE.value:
                lines.append(EnrolmentStatus(sheet_row.enrolment_status).label)
            if risk is not None:
                lines.append(
                    _("At risk of dropping out: {reason}").format(reason=risk_reason(risk))
                )
            return "\n".join(line for line in lines if line)
        return None

    def _cell_data(self, row: int, day: dt.date, role: int) -> object:
        mark = self._marks[row].get(day)
        if role == Qt.ItemDataRole.DisplayRole:
            return _(LETTERS[mark]) if mark else ""
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignCenter)
        if role == Qt.ItemDataRole.BackgroundRole:
            if not self.markable(row, day):
                return CLOSED_BRUSH
            return COLOURS[mark] if mark else None
        if role == Qt.ItemDataRole.ToolTipRole:
            if not self._row(row).enrolled_on(day):
                return _("Not enrolled in the group on this day")
            if day > self._today:
                return _("This session has not taken place yet.")
            return AttendanceStatus(mark).label if mark else _("Not marked")
        return None

    def _row_total_data(self, marks: Iterable[str], column: int, role: int) -> object:
        which = column - len(self._days) - 1
        if role == Qt.ItemDataRole.DisplayRole:
            marked = list(marks)
            if which < len(STATUSES):
                return format_number(sum(1 for mark in marked if mark == STATUSES[which].value))
            return format_rate(attendance_rate(marked))
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignCenter)
        if role == Qt.ItemDataRole.BackgroundRole:
            return TOTALS_BRUSH
        return None

    def _totals_data(self, column: int, role: int) -> object:
        if role == Qt.ItemDataRole.FontRole:
            font = QFont()
            font.setBold(True)
            return font
        if column == NAME_COLUMN:
            if role == Qt.ItemDataRole.DisplayRole:
                return _("Present that day")
            if role == Qt.ItemDataRole.BackgroundRole:
                return TOTALS_BRUSH
            return None
        day = self.day_at(column)
        if day is None:
            every = [mark for marks in self._marks for mark in marks.values()]
            return self._row_total_data(every, column, role)
        marks = [m[day] for m in self._marks if day in m]
        if role == Qt.ItemDataRole.DisplayRole:
            return format_number(sum(1 for mark in marks if mark in ATTENDED)) if marks else ""
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignCenter)
        if role == Qt.ItemDataRole.BackgroundRole:
            return TOTALS_BRUSH
        if role == Qt.ItemDataRole.ToolTipRole:
            return "\n".join(
                f"{status.label}: {format_number(sum(1 for m in marks if m == status.value))}"
                for status in STATUSES
            )
        return None

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < self.columnCount():
            return None
        day = self.day_at(section)
        if role == Qt.ItemDataRole.DisplayRole:
            if section == NAME_COLUMN:
                return _("Name")
            if day is not None:
                return f"{format_number(day.day)}\n{format_date(day, style='EEEEEE')}"
            return _(TOTAL_HEADERS[section - len(self._days) - 1])
        if role == Qt.ItemDataRole.ToolTipRole:
            if day is not None:
                return format_date(day, style="full")
            which = section - len(self._days) - 1
            if 0 <= which < len(STATUSES):
                return STATUSES[which].label
            return _("Sessions attended (present or late) out of sessions marked")
        return None

    def _row(self, row: int) -> SheetRow:
        assert self._sheet is not None
        return self._sheet.rows[row]
