"""The printed summary: the monthly activity report or the season's balance (الحصيلة).

Drawn from a ``Summary`` (app/services/summaries.py) through the tables every output
shares (app/services/summary_tables.py), so the paper shows exactly the numbers of
``sijill stats``. A4 portrait, in the document's language: Arabic right to left, French
left to right. The first page carries the issuer's letterhead, the key figures and the
beneficiaries by category; then the programmes (table and bar chart), the groups, the
dropouts and follow-ups, attendance month by month (chart and table), the definitions of
the terms, and the coordinator's signature. Tables longer than a page go on with their
head repeated.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

from reportlab.graphics import renderPDF
from reportlab.lib.pagesizes import A4

from app.i18n import N_, format_date, isolated, ltr, translations
from app.pdf import arabic_text, charts, fonts
from app.pdf.letterhead import Letterhead
from app.pdf.writer import PageWriter, document_canvas
from app.services.summaries import MONTH, Summary
from app.services.summary_tables import (
    COMPLETED,
    DROPOUTS,
    ENROLLED,
    Cell,
    Table,
    all_tables,
    cell_text,
    title,
)

CENTRE = N_("Centre")
SEASON = N_("Season")
MONTH_LABEL = N_("Month")
# TRANSLATORS: a labelled value in a document's header, e.g. "Group: Sewing 1".
FIELD = N_("{label}: {value}")
PROGRAMME_CHART = N_("Enrolments by programme")
MONTH_CHART = N_("Attendance rate by month (%)")
DEFINITIONS = N_("Definitions")
DEFINE_ENROLLED = N_(
    "Enrolled: people with an enrolment open on at least one day of the period. A person "
    "in two groups counts once among the beneficiaries, and once in each of her groups and "
    "programmes, whose columns count enrolments."
)
DEFINE_NEW = N_(
    "New: people enrolled at the centre for the first time during the period. Joined: "
    "enrolments that started during the period."
)
DEFINE_OUTCOMES = N_(
    "Completed training, dropouts, transfers: enrolments that ended so during the period. "
    "Age: in whole years on the first day of the period."
)
DEFINE_SESSIONS = N_(
    "Sessions held: the groups' meeting days up to {date}, less public holidays and "
    "cancelled sessions, plus extra sessions. Attendance rate: (present + late) / "
    "attendance marks taken at these sessions."
)
DEFINE_FOLLOW_UP_MONTH = N_(
    "Follow-up: people with a follow-up recorded during the month, under their latest outcome."
)
DEFINE_FOLLOW_UP_SEASON = N_(
    "Follow-up: the people who completed a training during the season, under their latest "
    "known outcome on {date}."
)
DONE_ON = N_("Done on {date}")
SIGN_COORDINATOR = N_("Centre coordinator's signature")

MARGIN = 36.0
TOP_MARGIN, BOTTOM_MARGIN = 28.0, 40.0
FIRST_HEADER, RUNNING_HEADER = 104.0, 24.0
SECTION_TITLE = 18.0
HEAD_HEIGHT, ROW_HEIGHT = 24.0, 14.0
GAP = 12.0
TEXT_SIZE, HEAD_SIZE = 8.0, 7.5
GREY_HEAD, GREY_SECTION, GREY_TOTAL = 0.85, 0.93, 0.9
LINE = 10.0  # leading of the definitions
SIGNATURE_HEIGHT = 96.0
BAR_ROOM = 9.0  # height of one bar of the programme chart, its gap included


class _Report:
    """Lays the summary out page by page; ``pages`` is the count a first pass found."""

    def __init__(
        self,
        writer: PageWriter,
        summary: Summary,
        *,
        letterhead: Letterhead,
        language: str,
        pages: int | None,
    ) -> None:
        self.w, self.summary, self.language = writer, summary, language
        self.letterhead, self.pages = letterhead, pages
        self.size = A4
        self.width = A4[0] - 2 * MARGIN
        self.bottom = BOTTOM_MARGIN
        self.page = 0
        self.y = 0.0
        self.tables = {t.key: t for t in all_tables(summary, language=language)}
        french = language == "fr"
        self.centre = (summary.centre_name_fr if french else None) or summary.centre_name_ar
        if summary.kind == MONTH:
            self.period = format_date(summary.start, style="MMMM y", language=language)
        else:
            self.period = ltr(summary.label)

    # -- pages -------------------------------------------------------------------------

    def _new_page(self) -> None:
        if self.page:
            self._finish_page()
        self.page += 1
        self.w.new_page(self.size)
        top = self.size[1] - TOP_MARGIN
        if self.page == 1:
            self._first_header(top)
            self.y = top - FIRST_HEADER
        else:
            running = f"{title(self.summary, self.w.t)} — {self.period} — {isolated(self.centre)}"
            self.w.text(running, x=MARGIN, y=top - 8, width=self.width, size=8, align="centre")
            self.w.canvas.setLineWidth(0.5)
            self.w.canvas.line(MARGIN, top - 13, MARGIN + self.width, top - 13)
            self.y = top - RUNNING_HEADER

    def _finish_page(self) -> None:
        pages = self.pages if self.pages is not None else self.page
        self.w.end_page(
            page=self.page, pages=pages, x=MARGIN, y=BOTTOM_MARGIN - 18, width=self.width
        )

    def _room(self, height: float) -> None:
        """A new page unless ``height`` points fit above the bottom margin."""
        if self.y - height < self.bottom:
            self._new_page()

    def _first_header(self, top: float) -> None:
        w, t = self.w, self.w.t
        block = 250.0
        self.letterhead.draw(w, language=self.language, x=MARGIN, top=top, width=block)
        end_x = MARGIN + self.width - block
        w.text(
            t(FIELD).format(label=t(CENTRE), value=isolated(self.centre)),
            x=end_x,
            y=top - 10,
            width=block,
            size=9,
            align="end",
        )
        if self.summary.season_label:
            w.text(
                t(FIELD).format(label=t(SEASON), value=ltr(self.summary.season_label)),
                x=end_x,
                y=top - 22,
                width=block,
                size=9,
                align="end",
            )
        w.text(
            title(self.summary, t),
            x=MARGIN,
            y=top - 70,
            width=self.width,
            size=15,
            bold=True,
            align="centre",
        )
        label = MONTH_LABEL if self.summary.kind == MONTH else SEASON
        w.text(
            t(FIELD).format(label=t(label), value=self.period),
            x=MARGIN,
            y=top - 86,
            width=self.width,
            size=11,
            bold=True,
            align="centre",
        )

    # -- blocks ------------------------------------------------------------------------

    def _section_title(self, text: str, *, x: float = MARGIN, width: float | None = None) -> None:
        self.w.text(text, x=x, y=self.y - 12, width=width or self.width, size=10.5, bold=True)
        self.y -= SECTION_TITLE

    def _cell(self, value: Cell) -> str:
        text = cell_text(value, language=self.language)
        if isinstance(value, float):
            return ltr(text)
        # A name or a reason keeps its own direction: an Arabic group name on a French page.
        return isolated(text) if isinstance(value, str) and value else text

    def _widths(self, table: Table, width: float) -> list[float]:
        total = sum(c.weight for c in table.columns)
        return [width * c.weight / total for c in table.columns]

    def _head(self, table: Table, *, x: float, widths: Sequence[float]) -> None:
        self.y -= HEAD_HEIGHT
        left = x
        self.w.canvas.setLineWidth(0.5)
        for column, width in zip(table.columns, widths, strict=True):
            self.w.box(x=left, y=self.y, width=width, height=HEAD_HEIGHT, grey=GREY_HEAD)
            self.w.lines(
                column.heading,
                x=left + 2,
                middle=self.y + HEAD_HEIGHT / 2,
                width=width - 4,
                size=HEAD_SIZE,
                bold=True,
                align="centre",
            )
            left += width

    def _row(
        self, table: Table, cells: Sequence[Cell], kind: str, *, x: float, widths: Sequence[float]
    ) -> None:
        self.y -= ROW_HEIGHT
        baseline = self.y + 4
        bold = kind != "row"
        if kind == "section":
            self.w.box(x=x, y=self.y, width=sum(widths), height=ROW_HEIGHT, grey=GREY_SECTION)
            self.w.text(
                str(cells[0]), x=x + 3, y=baseline, width=sum(widths) - 6, size=TEXT_SIZE, bold=True
            )
            return
        grey = GREY_TOTAL if kind == "total" else 1.0
        left = x
        for column, width, value in zip(table.columns, widths, cells, strict=True):
            self.w.box(x=left, y=self.y, width=width, height=ROW_HEIGHT, grey=grey)
            self.w.text(
                self._cell(value),
                x=left + 3,
                y=baseline,
                width=width - 6,
                size=TEXT_SIZE,
                bold=bold,
                align="centre" if column.numeric else "start",
            )
            left += width

    def _table_height(self, table: Table) -> float:
        return SECTION_TITLE + HEAD_HEIGHT + ROW_HEIGHT * len(table.rows)

    def _table(
        self, table: Table, *, x: float = MARGIN, width: float | None = None, keep: bool = False
    ) -> None:
        """The table's title, head and rows; rows that do not fit go on the next page
        under the head again. ``keep``: start on a new page unless it all fits."""
        width = width or self.width
        widths = self._widths(table, width)
        self._room(
            self._table_height(table) if keep else SECTION_TITLE + HEAD_HEIGHT + 3 * ROW_HEIGHT
        )
        self._section_title(table.title, x=x, width=width)
        self._head(table, x=x, widths=widths)
        for row in table.rows:
            if self.y - ROW_HEIGHT < self.bottom:
                self._new_page()
                self._head(table, x=x, widths=widths)
            self._row(table, row.cells, row.kind, x=x, widths=widths)
        self.y -= GAP

    def _key_figures(self) -> None:
        """The key figures in two columns of label and number."""
        table = self.tables["key_figures"]
        half = (len(table.rows) + 1) // 2
        self._room(SECTION_TITLE + ROW_HEIGHT * half)
        self._section_title(table.title)
        column = (self.width - GAP) / 2
        widths = self._widths(table, column)
        top = self.y
        for index, start in enumerate((0, half)):
            self.y = top
            x = MARGIN + index * (column + GAP)
            for row in table.rows[start : start + half]:
                self._row(table, row.cells, row.kind, x=x, widths=widths)
        self.y = top - ROW_HEIGHT * half - GAP

    def _legend(self, names: Sequence[str]) -> None:
        x = MARGIN
        for index, name in enumerate(names):
            box_x = self.w.page_x(x, 8)
            self.w.canvas.setFillColor(charts.shade(index))
            self.w.canvas.rect(box_x, self.y - 8, 8, 8, stroke=1, fill=1)
            self.w.canvas.setFillGray(0)
            self.w.text(name, x=x + 12, y=self.y - 7.5, width=110, size=TEXT_SIZE)
            x += 125
        self.y -= 14

    def _draw(self, drawing: object, *, height: float) -> None:
        renderPDF.draw(drawing, self.w.canvas, self.w.page_x(MARGIN, self.width), self.y - height)
        self.y -= height + 4

    def _programmes(self) -> None:
        lines = self.summary.by_programme
        table = self.tables["programmes"]
        if not lines:
            self._table(table)
            return
        height = 30 + len(lines) * (3 * BAR_ROOM + 8)
        self._room(SECTION_TITLE + 14 + height + SECTION_TITLE + HEAD_HEIGHT + 3 * ROW_HEIGHT)
        t = self.w.t
        self._section_title(t(PROGRAMME_CHART))
        self._legend([t(ENROLLED), t(COMPLETED), t(DROPOUTS)])
        names = [line.name_fr if self.language == "fr" else line.name_ar for line in lines]
        drawing = charts.horizontal_bars(
            names,
            [
                [line.enrolments.enrolled for line in lines],
                [line.enrolments.completed for line in lines],
                [line.enrolments.dropped for line in lines],
            ],
            width=self.width,
            height=height,
            rtl=self.w.rtl,
            label_width=self._label_width(names),
        )
        self._draw(drawing, height=height)
        self._table(table)

    def _label_width(self, names: Sequence[str]) -> float:
        rtl = self.w.rtl
        widest = max(
            fonts.width(arabic_text.visual(n, rtl=rtl), charts.LABEL_SIZE, rtl=rtl) for n in names
        )
        return min(160.0, widest + 12)

    def _months(self) -> None:
        table = self.tables["attendance_by_month"]
        lines = self.summary.attendance_by_month
        height = 150.0
        self._room(SECTION_TITLE + height + self._table_height(table))
        t = self.w.t
        self._section_title(t(MONTH_CHART))
        # Whole month names: fr_MA abbreviates June and July alike ("jui.", "juil.").
        drawing = charts.vertical_bars(
            [format_date(line.month, style="MMMM", language=self.language) for line in lines],
            [line.attendance.attendance_rate for line in lines],
            width=self.width,
            height=height,
            rtl=self.w.rtl,
            high=100,
            step=20,
            label=lambda value: cell_text(value, language=self.language),
        )
        self._draw(drawing, height=height)
        self._table(table)

    def _side_by_side(self, first: Table, second: Table) -> None:
        height = max(self._table_height(first), self._table_height(second))
        if height > self.size[1] - TOP_MARGIN - RUNNING_HEADER - self.bottom:
            self._table(first)
            self._table(second)
            return
        self._room(height)
        column = (self.width - 2 * GAP) / 2
        top = self.y
        self._table(first, x=MARGIN, width=column)
        low = self.y
        self.y = top
        self._table(second, x=MARGIN + column + 2 * GAP, width=column)
        self.y = min(low, self.y)

    def _paragraphs(self, texts: Sequence[str], *, size: float) -> None:
        def fits(line: str) -> bool:
            shown = arabic_text.visual(line, rtl=self.w.rtl)
            return fonts.width(shown, size, rtl=self.w.rtl) <= self.width

        for text in texts:
            for line in arabic_text.wrap(text, fits=fits):
                self._room(LINE)
                self.w.text(line, x=MARGIN, y=self.y - size, width=self.width, size=size)
                self.y -= LINE
            self.y -= 2

    def _definitions(self) -> None:
        t, summary = self.w.t, self.summary
        until = format_date(summary.counted_until, language=self.language)
        made = format_date(summary.made_on, language=self.language)
        follow_up = (
            t(DEFINE_FOLLOW_UP_MONTH)
            if summary.kind == MONTH
            else t(DEFINE_FOLLOW_UP_SEASON).format(date=made)
        )
        texts = [
            t(DEFINE_ENROLLED),
            t(DEFINE_NEW),
            t(DEFINE_OUTCOMES),
            t(DEFINE_SESSIONS).format(date=until),
            follow_up,
        ]
        self._room(SECTION_TITLE + 4 * LINE)
        self._section_title(t(DEFINITIONS))
        self._paragraphs(texts, size=7.5)
        self.y -= GAP

    def _signature(self) -> None:
        t = self.w.t
        self._room(SIGNATURE_HEIGHT)
        box_width = 210.0
        x = MARGIN + self.width - box_width
        made = format_date(self.summary.made_on, language=self.language)
        self.w.text(t(DONE_ON).format(date=made), x=x, y=self.y - 10, width=box_width, size=9)
        self.w.canvas.setLineWidth(0.5)
        self.w.box(x=x, y=self.y - 90, width=box_width, height=72)
        self.w.text(
            t(SIGN_COORDINATOR),
            x=x + 4,
            y=self.y - 32,
            width=box_width - 8,
            size=8.5,
            bold=True,
            align="centre",
        )
        self.y -= SIGNATURE_HEIGHT

    def draw(self) -> int:
        """Every page; returns how many there were."""
        self._new_page()
        self._key_figures()
        self._table(self.tables["people"])
        self._programmes()
        self._table(self.tables["groups"])
        self._side_by_side(self.tables["dropout_reasons"], self.tables["follow_ups"])
        self._months()
        self._definitions()
        self._signature()
        self._finish_page()
        return self.page


def _pass(
    summary: Summary, *, letterhead: Letterhead, language: str, pages: int | None
) -> tuple[bytes, int]:
    buffer = io.BytesIO()
    t = translations(language).gettext
    canvas = document_canvas(
        buffer, language=language, title=f"{title(summary, t)} {summary.label}"
    )
    writer = PageWriter(canvas, language=language)
    count = _Report(writer, summary, letterhead=letterhead, language=language, pages=pages).draw()
    canvas.save()
    return buffer.getvalue(), count


def render(summary: Summary, *, letterhead: Letterhead, language: str) -> bytes:
    """The summary as a PDF. Laid out twice: the first pass counts the pages that every
    page's "page n of N" needs."""
    _draft, pages = _pass(summary, letterhead=letterhead, language=language, pages=None)
    data, _pages = _pass(summary, letterhead=letterhead, language=language, pages=pages)
    return data
