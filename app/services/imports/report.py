"""The report of an import, saved as an .xlsx workbook beside the imported file.

Its first sheet lists every refused row: the row number as the spreadsheet shows it, the
column, what the cell held and why it is refused, in the language of the person
importing (right to left in Arabic), so the list can be corrected row by row and
imported again. A second sheet names the rows whose people the register already has
(they are left as they are).
"""

from __future__ import annotations

from pathlib import Path

from app.i18n import _, current_language
from app.services.exports import ExportSheet, write_sheets
from app.services.imports.plan import ImportPlan


def report_path(source: Path) -> Path:
    """Where the report of ``source`` goes: beside it, named after it."""
    return source.with_name(_("{name} - refused rows.xlsx").format(name=source.stem))


def report_sheets(plan: ImportPlan) -> list[ExportSheet]:
    refused = ExportSheet(
        title=_("Refused rows"),
        headers=(_("Row"), _("Column"), _("Value"), _("Reason")),
        rows=[(p.row, p.column, p.value or None, p.message) for p in plan.problems],
    )
    sheets = [refused]
    if plan.known:
        sheets.append(
            ExportSheet(
                title=_("Already in the register"),
                headers=(_("Row"), _("Name"), _("Birth date"), _("ID card number")),
                rows=[
                    (
                        p.row,
                        p.existing.full_name_ar,
                        p.existing.birth_date,
                        p.existing.cin,
                    )
                    for p in plan.known
                    if p.existing is not None
                ],
            )
        )
    return sheets


def save_report(plan: ImportPlan, source: Path) -> Path:
    """Write the report of ``plan`` beside ``source``; its path. InputRejected when the
    folder cannot be written (a read-only stick)."""
    path = report_path(source)
    write_sheets(path, report_sheets(plan), language=current_language())
    return path
