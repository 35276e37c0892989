"""The printed monthly attendance sheet (ورقة الحضور الشهرية) of one or more groups.

The sheet is drawn from ``MonthSheet`` records (app/services/attendance_sheet.py), the same
rows, columns and totals the attendance screen shows. Blank, it is the grid educators fill
by hand during the month; filled, it is the register's copy, with marks and totals, signed
and filed. The document's language is a parameter: Arabic reads right to left (the first
column at the right), French left to right; names stay in Arabic on both.
"""

from __future__ import annotations

import datetime as dt
import io
import math
from collections.abc import Sequence
from dataclasses import dataclass

from reportlab.lib.pagesizes import A4, landscape

from app.i18n import N_, format_date, isolated, ltr, translations
from app.pdf.letterhead import Letterhead
from app.pdf.writer import PageWriter, document_canvas
from app.services.attendance_sheet import MonthSheet, SheetRow
from app.vocabulary import AttendanceStatus

TITLE = N_("Monthly attendance sheet")
CENTRE = N_("Centre")
SEASON = N_("Season")
PROGRAMME = N_("Programme")
GROUP = N_("Group")
EDUCATOR = N_("Educator")
MONTH = N_("Month")
# TRANSLATORS: a labelled value in a document's header, e.g. "Group: Sewing 1".
FIELD = N_("{label}: {value}")
NUMBER = N_("No.")
FULL_NAME = N_("Full name")
CIN_OR_BIRTH = N_("CIN or birth date")
DAYS_PRESENT = N_("Days present")
DAYS_ABSENT = N_("Days absent")
PRESENT_THAT_DAY = N_("Present that day")
ABSENT_THAT_DAY = N_("Absent that day")
SIGN_EDUCATOR = N_("Educator's signature")
SIGN_COORDINATOR = N_("Centre coordinator's signature")
LEGEND = N_(
    "{present} present, {absent} absent, {excused} excused, {late} late; "
    "present = {present} + {late}, absent = {absent} + {excused}; grey: not enrolled that day."
)
# One letter each, written in a cell: the same letters as on the sheets filled by hand.
MARKS = {
    AttendanceStatus.PRESENT.value: N_("mark: present"),
    AttendanceStatus.ABSENT.value: N_("mark: absent"),
    AttendanceStatus.EXCUSED.value: N_("mark: excused"),
    AttendanceStatus.LATE.value: N_("mark: late"),
}
ATTENDED = (AttendanceStatus.PRESENT, AttendanceStatus.LATE)
MISSED = (AttendanceStatus.ABSENT, AttendanceStatus.EXCUSED)

# Past this many session days a portrait page leaves cells too narrow to write a letter in.
PORTRAIT_MAX_DAYS = 16
MARGIN = 24.0
HEADER_HEIGHT = 112.0
GRID_HEAD_HEIGHT = 24.0
ROW_HEIGHT = 15.0
# Below the grid: two rows of day totals, the legend, the signature boxes, the page number.
FOOT_HEIGHT = 2 * ROW_HEIGHT + 16 + 66 + 14
NUMBER_WIDTH, ID_WIDTH, TOTAL_WIDTH = 22.0, 66.0, 34.0
NAME_ROOMY, DAY_MIN, DAY_MAX = 200.0, 15.0, 36.0
# A blank sheet keeps a few unnumbered rows for someone who joins during the month.
SPARE_ROWS = 3
GRID_GREY, NOT_ENROLLED_GREY = 0.9, 0.78


@dataclass(frozen=True)
class _Column:
    x: float  # from the start edge of the grid (the right edge in Arabic)
    width: float


def _columns(grid_width: float, days: int) -> dict[str, _Column]:
    """The grid's columns from its start edge: number, name, CIN or birth date, one per
    session day, then the two totals. Days share what a roomy name column leaves, within
    bounds (wide enough to write a letter in, not wider than useful); the name column
    takes the rest."""
    room = grid_width - NUMBER_WIDTH - ID_WIDTH - 2 * TOTAL_WIDTH
    day_width = min(DAY_MAX, max(DAY_MIN, (room - NAME_ROOMY) / max(days, 1)))
    widths = [("number", NUMBER_WIDTH), ("name", room - day_width * days), ("id", ID_WIDTH)]
    widths += [(f"day{i}", day_width) for i in range(days)]
    widths += [("present", TOTAL_WIDTH), ("absent", TOTAL_WIDTH)]
    columns, x = {}, MARGIN
    for key, width in widths:
        columns[key] = _Column(x, width)
        x += width
    return columns


def _identity(row: SheetRow) -> str:
    person = row.person
    return person.cin or person.birth_date.strftime("%d/%m/%Y")


def _total(row: SheetRow, statuses: Sequence[AttendanceStatus]) -> int:
    return sum(row.count(status) for status in statuses)


def _day_total(sheet: MonthSheet, day: dt.date, statuses: Sequence[AttendanceStatus]) -> int:
    return sum(sheet.column_count(day, status) for status in statuses)


class _SheetPages:
    """The pages of one group's sheet."""

    def __init__(
        self, writer: PageWriter, sheet: MonthSheet, *, letterhead: Letterhead, language: str
    ) -> None:
        self.w, self.sheet, self.language = writer, sheet, language
        self.letterhead = letterhead
        size = landscape(A4) if len(sheet.columns) > PORTRAIT_MAX_DAYS else A4
        self.size = size
        self.columns = _columns(size[0] - 2 * MARGIN, len(sheet.columns))
        self.grid_width = size[0] - 2 * MARGIN
        grid_room = size[1] - 2 * MARGIN - HEADER_HEIGHT - GRID_HEAD_HEIGHT
        # The totals and signatures come once, on the last page; the pages before it give
        # their room to rows.
        self.rows_on_full_page = math.floor(grid_room / ROW_HEIGHT)
        self.rows_on_last_page = max(1, math.floor((grid_room - FOOT_HEIGHT) / ROW_HEIGHT))

    def _pages(self, rows: list[SheetRow | None]) -> list[list[SheetRow | None]]:
        pages = []
        while len(rows) > self.rows_on_last_page:
            pages.append(rows[: self.rows_on_full_page])
            rows = rows[self.rows_on_full_page :]
        return [*pages, rows]

    def draw(self, *, blank: bool) -> None:
        rows: list[SheetRow | None] = list(self.sheet.rows)
        if blank:
            rows += [None] * SPARE_ROWS
        pages = self._pages(rows)
        first = 0
        for page, chunk in enumerate(pages):
            self.w.new_page(self.size)
            top = self.size[1] - MARGIN
            self._header(top)
            y = self._grid(top - HEADER_HEIGHT, chunk, first=first, blank=blank)
            first += len(chunk)
            if page == len(pages) - 1:
                self._foot(y, blank=blank)
            self.w.end_page(
                page=page + 1, pages=len(pages), x=MARGIN, y=MARGIN - 10, width=self.grid_width
            )

    def _header(self, top: float) -> None:
        w, t, sheet = self.w, self.w.t, self.sheet
        french = self.language == "fr"
        block = 250.0
        self.letterhead.draw(w, language=self.language, x=MARGIN, top=top, width=block)
        centre = (sheet.centre_name_fr if french else None) or sheet.centre_name_ar
        end_x = MARGIN + self.grid_width - block
        w.text(
            t(FIELD).format(label=t(CENTRE), value=isolated(centre)),
            x=end_x,
            y=top - 10,
            width=block,
            size=9,
            align="end",
        )
        w.text(
            t(FIELD).format(label=t(SEASON), value=ltr(sheet.season_label)),
            x=end_x,
            y=top - 22,
            width=block,
            size=9,
            align="end",
        )
        month = format_date(sheet.month, style="MMMM y", language=self.language)
        w.text(
            t(TITLE),
            x=MARGIN,
            y=top - 68,
            width=self.grid_width,
            size=15,
            bold=True,
            align="centre",
        )
        w.text(
            t(FIELD).format(label=t(MONTH), value=month),
            x=MARGIN,
            y=top - 84,
            width=self.grid_width,
            size=11,
            bold=True,
            align="centre",
        )
        programme = sheet.programme_name_fr if french else sheet.programme_name_ar
        fields = (
            t(FIELD).format(label=t(PROGRAMME), value=isolated(programme)),
            t(FIELD).format(label=t(GROUP), value=isolated(sheet.group_name)),
            t(FIELD).format(label=t(EDUCATOR), value=isolated(sheet.educator_name or "……………………")),
        )
        third = self.grid_width / 3
        for index, field in enumerate(fields):
            w.text(field, x=MARGIN + index * third, y=top - 104, width=third - 8, size=9)

    def _grid(
        self, top: float, rows: Sequence[SheetRow | None], *, first: int, blank: bool
    ) -> float:
        """The column heads and ``rows``; returns the y of the grid's bottom edge."""
        w, t, cols, sheet = self.w, self.w.t, self.columns, self.sheet
        w.canvas.setLineWidth(0.5)
        y = top - GRID_HEAD_HEIGHT
        heads = {
            "number": t(NUMBER),
            "name": t(FULL_NAME),
            "id": t(CIN_OR_BIRTH),
            "present": t(DAYS_PRESENT),
            "absent": t(DAYS_ABSENT),
        }
        heads |= {f"day{i}": str(d.date.day) for i, d in enumerate(sheet.columns)}
        for key, col in cols.items():
            w.box(x=col.x, y=y, width=col.width, height=GRID_HEAD_HEIGHT, grey=GRID_GREY)
            w.lines(
                heads[key],
                x=col.x + 1,
                middle=y + GRID_HEAD_HEIGHT / 2,
                width=col.width - 2,
                size=8,
                bold=True,
                align="centre",
            )
        marks = {status: t(label) for status, label in MARKS.items()}
        for offset, row in enumerate(rows):
            y -= ROW_HEIGHT
            baseline = y + 4.5
            for key, col in cols.items():
                grey = 1.0
                if row is not None and key.startswith("day"):
                    day = sheet.columns[int(key[3:])].date
                    grey = 1.0 if row.enrolled_on(day) else NOT_ENROLLED_GREY
                w.box(x=col.x, y=y, width=col.width, height=ROW_HEIGHT, grey=grey)
            if row is None:
                continue
            texts = {
                "number": (str(first + offset + 1), "centre"),
                "name": (row.person.full_name_ar, "start"),
                "id": (_identity(row), "centre"),
            }
            if not blank:
                texts["present"] = (str(_total(row, ATTENDED)), "centre")
                texts["absent"] = (str(_total(row, MISSED)), "centre")
                for i, day in enumerate(sheet.columns):
                    mark = row.marks.get(day.date)
                    if mark:
                        texts[f"day{i}"] = (marks[mark], "centre")
            for key, (text, align) in texts.items():
                col = cols[key]
                w.text(text, x=col.x + 3, y=baseline, width=col.width - 6, size=8.5, align=align)
        return y

    def _foot(self, y: float, *, blank: bool) -> None:
        w, t, cols, sheet = self.w, self.w.t, self.columns, self.sheet
        label_x = cols["number"].x
        label_width = cols["id"].x + cols["id"].width - label_x
        for label, statuses, total_key in (
            (PRESENT_THAT_DAY, ATTENDED, "present"),
            (ABSENT_THAT_DAY, MISSED, "absent"),
        ):
            y -= ROW_HEIGHT
            w.box(x=label_x, y=y, width=label_width, height=ROW_HEIGHT, grey=GRID_GREY)
            w.text(t(label), x=label_x + 3, y=y + 4.5, width=label_width - 6, size=8, bold=True)
            for i, day in enumerate(sheet.columns):
                col = cols[f"day{i}"]
                w.box(x=col.x, y=y, width=col.width, height=ROW_HEIGHT)
                # A day nobody was marked yet (later this month) has no total, not a 0.
                if not blank and any(day.date in row.marks for row in sheet.rows):
                    w.text(
                        str(_day_total(sheet, day.date, statuses)),
                        x=col.x + 1,
                        y=y + 4.5,
                        width=col.width - 2,
                        size=7.5,
                        align="centre",
                    )
            col = cols[total_key]
            w.box(x=col.x, y=y, width=col.width, height=ROW_HEIGHT, grey=GRID_GREY)
            if not blank:
                total = sum(_total(row, statuses) for row in sheet.rows)
                w.text(
                    str(total),
                    x=col.x + 1,
                    y=y + 4.5,
                    width=col.width - 2,
                    size=8,
                    bold=True,
                    align="centre",
                )
        letters = {key: t(label) for key, label in MARKS.items()}
        w.text(t(LEGEND).format(**letters), x=MARGIN, y=y - 12, width=self.grid_width, size=7.5)
        box_width, box_height = 200.0, 52.0
        for x, label in (
            (MARGIN, SIGN_EDUCATOR),
            (MARGIN + self.grid_width - box_width, SIGN_COORDINATOR),
        ):
            w.box(x=x, y=y - 22 - box_height, width=box_width, height=box_height)
            w.text(
                t(label),
                x=x + 4,
                y=y - 34,
                width=box_width - 8,
                size=8.5,
                bold=True,
                align="centre",
            )


def render(
    sheets: Sequence[MonthSheet], *, letterhead: Letterhead, language: str, blank: bool
) -> bytes:
    """One PDF with the sheet of each of ``sheets``, a page or more each."""
    buffer = io.BytesIO()
    canvas = document_canvas(buffer, language=language, title=translations(language).gettext(TITLE))
    writer = PageWriter(canvas, language=language)
    for sheet in sheets:
        _SheetPages(writer, sheet, letterhead=letterhead, language=language).draw(blank=blank)
    canvas.save()
    return buffer.getvalue()
