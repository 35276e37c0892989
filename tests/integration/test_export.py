"""Taking data out: the files are read back with openpyxl and csv, as Excel would open
them, and a list taken out of one register goes into another unchanged."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pytest
from openpyxl import load_workbook

from app.i18n import translations
from app.services import exports, groups
from app.services.attendance import mark_attendance
from app.services.beneficiaries import BeneficiaryFilter, BeneficiaryInput, register_beneficiary
from app.services.errors import InputRejected
from app.services.imports import headers
from app.services.imports.plan import import_rows
from app.services.imports.reading import read_table
from app.services.register import Register
from tests.integration.conftest import TODAY, make_centre
from tests.integration.spreadsheets import everyone, identity, sheet_rows

SEWING = "الخياطة أ"


@pytest.fixture
def centre(register: Register) -> Register:
    """Three people, two of them in the sewing group, with a day of attendance."""
    with register.unit_of_work() as uow:
        for family, given, sex, birth, cin, phone in (
            ("العلوي", "فاطمة", "F", "1995-03-04", "K123456", "0661234567"),
            ("بنعلي", "خديجة", "F", "2001-02-03", None, "0700112233"),
            ("الإدريسي", "محمد", "M", "1990-06-07", "C98765", None),
        ):
            register_beneficiary(
                uow,
                BeneficiaryInput(
                    family_name_ar=family,
                    given_name_ar=given,
                    family_name_latin="ALAOUI" if given == "فاطمة" else None,
                    sex=sex,
                    birth_date=birth,
                    cin=cin,
                    phone=phone,
                    education_level="primary" if given == "فاطمة" else None,
                    notes="=SUM(1)" if given == "محمد" else None,
                ),
                today=TODAY,
            )
        groups.add_group(uow, programme="EFT-COU", name=SEWING, days="mon,wed", capacity=20)
    with register.unit_of_work() as uow:
        groups.enrol(
            uow,
            group=SEWING,
            beneficiaries=["K123456", "C98765"],
            start_date=dt.date(2026, 9, 14),
            today=TODAY,
        )
    with register.unit_of_work() as uow:
        for status, who in (("present", "K123456"), ("absent", "C98765")):
            mark_attendance(
                uow,
                group=SEWING,
                date=dt.date(2026, 11, 16),
                status=status,
                beneficiaries=[who],
                today=TODAY,
            )
    return register


def _label(text: str, language: str = "ar") -> str:
    return translations(language).gettext(text)


def test_beneficiaries_to_xlsx_read_right_to_left_with_arabic_headers(
    centre: Register, tmp_path: Path
) -> None:
    path = tmp_path / "المستفيدون.xlsx"
    with centre.unit_of_work(read_only=True) as uow:
        result = exports.export_beneficiaries(uow, path)
    assert result.rows == 3

    sheet = load_workbook(path).active
    assert sheet.sheet_view.rightToLeft
    assert sheet.freeze_panes == "A2"
    rows = sheet_rows(path)
    header = rows[0]
    assert header[:2] == (_label("Family name (Arabic)"), _label("Given name (Arabic)"))
    assert header[-1] == _label("Group")
    by_name = {r[1]: dict(zip(header, r, strict=True)) for r in rows[1:]}
    fatima = by_name["فاطمة"]
    assert fatima[_label("Sex")] == "أنثى"
    assert fatima[_label("Birth date")] == dt.datetime(1995, 3, 4), "a real date cell"
    assert fatima[_label("Phone")] == "0661234567", "the leading zero survives"
    assert fatima[_label("Education level")] == _label("Primary")
    assert fatima[_label("Group")] == SEWING
    assert by_name["خديجة"][_label("Group")] is None
    assert by_name["محمد"][_label("Notes")] == "=SUM(1)", "a note is never a formula"
    assert [r[1] for r in rows[1:]] == ["محمد", "فاطمة", "خديجة"], "the list's name order"


def test_french_headers_read_left_to_right(centre: Register, tmp_path: Path) -> None:
    path = tmp_path / "beneficiaires.xlsx"
    with centre.unit_of_work(read_only=True) as uow:
        exports.export_beneficiaries(
            uow, path, language="fr", filters=BeneficiaryFilter(group_id=_sewing_id(centre))
        )
    assert not load_workbook(path).active.sheet_view.rightToLeft
    rows = sheet_rows(path)
    assert rows[0][4] == "Sexe"
    assert {r[1] for r in rows[1:]} == {"فاطمة", "محمد"}, "only the people of the filter"
    assert {r[4] for r in rows[1:]} == {"Féminin", "Masculin"}


def _sewing_id(register: Register) -> object:
    with register.unit_of_work(read_only=True) as uow:
        return next(g.id for g in groups.list_groups(uow) if g.name == SEWING)


def test_csv_opens_in_excel_with_its_arabic(centre: Register, tmp_path: Path) -> None:
    path = tmp_path / "liste.csv"
    with centre.unit_of_work(read_only=True) as uow:
        exports.export_beneficiaries(uow, path)
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf"), "the BOM tells Excel it is UTF-8"
    rows = list(csv.reader(data.decode("utf-8-sig").splitlines(), delimiter=";"))
    assert rows[0][0] == _label("Family name (Arabic)")
    fatima = next(r for r in rows if r[1] == "فاطمة")
    assert "1995-03-04" in fatima and "K123456" in fatima and "0661234567" in fatima
    mohamed = next(r for r in rows if r[1] == "محمد")
    assert "'=SUM(1)" in mohamed and "=SUM(1)" not in mohamed, "a note is never run as a formula"


def test_attendance_and_enrolments_out(centre: Register, tmp_path: Path) -> None:
    marks, members = tmp_path / "الحضور.xlsx", tmp_path / "التسجيلات.csv"
    with centre.unit_of_work(read_only=True) as uow:
        exports.export_attendance(uow, marks, month="2026-11")
        exports.export_enrolments(uow, members, group=SEWING, language="fr")
    assert load_workbook(marks).active.sheet_view.rightToLeft
    rows = sheet_rows(marks)
    assert rows[0] == (
        _label("Date"),
        _label("Group"),
        _label("Family name (Arabic)"),
        _label("Given name (Arabic)"),
        _label("ID card number"),
        _label("Attendance"),
    )
    assert sorted(rows[1:]) == [
        (dt.datetime(2026, 11, 16), SEWING, "الإدريسي", "محمد", "C98765", _label("Absent")),
        (dt.datetime(2026, 11, 16), SEWING, "العلوي", "فاطمة", "K123456", _label("Present")),
    ]
    lines = list(csv.reader(members.read_text(encoding="utf-8-sig").splitlines(), delimiter=";"))
    assert lines[0][:2] == ["Groupe", "Programme"]
    assert {(line[3], line[6]) for line in lines[1:]} == {
        ("فاطمة", "2026-09-14"),
        ("محمد", "2026-09-14"),
    }
    with centre.unit_of_work(read_only=True) as uow:
        exports.export_attendance(uow, marks, month="2026-10")
    assert len(sheet_rows(marks)) == 1, "no mark in October: the headers alone"


@pytest.mark.parametrize(("language", "name"), [("ar", "liste.xlsx"), ("fr", "liste.csv")])
def test_a_list_taken_out_goes_into_another_register(
    centre: Register, tmp_path: Path, language: str, name: str
) -> None:
    path = tmp_path / name
    with centre.unit_of_work(read_only=True) as uow:
        exports.export_beneficiaries(uow, path, language=language)
    other = make_centre(str(tmp_path / "autre.sqlite"))
    try:
        with other.unit_of_work() as uow:
            groups.add_group(uow, programme="EFT-COU", name=SEWING, days="mon", capacity=20)
        table = read_table(path)
        layout = headers.detect_layout(table)
        with other.unit_of_work() as uow:
            _plan, result = import_rows(uow, table, layout, layout.mapping, today=TODAY)
        assert (result.registered, result.enrolled) == (3, 2)
        copied = {identity(p) for p in everyone(other)}
        with other.unit_of_work(read_only=True) as uow:
            members = {m.given_name_ar for m in groups.group_members(uow, group=SEWING)}
    finally:
        other.close()
    assert copied == {identity(p) for p in everyone(centre)}
    assert members == {"فاطمة", "محمد"}


@pytest.mark.parametrize("name", ["liste.pdf", "absent/liste.xlsx"])
def test_an_unwritable_destination_is_refused(centre: Register, tmp_path: Path, name: str) -> None:
    with centre.unit_of_work(read_only=True) as uow, pytest.raises(InputRejected) as refused:
        exports.export_beneficiaries(uow, tmp_path / name)
    assert refused.value.errors[0].field == "output"
    assert not [p for p in tmp_path.rglob("*") if "liste" in p.name], "no file, no leftover"
