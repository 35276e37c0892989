"""Importing a coordinator's workbook: exactly the right people, nothing half-written.

The lists are made here the way they arrive from the field: a merged title, a header on
two rows, dates in every form, blank rows, people twice, refusals. What the import wrote
is read back through the services, and the change log must still rebuild the tables.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from app.i18n import _, set_language
from app.models import ChangeLog
from app.services import groups
from app.services.beneficiaries import BeneficiaryInput, register_beneficiary
from app.services.errors import InputRejected
from app.services.imports import headers
from app.services.imports.plan import (
    ImportPlan,
    ImportRefused,
    ImportResult,
    carry_out,
    import_rows,
    plan_import,
)
from app.services.imports.reading import read_table
from app.services.imports.report import report_path, save_report
from app.services.integrity import log_differences
from app.services.progress import Cancelled, Progress
from app.services.register import Register
from tests.integration.conftest import TODAY
from tests.integration.spreadsheets import everyone, identity, sheet_rows, write_xlsx

SEWING = "الخياطة أ"
HEADER_TOP = [
    "ر.ت",
    "الاسم",
    None,
    "Nom",
    "Prénom",
    "الجنس",
    "تاريخ الازدياد",
    "ب.ت.و",
    "الهاتف",
    "الفوج",
    "ولي الأمر",
    "التوقيع",
]
HEADER_BOTTOM = [None, "العائلي", "الشخصي", *[None] * 9]
# The title over the whole width, "الاسم" over its two columns, every other header merged
# down over the two header rows, and the group name merged down over its two members.
MERGES = (
    "A1:L1",
    "B3:C3",
    *(f"{c}3:{c}4" for c in "ADEFGHIJKL"),
    "J5:J6",
)


def _serial(day: dt.date) -> int:
    return (day - dt.date(1899, 12, 30)).days


def _messy_list(folder: Path) -> Path:
    return write_xlsx(
        folder / "لائحة المستفيدين 2026.xlsx",
        [
            ["مركز التربية والتكوين الأمل — لائحة المستفيدات والمستفيدين"],
            [],
            HEADER_TOP,
            HEADER_BOTTOM,
            [1, "العلوي", "فاطمة", "alaoui", "fatima", "أنثى", dt.datetime(1995, 3, 4),
             "k 123 456", "+212 6 61 23 45 67", SEWING, None, None],
            [2, " بنعلي ", "خديجة ", "BENALI", "KHADIJA", "F", "03/02/2001", "AB 12345",
             661234568, None, None, None],
            [None] * 12,
            [3, "الإدريسي", "محمد", "EL IDRISSI", "MOHAMED", "ذكر",
             _serial(dt.date(2001, 2, 1)), "C 98765", "06 12 34 56 78", None, None, None],
            [4, "التازي", "يوسف", "Tazi", "Youssef", "H", "5 mars 1985", None,
             "00212 700112233", None, None, None],
            [5, "الفاسي", "زينب", None, None, "f", "12 يوليوز 1990", "-", "/", None, None, None],
            [6, "برادة", "آدم", None, None, "M", "01-09-2015", None, None, None,
             "برادة عبد الله", None],
            [7, "السقاط", "نادية", "SQATT", "NADIA", "أنثى", "2/3/88", "ZT ٤٥٦٧٨",
             "٠٦٦٠٠٠٠٠٠١", None, None, None],
        ],
        merges=MERGES,
    )  # fmt: skip


EXPECTED = {
    # family, given, latin family, latin given, sex, birth, CIN, phone
    ("العلوي", "فاطمة", "ALAOUI", "FATIMA", "F", dt.date(1995, 3, 4), "K123456", "0661234567"),
    ("بنعلي", "خديجة", "BENALI", "KHADIJA", "F", dt.date(2001, 2, 3), "AB12345", "0661234568"),
    ("الإدريسي", "محمد", "EL IDRISSI", "MOHAMED", "M", dt.date(2001, 2, 1), "C98765", "0612345678"),
    ("التازي", "يوسف", "TAZI", "YOUSSEF", "M", dt.date(1985, 3, 5), None, "0700112233"),
    ("الفاسي", "زينب", None, None, "F", dt.date(1990, 7, 12), None, None),
    ("برادة", "آدم", None, None, "M", dt.date(2015, 9, 1), None, None),
    ("السقاط", "نادية", "SQATT", "NADIA", "F", dt.date(1988, 3, 2), "ZT45678", "0660000001"),
}  # fmt: skip


@pytest.fixture
def sewing(register: Register) -> Register:
    with register.unit_of_work() as uow:
        groups.add_group(uow, programme="EFT-COU", name=SEWING, days="mon,wed", capacity=20)
    return register


def _import(
    register: Register,
    path: Path,
    *,
    valid_only: bool = False,
    mapping: tuple[str | None, ...] | None = None,
) -> tuple[ImportPlan, ImportResult]:
    table = read_table(path)
    layout = headers.detect_layout(table)
    with register.unit_of_work() as uow:
        layout = headers.with_remembered(uow, layout)
        return import_rows(
            uow, table, layout, mapping or layout.mapping, today=TODAY, valid_only=valid_only
        )


def _log_size(register: Register) -> int:
    with register.unit_of_work(read_only=True) as uow:
        return uow.session.scalar(select(func.count()).select_from(ChangeLog)) or 0


def _members(register: Register) -> set[str]:
    with register.unit_of_work(read_only=True) as uow:
        return {m.given_name_ar for m in groups.group_members(uow, group=SEWING)}


def test_a_messy_workbook_brings_in_exactly_its_people(sewing: Register, tmp_path: Path) -> None:
    path = _messy_list(tmp_path)
    layout = headers.detect_layout(read_table(path))
    assert layout.header_rows == (3, 4)
    chosen = dict(zip((c.letter for c in layout.columns), layout.mapping, strict=True))
    assert chosen == {
        "A": None,
        "B": "family_name_ar",
        "C": "given_name_ar",
        "D": "family_name_latin",
        "E": "given_name_latin",
        "F": "sex",
        "G": "birth_date",
        "H": "cin",
        "I": "phone",
        "J": "group",
        "K": "guardian_name",
        "L": None,
    }

    plan, result = _import(sewing, path)

    assert plan.problems == ()
    assert (result.registered, result.enrolled, result.already) == (7, 2, 0)
    people = everyone(sewing)
    assert {identity(p) for p in people} == EXPECTED
    child = next(p for p in people if p.given_name_ar == "آدم")
    assert child.guardian_name == "برادة عبد الله"
    assert _members(sewing) == {"فاطمة", "خديجة"}, "the merged group cell enrols both"
    with sewing.unit_of_work(read_only=True) as uow:
        assert log_differences(uow) == [], "every imported row is in the change log"


def test_importing_the_same_file_again_adds_nobody(sewing: Register, tmp_path: Path) -> None:
    path = _messy_list(tmp_path)
    _import(sewing, path)
    before, log = everyone(sewing), _log_size(sewing)

    plan, result = _import(sewing, path)

    assert (result.registered, result.enrolled, result.already) == (0, 0, 7)
    assert plan.problems == ()
    assert everyone(sewing) == before
    assert _log_size(sewing) == log, "nothing at all was written the second time"


def _list_with_refusals(folder: Path) -> Path:
    header = ["النسب", "الاسم", "الجنس", "تاريخ الازدياد", "رقم البطاقة الوطنية", "الهاتف"]
    return write_xlsx(
        folder / "liste.xlsx",
        [
            header,
            ["العلوي", "فاطمة", "أنثى", "04/03/1995", "K123456", "0661234567"],  # 2
            ["بنعلي", "خديجة", "أنثى", "31/02/2001", "K222222", None],  # 3: no such day
            ["العلوي", "سلمى", "أنثى", "01/01/1999", "k 123456", None],  # 4: K123456 again
            ["الإدريسي", "أمينة", "؟", "01/01/1990", None, "12"],  # 5: sex and phone
            ["التازي", "ريم", "أنثى", "2015-05-05", None, None],  # 6: a child, no guardian
            [],
            ["العلوي", "فاطمة", "F", "1995-03-04", None, None],  # 8: row 2 again
            ["الفاسي", "زينب", "أنثى", "1990", None, None],  # 9: only a year
            ["السقاط", "نادية", "أنثى", "02/03/1988", "ZT45678", None],  # 10
        ],
    )


def test_refused_rows_stop_the_whole_import_and_are_reported_beside_the_file(
    register: Register, tmp_path: Path
) -> None:
    path = _list_with_refusals(tmp_path)
    log = _log_size(register)

    with pytest.raises(ImportRefused) as refused:
        _import(register, path)

    assert everyone(register) == []
    assert _log_size(register) == log
    plan = refused.value.plan
    by_row = {(p.row, p.column): p.message for p in plan.problems}
    assert plan.rejected_rows == (3, 4, 5, 6, 8, 9)
    assert "31/02/2001" in by_row[(3, "D — تاريخ الازدياد")]
    assert by_row[(4, "E — رقم البطاقة الوطنية")] == _("The same ID number as row {row}.").format(
        row=2
    ), "names the row that has it first"
    assert {column for row, column in by_row if row == 5} == {"C — الجنس", "F — الهاتف"}
    assert (6, headers.field_label("guardian_name")) in by_row, "a child needs a guardian"
    assert by_row[(8, "A — النسب")] == _(
        "The same person (names and birth date) as row {row}."
    ).format(row=2)
    assert len(plan.people) == 2

    report = save_report(plan, path)
    assert report == report_path(path)
    assert report.parent == path.parent
    workbook = load_workbook(report)
    assert workbook.worksheets[0].sheet_view.rightToLeft, "an Arabic report reads right to left"
    rows = sheet_rows(report)
    assert rows[0] == ("الصف", "العمود", "القيمة", "السبب")
    assert [(r[0], r[1], r[2]) for r in rows[1:]] == [
        (p.row, p.column, p.value or None) for p in plan.problems
    ]
    assert all(r[3] for r in rows[1:]), "every refusal says why"


def test_the_valid_rows_only_when_asked(register: Register, tmp_path: Path) -> None:
    path = _list_with_refusals(tmp_path)

    _plan, result = _import(register, path, valid_only=True)

    assert (result.registered, result.left_out) == (2, 6)
    assert {(p.given_name_ar, p.cin) for p in everyone(register)} == {
        ("فاطمة", "K123456"),
        ("نادية", "ZT45678"),
    }


def test_people_the_register_has_are_not_added_again_and_clashes_are_refused(
    register: Register, tmp_path: Path
) -> None:
    with register.unit_of_work() as uow:
        for family, given, birth, cin in (
            ("العلوي", "فاطمة", "1995-03-04", "K123456"),
            ("الفاسي", "زينب", "1990-07-12", None),
            ("بنعلي", "مريم", "1980-01-01", "K999999"),
        ):
            register_beneficiary(
                uow,
                BeneficiaryInput(
                    family_name_ar=family,
                    given_name_ar=given,
                    sex="F",
                    birth_date=birth,
                    cin=cin,
                ),
                today=TODAY,
            )
    path = write_xlsx(
        tmp_path / "liste.xlsx",
        [
            ["Nom", "Prénom", "Sexe", "Date de naissance", "CIN"],
            # The same people, written otherwise: hamza, ta marbuta, a CIN with a space.
            ["العلوي", "فاطمه", "F", "04/03/1995", "k 123456"],
            ["الفاسى", "زينب", "F", "12/07/1990", None],
            # Someone else with the ID number of مريم.
            ["التازي", "سعاد", "F", "01/01/1985", "K999999"],
            ["السقاط", "نادية", "F", "02/03/1988", None],
        ],
    )
    with register.unit_of_work(read_only=True) as uow:
        table = read_table(path)
        layout = headers.detect_layout(table)
        plan = plan_import(uow, table, layout, layout.mapping, today=TODAY)

    assert [p.values["given_name_ar"] for p in plan.known] == ["فاطمه", "زينب"]
    [clash] = plan.problems
    assert clash.row == 4 and clash.column == "E — CIN"
    assert "K999999" in clash.message and "مريم بنعلي" in clash.message
    assert [p.values["given_name_ar"] for p in plan.new] == ["نادية"]


def test_groups_named_in_the_file_are_checked_before_anything_is_written(
    register: Register, tmp_path: Path
) -> None:
    with register.unit_of_work() as uow:
        groups.add_group(uow, programme="EFT-COU", name="الخياطة أ", days="mon", capacity=1)
        groups.add_group(uow, programme="EFT-BRO", name="الطرز", days="tue", capacity=10)
    path = write_xlsx(
        tmp_path / "liste.xlsx",
        [
            ["الاسم العائلي", "الاسم الشخصي", "الجنس", "تاريخ الازدياد", "الفوج", "ولي الأمر"],
            ["العلوي", "فاطمة", "أنثى", "04/03/1995", "الخياطة ا"],  # written without hamza
            ["بنعلي", "خديجة", "أنثى", "03/02/2001", "الخياطة أ"],  # one place only
            ["برادة", "ريم", "أنثى", "01/01/2016", "الطرز", "برادة سعيد"],  # ten years old
            ["التازي", "سعاد", "أنثى", "01/01/1985", "الفصالة"],  # no such group
            ["السقاط", "نادية", "أنثى", "02/03/1988", "الطرز ; الخياطة أ"],
        ],
    )
    with register.unit_of_work(read_only=True) as uow:
        table = read_table(path)
        layout = headers.detect_layout(table)
        plan = plan_import(uow, table, layout, layout.mapping, today=TODAY)

    messages = {p.row: p.message for p in plan.problems}
    assert set(messages) == {3, 4, 5, 6}
    assert messages[3] == _("The group {group} is full ({capacity} places).").format(
        group="الخياطة أ", capacity=1
    )
    assert "ريم" in messages[4] and "15" in messages[4], "too young for the programme"
    assert "الفصالة" in messages[5]
    assert [(p.row, [g.name for g in p.groups]) for p in plan.people] == [(2, ["الخياطة أ"])]

    with register.unit_of_work() as uow:
        result = carry_out(uow, plan, valid_only=True)
    assert result.enrolled == 1
    with register.unit_of_work(read_only=True) as uow:
        assert [m.given_name_ar for m in groups.group_members(uow, group="الخياطة أ")] == ["فاطمة"]


def test_a_corrected_mapping_is_remembered_for_the_next_file(
    register: Register, tmp_path: Path
) -> None:
    header = ["Nom", "Prénom", "Sexe", "Né(e) le", "Tél.", "Observations", "Adresse domicile"]
    row = ["العلوي", "فاطمة", "F", "04/03/1995", "0661234567", "وافدة جديدة", "حي السلام"]
    first = write_xlsx(tmp_path / "septembre.xlsx", [header, row])
    layout = headers.detect_layout(read_table(first))
    assert layout.mapping[4:] == ("phone", "notes", None)
    corrected = headers.parse_mapping("Observations=-,G=address", layout)
    assert corrected[4:] == ("phone", None, "address")
    with register.unit_of_work() as uow:
        headers.remember(uow, layout, corrected)

    second = write_xlsx(tmp_path / "octobre.xlsx", [header, row, row])
    with register.unit_of_work(read_only=True) as uow:
        again = headers.with_remembered(uow, headers.detect_layout(read_table(second)))
        other = headers.with_remembered(
            uow, headers.detect_layout(read_table(write_xlsx(tmp_path / "x.xlsx", [header[:5]])))
        )
    assert again.remembered and again.mapping == corrected
    assert not other.remembered

    _plan, result = _import(register, second, valid_only=True)
    [person] = everyone(register)
    assert (person.address, person.notes) == ("حي السلام", None)
    assert result.left_out == 1, "the same person twice in the file"


def test_a_mapping_without_the_names_is_refused_with_what_is_missing(tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path / "liste.xlsx",
        [["الاسم الكامل", "الجنس", "تاريخ الازدياد"], ["فاطمة العلوي", "أنثى", "04/03/1995"]],
    )
    layout = headers.detect_layout(read_table(path))
    with pytest.raises(InputRejected) as refused:
        headers.check_mapping(layout, layout.mapping)
    message = refused.value.errors[0].message
    assert "الاسم العائلي (بالعربية)" in message
    assert "A — الاسم الكامل" in message, "says the whole names must be split"
    with pytest.raises(InputRejected) as twice:
        headers.check_mapping(layout, ("family_name_ar", "sex", "sex"))
    assert any("B" in e.message and "C" in e.message for e in twice.value.errors)


def test_cancelling_leaves_the_register_as_it_was(register: Register, tmp_path: Path) -> None:
    rows = [["الاسم العائلي", "الاسم الشخصي", "الجنس", "تاريخ الازدياد"]]
    rows += [["العلوي", f"فاطمة {n}", "أنثى", "04/03/1995"] for n in range(1200)]
    table = read_table(write_xlsx(tmp_path / "liste.xlsx", rows))
    layout = headers.detect_layout(table)
    log = _log_size(register)
    seen: list[tuple[int, int]] = []

    def stop_while_writing(done: int, total: int) -> None:
        # The checking ends at (1200, 1200); the writing then reports each batch written.
        if (1200, 1200) in seen and done:
            progress.cancel()
        seen.append((done, total))

    progress = Progress(on_step=stop_while_writing)
    with pytest.raises(Cancelled), register.unit_of_work() as uow:
        import_rows(uow, table, layout, layout.mapping, today=TODAY, progress=progress)
    assert everyone(register) == []
    assert _log_size(register) == log
    assert seen[-1] == (500, 1200), "stopped after the first batch was written"


def test_messages_and_report_follow_the_language(register: Register, tmp_path: Path) -> None:
    path = _list_with_refusals(tmp_path)
    set_language("fr")
    try:
        with pytest.raises(ImportRefused) as refused:
            _import(register, path)
        report = save_report(refused.value.plan, path)
    finally:
        set_language("ar")
    assert report.name == "liste - lignes refusées.xlsx"
    assert "refusée" in str(refused.value)
    rows = sheet_rows(report)
    assert rows[0] == ("Ligne", "Colonne", "Valeur", "Motif")
    assert not load_workbook(report).worksheets[0].sheet_view.rightToLeft
