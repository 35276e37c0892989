"""Taking data out: beneficiaries, enrolments and attendance as .xlsx or .csv files.

Headers are Arabic unless another language is asked for, and an Arabic .xlsx sheet reads
right to left. What a person reads is written as that person reads it: sex, situations
and statuses as labels in the file's language, dates as real dates in .xlsx (shown
day/month/year) and YYYY-MM-DD in .csv, ID numbers and phones as text so a leading zero
survives. The beneficiaries' headers are the labels the importer recognises, so a list
taken out of one register goes into another.

.csv files are UTF-8 with a BOM and semicolons: what Excel opens as columns, Arabic
included, on a Moroccan Windows (French or Arabic). Every file is written under a
temporary name and renamed at the end: a failure never leaves half a file behind.
"""

from __future__ import annotations

import csv
import datetime as dt
import os
import tempfile
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from app.i18n import DEFAULT_LANGUAGE, N_, _, is_rtl, translations
from app.models import Attendance, Beneficiary, Enrolment, Group, Session
from app.services import beneficiaries, groups
from app.services.beneficiaries import BeneficiaryFilter
from app.services.centres import list_programmes
from app.services.context import resolve_group, where
from app.services.errors import FieldError, InputRejected
from app.services.imports.headers import FIELDS
from app.services.progress import Progress
from app.services.records import BeneficiaryRecord
from app.services.sessions import parse_month
from app.services.unit_of_work import UnitOfWork
from app.vocabulary import (
    LABELS,
    Area,
    AttendanceStatus,
    Disability,
    EducationLevel,
    EnrolmentStatus,
    Labelled,
    MaritalStatus,
    Sex,
)

SUFFIXES = (".xlsx", ".csv")
CSV_DELIMITER = ";"
DATE_FORMAT = "DD/MM/YYYY"
_CHUNK = 500
_ENUMS: dict[str, type[Labelled]] = {
    "sex": Sex,
    "area": Area,
    "marital_status": MaritalStatus,
    "education_level": EducationLevel,
    "disability": Disability,
}
# The beneficiary's own fields, in the order of the form (the import's "enrolment
# date" belongs to the enrolments' file).
_PERSON_FIELDS = tuple(f for f in FIELDS if f.key != "enrolment_date")
Value = str | int | dt.date | None


@dataclass(frozen=True)
class ExportSheet:
    """One sheet: its title, its headers (already in the file's language) and rows."""

    title: str
    headers: tuple[str, ...]
    rows: Sequence[Sequence[Value]]


@dataclass(frozen=True)
class ExportResult:
    path: Path
    rows: int


def output_path(value: str | Path) -> Path:
    """The file to write: ending in .xlsx or .csv, in a folder that exists."""
    path = Path(value).expanduser()
    if path.suffix.lower() not in SUFFIXES:
        raise InputRejected(
            FieldError(
                "output",
                _("Give a file name ending in .xlsx or .csv (not “{name}”).").format(
                    name=path.name
                ),
            )
        )
    if not path.parent.is_dir():
        raise InputRejected(
            FieldError(
                "output", _("The folder {folder} does not exist.").format(folder=path.parent)
            )
        )
    return path


def _translator(language: str) -> Callable[[str], str]:
    return translations(language).gettext


def _label(value: str | None, enum: type[Labelled], tr: Callable[[str], str]) -> str | None:
    return tr(LABELS[enum(value)]) if value else None


# -- what is exported ------------------------------------------------------------------


def beneficiaries_sheet(
    uow: UnitOfWork,
    *,
    language: str = DEFAULT_LANGUAGE,
    filters: BeneficiaryFilter | None = None,
    progress: Progress | None = None,
) -> ExportSheet:
    """The centre's people (those matching ``filters``), in the list's name order, with
    the groups each is in this season."""
    tr = _translator(language)
    ids = beneficiaries.find_beneficiary_ids(uow, filters or BeneficiaryFilter(), limit=10**9)
    in_groups = _active_groups(uow)
    joiner = "، " if language == "ar" else "; "
    rows: list[list[Value]] = []
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start : start + _CHUNK]
        found = beneficiaries.beneficiaries_by_id(uow, chunk)
        for person_id in chunk:
            record = found[person_id]
            rows.append(
                [*_person_cells(record, tr), joiner.join(in_groups.get(person_id, ())) or None]
            )
        if progress is not None:
            progress.step(len(rows), len(ids))
    return ExportSheet(
        title=tr(N_("Beneficiaries")),
        headers=tuple(tr(f.label) for f in _PERSON_FIELDS),
        rows=rows,
    )


def _person_cells(record: BeneficiaryRecord, tr: Callable[[str], str]) -> list[Value]:
    cells: list[Value] = []
    for field in _PERSON_FIELDS:
        if field.key == "group":
            continue
        value = getattr(record, field.key)
        if field.key in _ENUMS:
            value = _label(value, _ENUMS[field.key], tr)
        cells.append(value)
    return cells


def _active_groups(uow: UnitOfWork) -> dict[uuid.UUID, list[str]]:
    """The names of the season's groups each person is in now."""
    place = where(uow.session)
    rows = uow.session.execute(
        select(Enrolment.beneficiary_id, Group.name)
        .join(Group, Group.id == Enrolment.group_id)
        .where(
            Group.centre_id == place.centre.id,
            Group.season_id == place.season.id,
            Group.cl % 2 == 1,
            Enrolment.cl % 2 == 1,
            Enrolment.status == EnrolmentStatus.ACTIVE.value,
        )
        .order_by(Group.name)
    )
    found: dict[uuid.UUID, list[str]] = {}
    for person_id, name in rows:
        found.setdefault(person_id, []).append(name)
    return found


def enrolments_sheet(
    uow: UnitOfWork,
    *,
    language: str = DEFAULT_LANGUAGE,
    group: str | None = None,
    progress: Progress | None = None,
) -> ExportSheet:
    """Every enrolment of the season (of ``group`` only, when given), group by group."""
    tr = _translator(language)
    season_groups = groups.list_groups(uow)
    if group is not None:
        chosen = resolve_group(uow.session, group, place=where(uow.session)).id
        season_groups = [g for g in season_groups if g.id == chosen]
    programmes = {p.id: p for p in list_programmes(uow)}
    rows: list[list[Value]] = []
    for number, record in enumerate(season_groups, start=1):
        programme = programmes[record.programme_id]
        title = programme.name_ar if language == "ar" else programme.name_fr
        for member in groups.group_members(uow, group=str(record.id)):
            rows.append(
                [
                    record.name,
                    title,
                    member.family_name_ar,
                    member.given_name_ar,
                    member.cin,
                    member.birth_date,
                    member.start_date,
                    _label(member.status, EnrolmentStatus, tr),
                    member.end_date,
                    member.reason,
                    member.mention,
                ]
            )
        if progress is not None:
            progress.step(number, len(season_groups))
    headers = (
        N_("Group"),
        N_("Programme"),
        N_("Family name (Arabic)"),
        N_("Given name (Arabic)"),
        N_("ID card number"),
        N_("Birth date"),
        N_("Enrolment date"),
        N_("Situation"),
        N_("End date"),
        N_("Reason"),
        N_("Mention"),
    )
    return ExportSheet(tr(N_("Enrolments")), tuple(tr(h) for h in headers), rows)


def attendance_sheet(
    uow: UnitOfWork,
    *,
    language: str = DEFAULT_LANGUAGE,
    group: str | None = None,
    month: str | None = None,
) -> ExportSheet:
    """Every attendance mark of the season, one row each (of one group, of one month
    YYYY-MM, when given), by date, group and name: a table to count and pivot."""
    tr = _translator(language)
    place = where(uow.session)
    query = (
        select(Session.date, Group.name, Beneficiary, Attendance.status)
        .join(Session, Session.id == Attendance.session_id)
        .join(Group, Group.id == Session.group_id)
        .join(Beneficiary, Beneficiary.id == Attendance.beneficiary_id)
        .where(
            Group.centre_id == place.centre.id,
            Group.season_id == place.season.id,
            Group.cl % 2 == 1,
            Session.cl % 2 == 1,
            Attendance.cl % 2 == 1,
            Beneficiary.cl % 2 == 1,
        )
        .order_by(Session.date, Group.name, Beneficiary.sort_key, Beneficiary.id)
    )
    if group is not None:
        query = query.where(Group.id == resolve_group(uow.session, group, place=place).id)
    if month is not None:
        first, last = parse_month("month", month)
        query = query.where(Session.date >= first, Session.date <= last)
    rows: list[list[Value]] = []
    for day, group_name, person, status in uow.session.execute(query):
        rows.append(
            [
                day,
                group_name,
                person.family_name_ar,
                person.given_name_ar,
                person.cin,
                _label(status, AttendanceStatus, tr),
            ]
        )
    headers = (
        N_("Date"),
        N_("Group"),
        N_("Family name (Arabic)"),
        N_("Given name (Arabic)"),
        N_("ID card number"),
        N_("Attendance"),
    )
    return ExportSheet(tr(N_("Attendance")), tuple(tr(h) for h in headers), rows)


# -- writing ---------------------------------------------------------------------------


def write_sheets(
    path: Path,
    sheets: Sequence[ExportSheet],
    *,
    language: str = DEFAULT_LANGUAGE,
    progress: Progress | None = None,
) -> int:
    """Write ``sheets`` to ``path`` (.xlsx: one sheet each; .csv: the first only), through
    a temporary file renamed over it; the rows written. InputRejected when the file
    cannot be written."""
    path = output_path(path)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(handle)
    try:
        if path.suffix.lower() == ".csv":
            _write_csv(Path(temporary), sheets[0], progress=progress)
        else:
            _write_xlsx(Path(temporary), sheets, rtl=is_rtl(language), progress=progress)
        os.replace(temporary, path)
    except OSError as error:
        Path(temporary).unlink(missing_ok=True)
        raise InputRejected(
            FieldError(
                "output",
                _("{name} cannot be written: {reason}").format(
                    name=path.name, reason=error.strerror or error
                ),
            )
        ) from None
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return len(sheets[0].rows)


# A spreadsheet opening a .csv runs a cell that starts with one of these as a formula; an
# apostrophe in front makes it text (a note typed as "=2+3" or "@home" stays what it was).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _csv_cell(value: Value) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value)
    if isinstance(value, str) and text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


def _write_csv(path: Path, sheet: ExportSheet, *, progress: Progress | None) -> None:
    with path.open("w", encoding="utf-8-sig", newline="") as file:
        writer = csv.writer(file, delimiter=CSV_DELIMITER, lineterminator="\r\n")
        writer.writerow(sheet.headers)
        for number, row in enumerate(sheet.rows, start=1):
            writer.writerow([_csv_cell(v) for v in row])
            if progress is not None and number % _CHUNK == 0:
                progress.step(number, len(sheet.rows))


def _width(header: str, rows: Sequence[Sequence[Value]], index: int) -> float:
    """A column as wide as its header and the first rows' values, within bounds."""
    longest = len(header)
    for row in rows[:200]:
        value = row[index]
        longest = max(longest, 10 if isinstance(value, dt.date) else len(_csv_cell(value)))
    return min(max(longest + 2, 8), 45)


def _write_xlsx(
    path: Path, sheets: Sequence[ExportSheet], *, rtl: bool, progress: Progress | None
) -> None:
    from openpyxl import Workbook  # only when a workbook is written: it is slow to import
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter

    workbook = Workbook(write_only=True)
    bold, fill = Font(bold=True), PatternFill("solid", fgColor="DCECEE")
    total = sum(len(s.rows) for s in sheets)
    written = 0
    for sheet in sheets:
        worksheet = workbook.create_sheet(_sheet_title(sheet.title))
        worksheet.sheet_view.rightToLeft = rtl
        worksheet.freeze_panes = "A2"
        for index, header in enumerate(sheet.headers):
            letter = get_column_letter(index + 1)
            worksheet.column_dimensions[letter].width = _width(header, sheet.rows, index)
        if sheet.headers:
            last = get_column_letter(len(sheet.headers))
            worksheet.auto_filter.ref = f"A1:{last}{len(sheet.rows) + 1}"
        heading = []
        for header in sheet.headers:
            cell = WriteOnlyCell(worksheet, value=header)
            cell.font, cell.fill = bold, fill
            heading.append(cell)
        worksheet.append(heading)
        for row in sheet.rows:
            worksheet.append([_xlsx_cell(worksheet, value, WriteOnlyCell) for value in row])
            written += 1
            if progress is not None and written % _CHUNK == 0:
                progress.step(written, total)
    workbook.save(path)


def _xlsx_cell(worksheet: object, value: Value, make: Callable[..., object]) -> object:
    if isinstance(value, dt.date):
        cell = make(worksheet, value=value)
        cell.number_format = DATE_FORMAT  # type: ignore[attr-defined]
        return cell
    if isinstance(value, str) and value.startswith("="):
        # Text that looks like a formula stays text: a note is never run as one.
        cell = make(worksheet, value=value)
        cell.data_type = "s"  # type: ignore[attr-defined]
        return cell
    return value


def _sheet_title(title: str) -> str:
    """A sheet name Excel accepts: 31 characters, none of []:*?/\\."""
    cleaned = "".join(" " if ch in "[]:*?/\\" else ch for ch in title).strip()
    return cleaned[:31] or "Sheet"


# -- one call per file -----------------------------------------------------------------


def export_beneficiaries(
    uow: UnitOfWork,
    path: Path,
    *,
    language: str = DEFAULT_LANGUAGE,
    filters: BeneficiaryFilter | None = None,
    progress: Progress | None = None,
) -> ExportResult:
    path = output_path(path)
    sheet = beneficiaries_sheet(uow, language=language, filters=filters, progress=progress)
    return ExportResult(path, write_sheets(path, [sheet], language=language, progress=progress))


def export_enrolments(
    uow: UnitOfWork,
    path: Path,
    *,
    language: str = DEFAULT_LANGUAGE,
    group: str | None = None,
    progress: Progress | None = None,
) -> ExportResult:
    path = output_path(path)
    sheet = enrolments_sheet(uow, language=language, group=group, progress=progress)
    return ExportResult(path, write_sheets(path, [sheet], language=language, progress=progress))


def export_attendance(
    uow: UnitOfWork,
    path: Path,
    *,
    language: str = DEFAULT_LANGUAGE,
    group: str | None = None,
    month: str | None = None,
    progress: Progress | None = None,
) -> ExportResult:
    path = output_path(path)
    sheet = attendance_sheet(uow, language=language, group=group, month=month)
    return ExportResult(path, write_sheets(path, [sheet], language=language, progress=progress))
