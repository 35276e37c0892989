"""The summary's tables as a spreadsheet (.xlsx), for the people who work in Excel.

One sheet per table of app/services/summary_tables.py, the same rows and columns the
printed report shows: counts as numbers, attendance rates as percentages (a rate with
no marks behind it is an empty cell, so sums and averages still work). Headings are in
the reader's language, Arabic by default, and Arabic sheets read right to left. The
file's dates are the summary's, so the same summary always gives the same workbook.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter

from app.i18n import LANGUAGES, format_date, is_rtl, translations
from app.services.summaries import Summary
from app.services.summary_tables import Table, all_tables, title

SHEET_NAME_LIMIT = 31  # Excel refuses longer sheet names
_NOT_IN_SHEET_NAMES = re.compile(r"[\[\]:*?/\\]")
BOLD = Font(bold=True)
TITLE_FONT = Font(bold=True, size=13)
HEAD_FILL = PatternFill("solid", start_color="DDDDDD", end_color="DDDDDD")
SECTION_FILL = PatternFill("solid", start_color="F0F0F0", end_color="F0F0F0")
HEAD_ROW = 4  # under the title and the line naming the centre and the period


def _sheet_name(text: str, taken: set[str]) -> str:
    name = _NOT_IN_SHEET_NAMES.sub(" ", text).strip()[:SHEET_NAME_LIMIT].strip()
    candidate, number = name, 2
    while candidate in taken:
        suffix = f" {number}"
        candidate = name[: SHEET_NAME_LIMIT - len(suffix)] + suffix
        number += 1
    taken.add(candidate)
    return candidate


def _fill_sheet(sheet: Worksheet, table: Table, *, heading: str, rtl: bool) -> None:
    sheet.sheet_view.rightToLeft = rtl
    sheet.cell(row=1, column=1, value=table.title).font = TITLE_FONT
    sheet.cell(row=2, column=1, value=heading)
    for index, column in enumerate(table.columns, start=1):
        cell = sheet.cell(row=HEAD_ROW, column=index, value=column.heading)
        cell.font, cell.fill = BOLD, HEAD_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
        sheet.column_dimensions[get_column_letter(index)].width = (
            12 * column.weight if column.numeric else 14 * column.weight
        )
    for offset, row in enumerate(table.rows, start=1):
        number = HEAD_ROW + offset
        for index, value in enumerate(row.cells, start=1):
            cell = sheet.cell(row=number, column=index)
            if isinstance(value, float):
                # A rate is printed in percent; a spreadsheet holds the fraction itself.
                cell.value, cell.number_format = round(value / 100, 4), "0.0%"
            else:
                cell.value = value
            if row.kind != "row":
                cell.font = BOLD
            if row.kind == "section":
                cell.fill = SECTION_FILL
    sheet.freeze_panes = sheet.cell(row=HEAD_ROW + 1, column=1)


def workbook(summary: Summary, *, language: str = LANGUAGES[0]) -> bytes:
    """The .xlsx file of ``summary`` with headings in ``language``."""
    t = translations(language).gettext
    period = (
        format_date(summary.start, style="MMMM y", language=language)
        if summary.kind == "month"
        else summary.label
    )
    centre = (summary.centre_name_fr if language == "fr" else None) or summary.centre_name_ar
    heading = f"{title(summary, t)} — {period} — {centre}"
    book = Workbook()
    book.remove(book.active)
    taken: set[str] = set()
    for table in all_tables(summary, language=language):
        sheet = book.create_sheet(_sheet_name(table.short_title or table.title, taken))
        _fill_sheet(sheet, table, heading=heading, rtl=is_rtl(language))
    made = dt.datetime.combine(summary.made_on, dt.time())
    book.properties.creator = "Sijill"
    book.properties.title = heading
    book.properties.created = book.properties.modified = made
    return _saved(book, made)


def _saved(book: Workbook, made: dt.datetime) -> bytes:
    """The workbook's bytes, the same for the same summary: openpyxl's own save stamps
    the moment of saving on the "modified" property and on every part of the zip."""
    raw = io.BytesIO()
    ExcelWriter(book, zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED, allowZip64=True)).save()
    out = io.BytesIO()
    with zipfile.ZipFile(raw) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for part in source.infolist():
            fixed = zipfile.ZipInfo(part.filename, date_time=made.timetuple()[:6])
            fixed.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(fixed, source.read(part.filename))
    return out.getvalue()
