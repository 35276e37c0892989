"""Reading a spreadsheet into rows of cells: an .xlsx workbook or a .csv text file.

What a file is comes from its first bytes, not its name: a workbook renamed .csv, or a
list saved as "CSV" that is really an old .xls, is told apart and named. Workbooks are
read with openpyxl; a merged cell gives its value to every cell it covers, so a header
spread over two columns, or a group name merged down the rows of its members, reads as
the person sees it. Text files may be UTF-8 (with or without the BOM Excel writes),
UTF-16 with a BOM (Excel's "Unicode text") or Windows-1256 (Arabic Windows), with
commas, semicolons (French Excel) or tabs between the cells.

Whatever cannot be read is refused with one message saying so, before anything else
happens.
"""

from __future__ import annotations

import codecs
import csv
import io
import statistics
import unicodedata
import warnings
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from app.i18n import _, is_rtl
from app.services.errors import FieldError, InputRejected

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

# A centre's list is hundreds or a few thousand people; these bounds only stop a wrong
# file (a photo archive, a database dump) from filling the memory before it is refused.
MAX_BYTES = 20 * 1024 * 1024
MAX_ROWS = 50_000
_ZIP = b"PK\x03\x04"
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the old binary .xls (and .doc)
_DELIMITERS = (";", ",", "\t")
_SNIFF_LINES = 50


@dataclass(frozen=True)
class SourceRow:
    """One row that holds something, numbered as the spreadsheet shows it."""

    number: int
    values: tuple[object, ...]


@dataclass(frozen=True)
class Table:
    """The rows of one sheet (blank rows left out), cells as openpyxl or csv gave them."""

    path: Path
    rows: tuple[SourceRow, ...]
    width: int
    sheet: str | None = None
    sheets: tuple[str, ...] = ()
    encoding: str | None = None


def listing(names: Iterable[str]) -> str:
    """Names one after the other, with the comma of the language ("—" for none)."""
    return ("، " if is_rtl() else ", ").join(names) or "—"


def refuse(message: str) -> InputRejected:
    """A refusal of the whole file (not of one of its rows)."""
    return InputRejected(FieldError("file", message))


def read_table(path: Path, *, sheet: str | None = None) -> Table:
    """The rows of ``path`` (of ``sheet``, for a workbook: the first one holding
    something by default); InputRejected saying why when it cannot be read."""
    try:
        size = path.stat().st_size
        if not path.is_file():
            raise refuse(_("{name} is not a file.").format(name=path.name))
    except OSError:
        raise refuse(_("The file {name} cannot be found.").format(name=path.name)) from None
    if size == 0:
        raise refuse(_("The file {name} is empty.").format(name=path.name))
    if size > MAX_BYTES:
        raise refuse(
            _(
                "The file {name} is too large for a list of beneficiaries ({size} MB; "
                "{limit} MB at most)."
            ).format(name=path.name, size=size // (1024 * 1024), limit=MAX_BYTES // (1024 * 1024))
        )
    try:
        data = path.read_bytes()
    except OSError as error:
        raise refuse(
            _("The file {name} cannot be read: {reason}").format(
                name=path.name, reason=error.strerror or error
            )
        ) from None
    if data.startswith(_ZIP):
        return _read_workbook(path, sheet=sheet)
    if data.startswith(_OLE):
        raise refuse(
            _(
                "{name} is an old Excel file (.xls). Open it in Excel and save it as an "
                "Excel workbook (.xlsx), then import that."
            ).format(name=path.name)
        )
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        raise refuse(
            _("{name} is not an Excel workbook: it may be damaged.").format(name=path.name)
        )
    return _read_text(path, data)


# -- workbooks -------------------------------------------------------------------------


def _read_workbook(path: Path, *, sheet: str | None) -> Table:
    from openpyxl import load_workbook  # only when a workbook is read: it is slow to import
    from openpyxl.worksheet.worksheet import Worksheet

    try:
        with warnings.catch_warnings():
            # openpyxl warns about parts it skips (data validation, slicers): noise here.
            warnings.simplefilter("ignore")
            workbook = load_workbook(path, data_only=True)
    except Exception:  # noqa: BLE001 - a damaged or foreign zip fails in many ways in openpyxl
        raise refuse(
            _(
                "{name} cannot be read as an Excel workbook (.xlsx). If it comes from "
                "another program, save it from there as .xlsx or .csv."
            ).format(name=path.name)
        ) from None
    try:
        sheets = workbook.worksheets
        names = tuple(ws.title for ws in sheets)
        if sheet is not None:
            chosen = [ws for ws in sheets if ws.title == sheet]
            if not chosen:
                raise InputRejected(
                    FieldError(
                        "sheet",
                        _("The workbook has no sheet named “{sheet}”; its sheets: {names}.").format(
                            sheet=sheet, names=listing(names)
                        ),
                    )
                )
            candidates = chosen
        else:
            # The sheet open when the file was saved first (unless it is a chart).
            active = workbook.active
            first = [active] if isinstance(active, Worksheet) else []
            candidates = [*first, *(ws for ws in sheets if ws is not active)]
        rows: tuple[SourceRow, ...] = ()
        width, title = 0, None
        for worksheet in candidates:
            rows, width = _sheet_rows(worksheet, path)
            title = worksheet.title
            if rows or sheet is not None:
                break
    finally:
        workbook.close()
    if not rows:
        raise refuse(_("{name} holds no rows.").format(name=path.name))
    return Table(path, rows, width, sheet=title, sheets=names)


def _sheet_rows(worksheet: Worksheet, path: Path) -> tuple[tuple[SourceRow, ...], int]:
    covered: dict[int, dict[int, object]] = {}
    for merged in worksheet.merged_cells.ranges:
        value = worksheet.cell(merged.min_row, merged.min_col).value
        if value is None:
            continue
        for row in range(merged.min_row, min(merged.max_row, worksheet.max_row) + 1):
            cells = covered.setdefault(row, {})
            for column in range(merged.min_col, merged.max_col + 1):
                cells[column - 1] = value
    rows: list[SourceRow] = []
    width = 0
    for number, values in enumerate(worksheet.iter_rows(values_only=True), start=1):
        if number in covered:
            patched = list(values)
            for column, value in covered[number].items():
                if column < len(patched):
                    patched[column] = value
            values = tuple(patched)
        filled = [i for i, v in enumerate(values) if not _blank(v)]
        if not filled:
            continue
        if len(rows) >= MAX_ROWS:
            raise _too_many(path)
        width = max(width, filled[-1] + 1)
        rows.append(SourceRow(number, tuple(values)))
    return tuple(SourceRow(r.number, r.values[:width]) for r in rows), width


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _too_many(path: Path) -> InputRejected:
    return refuse(
        _("{name} has more than {limit} rows: it is not a list of one centre's people.").format(
            name=path.name, limit=MAX_ROWS
        )
    )


# -- text files ------------------------------------------------------------------------


def decode(data: bytes, *, name: str) -> tuple[str, str]:
    """The text of a CSV file and the encoding it was written in."""
    if data.startswith(codecs.BOM_UTF8):
        try:
            return data[len(codecs.BOM_UTF8) :].decode("utf-8"), "utf-8-sig"
        except UnicodeDecodeError:
            raise refuse(
                _(
                    "{name} says it is written in UTF-8 but is not: its letters cannot be "
                    "read. Save it again from Excel as “CSV UTF-8”."
                ).format(name=name)
            ) from None
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            raise _not_text(name) from None
    if b"\x00" in data[:65536]:
        raise _not_text(name)
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        # Not UTF-8: Arabic Windows writes its "CSV" in Windows-1256, which also holds
        # the French accented letters.
        return data.decode("cp1256"), "windows-1256"


def _not_text(name: str) -> InputRejected:
    return refuse(
        _(
            "{name} is neither an Excel workbook (.xlsx) nor a text file (.csv): it cannot "
            "be imported."
        ).format(name=name)
    )


def _control_characters(text: str) -> bool:
    """True when ``text`` holds characters no typed list has (a binary file decoded)."""
    return any(unicodedata.category(ch) == "Cc" and ch not in "\t\r\n" for ch in text[:65536])


def delimiter_of(text: str) -> str:
    """The character between the cells: the one that splits the first lines into the
    most, and the most even, number of cells."""
    lines = [line for line in text.splitlines()[:_SNIFF_LINES] if line.strip()]
    best, best_score = ",", (1, 0.0)
    for candidate in _DELIMITERS:
        try:
            counts = [len(row) for row in csv.reader(lines, delimiter=candidate)]
        except csv.Error:
            continue
        if not counts:
            continue
        typical = statistics.median(counts)
        steady = sum(1 for c in counts if c == typical) / len(counts)
        score = (int(typical), steady)
        if typical > 1 and score > best_score:
            best, best_score = candidate, score
    return best


def _read_text(path: Path, data: bytes) -> Table:
    text, encoding = decode(data, name=path.name)
    if _control_characters(text):
        raise _not_text(path.name)
    delimiter = delimiter_of(text)
    rows: list[SourceRow] = []
    width = 0
    try:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        for number, values in enumerate(reader, start=1):
            cells = tuple(value.strip() for value in values)
            filled = [i for i, v in enumerate(cells) if v]
            if not filled:
                continue
            if len(rows) >= MAX_ROWS:
                raise _too_many(path)
            width = max(width, filled[-1] + 1)
            rows.append(SourceRow(number, cells))
    except csv.Error as error:
        raise refuse(
            _("{name} cannot be read as a CSV file (line {line}): {reason}").format(
                name=path.name, line=reader.line_num, reason=error
            )
        ) from None
    if not rows:
        raise refuse(_("{name} holds no rows.").format(name=path.name))
    padded = tuple(SourceRow(r.number, (r.values + ("",) * width)[:width]) for r in rows)
    return Table(path, padded, width, encoding=encoding)
