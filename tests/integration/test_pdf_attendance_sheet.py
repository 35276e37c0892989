"""The printed monthly attendance sheet: real PDFs from the CLI, read back with poppler.

What is checked is what a reader gets: the names and the month in the extracted text
(poppler extracts Arabic as presentation forms; NFKC folds them back to letters), one
column per session day, every font embedded, a page or more per group.
"""

from __future__ import annotations

import re
import subprocess
import sys
import unicodedata
from collections.abc import Callable
from pathlib import Path

import pytest

from app.services import groups, sessions
from app.services.attendance_sheet import MonthSheet, month_sheet
from app.services.register import open_register
from tests.golden import assert_pages_match
from tests.integration.conftest import Result, init_args

pytestmark = pytest.mark.skipif(
    subprocess.run(["which", "pdftotext"], capture_output=True).returncode != 0,
    reason="poppler-utils (pdftotext, pdffonts, pdfinfo) is not installed",
)

MONTH = "2026-11"


def _poppler(*args: str) -> str:
    return subprocess.run(args, capture_output=True, text=True, check=True).stdout


def _text(pdf: Path) -> str:
    """The text in reading order, letters folded, without the direction marks poppler
    puts around mixed-direction runs."""
    text = unicodedata.normalize("NFKC", _poppler("pdftotext", "-layout", str(pdf), "-"))
    return re.sub("[\u200e\u200f\u202a-\u202e\u2066-\u2069]", "", text)


def _head_days(text: str, marker: str) -> list[int]:
    """The day numbers of the grid's head: the line holding the name column's title."""
    line = next(line for line in text.splitlines() if marker in line)
    return sorted(int(n) for n in re.findall(r"(?<![\d/.])\d{1,2}(?![\d/.])", line))


@pytest.fixture
def demo_centre(run_cli: Callable[..., Result], tmp_path: Path) -> Callable[..., Result]:
    """A demo centre of 60 people, and one session of the first group cancelled."""
    assert run_cli(*init_args(name="مركز التربية والتكوين الأمل")).code == 0
    assert run_cli("demo", "--beneficiaries", "60").code == 0
    return run_cli


def _sheets(tmp_path: Path) -> list[MonthSheet]:
    register = open_register(str(tmp_path / "cli.sqlite"))
    try:
        with register.unit_of_work(read_only=True) as uow:
            return [month_sheet(uow, group=str(g.id), month=MONTH) for g in groups.list_groups(uow)]
    finally:
        register.close()


def _cancel_first_session(tmp_path: Path, sheet: MonthSheet) -> int:
    day = sheet.columns[0].date
    register = open_register(str(tmp_path / "cli.sqlite"))
    try:
        with register.unit_of_work() as uow:
            sessions.cancel_session(uow, group=str(sheet.group_id), date=day, reason="إضراب")
    finally:
        register.close()
    return day.day


def test_arabic_sheet_has_every_name_the_month_and_only_session_days(
    demo_centre: Callable[..., Result], tmp_path: Path
) -> None:
    cancelled = _cancel_first_session(tmp_path, _sheets(tmp_path)[0])
    sheet = _sheets(tmp_path)[0]
    pdf = tmp_path / "sheet.pdf"
    result = demo_centre(
        "pdf", "attendance-sheet", "--group", str(sheet.group_id), "--month", MONTH, "-o", str(pdf)
    )
    assert result.code == 0, result.err
    text = _text(pdf)
    assert sheet.rows
    for row in sheet.rows:
        assert row.person.full_name_ar in text
    assert "نونبر 2026" in text
    assert "ورقة الحضور الشهرية" in text
    days = _head_days(text, "الاسم الكامل")
    assert days == [d.date.day for d in sheet.columns]
    assert 18 not in days and cancelled not in days
    assert not list(tmp_path.glob(".sheet.pdf.*")), "the temporary file was left behind"


def test_every_font_is_embedded(demo_centre: Callable[..., Result], tmp_path: Path) -> None:
    pdf = tmp_path / "all.pdf"
    result = demo_centre(
        "pdf", "attendance-sheet", "--all-groups", "--month", MONTH, "-o", str(pdf)
    )
    assert result.code == 0, result.err
    fonts = re.findall(
        r"^(\S+).*?\s(yes|no)\s+(?:yes|no)\s+(?:yes|no)\s+\d+\s+\d+$",
        _poppler("pdffonts", str(pdf)),
        flags=re.MULTILINE,
    )
    assert fonts, "pdffonts listed no font"
    assert [name for name, embedded in fonts if embedded != "yes"] == []


def test_french_sheet_reads_left_to_right_with_french_heads(
    demo_centre: Callable[..., Result], tmp_path: Path
) -> None:
    sheet = _sheets(tmp_path)[0]
    pdf = tmp_path / "fr.pdf"
    result = demo_centre(
        "pdf", "attendance-sheet", "--group", str(sheet.group_id), "--month", MONTH,
        "--lang", "fr", "-o", str(pdf),
    )  # fmt: skip
    assert result.code == 0, result.err
    text = _text(pdf)
    assert "novembre 2026" in text
    assert "Feuille de présence mensuelle" in text
    assert "Royaume du Maroc" in text
    head = next(line for line in text.splitlines() if "Nom et prénom" in line)
    assert head.index("N°") < head.index("Nom et prénom") < head.index("Présences")
    assert _head_days(text, "Nom et prénom") == [d.date.day for d in sheet.columns]


def test_blank_sheet_has_names_but_no_marks(
    demo_centre: Callable[..., Result], tmp_path: Path
) -> None:
    sheet = _sheets(tmp_path)[0]
    pdf = tmp_path / "blank.pdf"
    result = demo_centre(
        "pdf", "attendance-sheet", "--group", str(sheet.group_id), "--month", MONTH,
        "--blank", "--lang", "fr", "-o", str(pdf),
    )  # fmt: skip
    assert result.code == 0, result.err
    text = _text(pdf)
    marked = [row for row in sheet.rows if row.marks]
    assert marked, "the demo marks attendance"
    for row in marked:
        line = next(line for line in text.splitlines() if row.person.full_name_ar in line)
        assert not re.search(r"\b[PAER]\b", line), line


def test_all_groups_give_a_page_or_more_per_group(
    demo_centre: Callable[..., Result], tmp_path: Path
) -> None:
    sheets = _sheets(tmp_path)
    pdf = tmp_path / "all.pdf"
    result = demo_centre(
        "pdf", "attendance-sheet", "--all-groups", "--month", MONTH, "-o", str(pdf)
    )
    assert result.code == 0, result.err
    pages = int(re.search(r"^Pages:\s+(\d+)", _poppler("pdfinfo", str(pdf)), re.M)[1])
    assert pages >= len(sheets) >= 2
    # Poppler spaces the hyphen of "الخياطة - الفوج 1" by its own bidi rules: compare
    # without spaces.
    text = "".join(_text(pdf).split())
    for sheet in sheets:
        assert "".join(sheet.group_name.split()) in text


@pytest.mark.parametrize(
    ("args", "field"),
    [
        (("--group", "لا يوجد", "--month", MONTH), "--group"),
        (("--all-groups", "--month", "2026-13"), "--month"),
    ],
)
def test_bad_input_is_refused_and_writes_nothing(
    demo_centre: Callable[..., Result], tmp_path: Path, args: tuple[str, ...], field: str
) -> None:
    pdf = tmp_path / "refused.pdf"
    result = demo_centre("pdf", "attendance-sheet", *args, "-o", str(pdf))
    assert result.code == 3
    assert field in result.err
    assert not pdf.exists()


def test_a_missing_folder_is_refused(demo_centre: Callable[..., Result], tmp_path: Path) -> None:
    pdf = tmp_path / "no-such-folder" / "sheet.pdf"
    result = demo_centre(
        "pdf", "attendance-sheet", "--all-groups", "--month", MONTH, "-o", str(pdf)
    )
    assert (result.code, "--output" in result.err) == (3, True)


def test_the_command_line_starts_without_reportlab() -> None:
    probe = "import sys, app.cli.main; print('reportlab' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert result.stdout.strip() == "False", result.stderr


@pytest.mark.parametrize(("language", "blank"), [("ar", False), ("fr", True)])
def test_the_sheet_looks_as_approved(
    demo_centre: Callable[..., Result], tmp_path: Path, language: str, blank: bool
) -> None:
    """The printed layout does not drift: every page matches its approved picture."""
    sheet = _sheets(tmp_path)[0]
    pdf = tmp_path / "sheet.pdf"
    args = ["pdf", "attendance-sheet", "--group", str(sheet.group_id), "--month", MONTH]
    result = demo_centre(*args, "--lang", language, *(["--blank"] if blank else []), "-o", str(pdf))
    assert result.code == 0, result.err
    assert_pages_match(
        pdf.read_bytes(), f"attendance-sheet-{language}-{'blank' if blank else 'filled'}"
    )
