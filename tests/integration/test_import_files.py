"""Reading the files lists come in: CSV in the encodings Windows writes, and files that
are not lists at all, which are refused with one clear message and change nothing."""

from __future__ import annotations

import datetime as dt
import os
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.i18n import set_language
from app.models import ChangeLog
from app.services.errors import InputRejected
from app.services.imports import headers
from app.services.imports.plan import import_rows
from app.services.imports.reading import MAX_BYTES, read_table
from app.services.register import Register
from tests.integration.conftest import TODAY
from tests.integration.spreadsheets import everyone, write_csv, write_xlsx

ARABIC_ROWS = [
    ["الرقم", "الاسم العائلي", "الاسم الشخصي", "الجنس", "تاريخ الازدياد", "رقم الهاتف"],
    ["1", "العلوي", "فاطمة", "أنثى", "04/03/1995", "661234567"],
    ["", "", "", "", "", ""],
    ["2", "بنعلي", "خديجة", "أنثى", "03.02.2001", "+212 661 23 45 68"],
    ["3", "الإدريسي", "محمد", "ذكر", "1/2/01", ""],
]
PEOPLE = {
    ("العلوي", "فاطمة", "F", dt.date(1995, 3, 4), "0661234567"),
    ("بنعلي", "خديجة", "F", dt.date(2001, 2, 3), "0661234568"),
    ("الإدريسي", "محمد", "M", dt.date(2001, 2, 1), None),
}


@pytest.fixture(autouse=True)
def _french() -> Iterator[None]:
    """Messages in French here, to read what they say."""
    set_language("fr")
    yield
    set_language("ar")


def _import(register: Register, path: Path) -> None:
    table = read_table(path)
    layout = headers.detect_layout(table)
    with register.unit_of_work() as uow:
        import_rows(uow, table, layout, layout.mapping, today=TODAY)


def _people(register: Register) -> set[tuple[object, ...]]:
    return {
        (p.family_name_ar, p.given_name_ar, p.sex, p.birth_date, p.phone)
        for p in everyone(register)
    }


@pytest.mark.parametrize(
    ("encoding", "delimiter"),
    [
        ("cp1256", ";"),  # Excel's "CSV" on an Arabic Windows, French list separator
        ("utf-8-sig", ","),  # Excel's "CSV UTF-8"
        ("utf-8", "\t"),  # a text editor
        ("utf-16", "\t"),  # Excel's "Unicode text"
    ],
)
def test_a_csv_list_in_any_windows_encoding(
    register: Register, tmp_path: Path, encoding: str, delimiter: str
) -> None:
    path = write_csv(tmp_path / "liste.csv", ARABIC_ROWS, encoding=encoding, delimiter=delimiter)
    _import(register, path)
    assert _people(register) == PEOPLE


def test_french_headers_and_accents_in_windows_1256(register: Register, tmp_path: Path) -> None:
    rows = [
        ["N°", "Nom", "Prénom", "Nom (latin)", "Prénom (latin)", "Sexe", "Né(e) le", "Adresse"],
        ["1", "العلوي", "فاطمة", "Alaoui", "Fatima", "Féminin", "04/03/1995", "Hay Salam, Fès"],
    ]
    path = write_csv(tmp_path / "liste.csv", rows, encoding="cp1256", delimiter=";")
    table = read_table(path)
    assert table.encoding == "windows-1256"
    layout = headers.detect_layout(table)
    assert layout.columns[2].header == "Prénom"
    assert layout.mapping == (
        None,
        "family_name_ar",
        "given_name_ar",
        "family_name_latin",
        "given_name_latin",
        "sex",
        "birth_date",
        "address",
    )
    _import(register, path)
    [person] = everyone(register)
    assert (person.given_name_latin, person.sex, person.address) == (
        "FATIMA",
        "F",
        "Hay Salam, Fès",
    )


def _log_size(register: Register) -> int:
    with register.unit_of_work(read_only=True) as uow:
        return uow.session.scalar(select(func.count()).select_from(ChangeLog)) or 0


def _broken_zip(path: Path) -> None:
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("notes.txt", "pas un classeur")


def _old_xls(path: Path) -> None:
    """The first bytes of an Excel 97-2003 workbook (an OLE compound file)."""
    path.write_bytes(bytes.fromhex("d0cf11e0a1b11ae1") + b"\0" * 600)


def _header_only(path: Path) -> None:
    write_xlsx(path, [["Nom", "Prénom", "Sexe", "Né le"]])


def _garbage(path: Path, size: int) -> None:
    path.write_bytes(os.urandom(size))


@pytest.mark.parametrize(
    ("name", "make", "said"),
    [
        ("vide.csv", lambda p: p.write_bytes(b""), "vide"),
        ("photo.xlsx", lambda p: _garbage(p, 4096), "n'est pas un classeur Excel"),
        ("bruit.csv", lambda p: _garbage(p, 200_000), "ni un classeur Excel"),
        ("enorme.csv", lambda p: _garbage(p, 50 * 1024 * 1024), "trop volumineux"),
        ("ancien.xls", _old_xls, ".xls"),
        ("archive.xlsx", _broken_zip, "ne peut pas être lu comme classeur Excel"),
        (
            "faux-utf8.csv",
            lambda p: p.write_bytes(b"\xef\xbb\xbf" + "النسب;الاسم\n".encode("cp1256")),
            "UTF-8",
        ),
        ("sans-entete.csv", lambda p: p.write_text("1;2;3\n4;5;6\n"), "en-tête"),
        ("vide.xlsx", lambda p: write_xlsx(p, []), "aucune ligne"),
        ("entete.xlsx", _header_only, "aucune ligne de"),
    ],
)  # fmt: skip
def test_a_file_that_is_no_list_is_refused_clearly_and_changes_nothing(
    register: Register, tmp_path: Path, name: str, make: object, said: str
) -> None:
    path = tmp_path / name
    make(path)  # type: ignore[operator]
    log = _log_size(register)
    with pytest.raises(InputRejected) as refused:
        _import(register, path)
    [error] = refused.value.errors
    assert error.field == "file"
    assert name in error.message, "the message names the file"
    assert said in error.message
    assert _log_size(register) == log
    assert everyone(register) == []


def test_the_size_limit_is_above_any_real_list() -> None:
    # 10,000 people take about half a megabyte as .xlsx and two as .csv.
    assert MAX_BYTES >= 10 * 1024 * 1024


def test_the_sheet_to_read_can_be_chosen(register: Register, tmp_path: Path) -> None:
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active.title = "ملخص"
    workbook.active.append(["المجموع", 2])
    people = workbook.create_sheet("المستفيدات")
    for row in ARABIC_ROWS:
        people.append(row)
    path = tmp_path / "classeur.xlsx"
    workbook.save(path)

    assert read_table(path).sheets == ("ملخص", "المستفيدات")
    with pytest.raises(InputRejected, match="en-tête"):
        headers.detect_layout(read_table(path))
    table = read_table(path, sheet="المستفيدات")
    layout = headers.detect_layout(table)
    with register.unit_of_work() as uow:
        import_rows(uow, table, layout, layout.mapping, today=TODAY)
    assert _people(register) == PEOPLE
    with pytest.raises(InputRejected) as refused:
        read_table(path, sheet="Feuil3")
    assert refused.value.errors[0].field == "sheet"
    assert "المستفيدات" in refused.value.errors[0].message
