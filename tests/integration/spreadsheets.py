"""Making the lists coordinators really bring, for the import and export tests.

Each list is written the way a person (or Excel) writes it: titles merged above the
header, headers in Arabic and French, dates in every form, blank rows, CSV files in the
encodings Windows uses.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Sequence
from pathlib import Path

from openpyxl import Workbook, load_workbook

from app.services.records import BeneficiaryRecord
from app.services.register import Register


def write_xlsx(
    path: Path,
    rows: Sequence[Sequence[object]],
    *,
    merges: Sequence[str] = (),
    title: str = "Feuil1",
) -> Path:
    """A workbook of one sheet holding ``rows`` from A1, with ``merges`` ("A1:H1")."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title
    for row in rows:
        sheet.append(list(row))
    for area in merges:
        sheet.merge_cells(area)
    workbook.save(path)
    return path


def write_csv(
    path: Path,
    rows: Sequence[Sequence[object]],
    *,
    encoding: str = "utf-8",
    delimiter: str = ",",
) -> Path:
    """A CSV file as Excel or Notepad writes it in ``encoding`` (utf-8-sig: with a BOM)."""
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows(
        ["" if v is None else v for v in row] for row in rows
    )
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def sheet_rows(path: Path, sheet: str | int = 0) -> list[tuple[object, ...]]:
    """The values of a sheet of a workbook, read back with openpyxl."""
    workbook = load_workbook(path)
    worksheet = workbook.worksheets[sheet] if isinstance(sheet, int) else workbook[sheet]
    return [tuple(row) for row in worksheet.iter_rows(values_only=True)]


def everyone(register: Register) -> list[BeneficiaryRecord]:
    """Every living person of the register, in name order."""
    from app.services.beneficiaries import (
        BeneficiaryFilter,
        beneficiaries_by_id,
        find_beneficiary_ids,
    )

    with register.unit_of_work(read_only=True) as uow:
        ids = find_beneficiary_ids(uow, BeneficiaryFilter())
        found = beneficiaries_by_id(uow, ids)
    return [found[i] for i in ids]


def identity(record: BeneficiaryRecord) -> tuple[object, ...]:
    """What a person is, to compare registers: names, sex, birth date, CIN, phone."""
    return (
        record.family_name_ar,
        record.given_name_ar,
        record.family_name_latin,
        record.given_name_latin,
        record.sex,
        record.birth_date,
        record.cin,
        record.phone,
    )


def date(text: str) -> dt.date:
    return dt.date.fromisoformat(text)
