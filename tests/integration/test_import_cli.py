"""`sijill import beneficiaries` and `sijill export`: what a script or an administrator
sees, exit codes included."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from openpyxl import load_workbook

from tests.integration.conftest import Result, init_args
from tests.integration.spreadsheets import write_csv, write_xlsx

INIT = init_args("ETF-01")
HEADER = ["النسب", "الاسم", "الجنس", "تاريخ الازدياد", "ب.ت.و", "Tél", "Remarque libre"]
GOOD = [
    ["العلوي", "فاطمة", "أنثى", "04/03/1995", "K 123456", "661234567", "جديدة"],
    ["بنعلي", "خديجة", "F", "03/02/2001", None, None, None],
]
BAD = ["الإدريسي", "أمينة", "أنثى", "31/02/2001", None, None, None]


@pytest.fixture
def cli(run_cli: Callable[..., Result]) -> Callable[..., Result]:
    assert run_cli(*INIT).code == 0
    return run_cli


def _names(cli: Callable[..., Result]) -> set[str]:
    found = cli("beneficiaries", "search", "", "--json")
    return {p["given_name_ar"] for p in json.loads(found.out)}


def test_a_good_list_is_imported(cli: Callable[..., Result], tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "liste.xlsx", [HEADER, *GOOD])
    result = cli("--lang", "fr", "import", "beneficiaries", str(path))
    assert result.code == 0, result.err
    assert result.err == ""
    assert "2 personnes" in result.out
    assert _names(cli) == {"فاطمة", "خديجة"}

    again = cli("--lang", "fr", "import", "beneficiaries", str(path))
    assert again.code == 0
    assert "0 personne" in again.out and "2 " in again.out
    assert _names(cli) == {"فاطمة", "خديجة"}


def test_a_refused_row_stops_everything_with_one_line(
    cli: Callable[..., Result], tmp_path: Path
) -> None:
    path = write_xlsx(tmp_path / "liste.xlsx", [HEADER, *GOOD, BAD])
    result = cli("import", "beneficiaries", str(path))
    assert result.code == 3
    [line] = result.err.splitlines()
    assert line.startswith("sijill: ")
    report = tmp_path / "liste - الصفوف المرفوضة.xlsx"
    assert report.name in line
    assert "31/02/2001" in result.out, "the refused rows are listed"
    assert _names(cli) == set()
    rows = list(load_workbook(report).active.iter_rows(values_only=True))
    assert [r[0] for r in rows[1:]] == [4]

    valid = cli("import", "beneficiaries", str(path), "--valid-only")
    assert valid.code == 0, valid.err
    assert _names(cli) == {"فاطمة", "خديجة"}


def test_a_dry_run_shows_the_columns_and_writes_nothing(
    cli: Callable[..., Result], tmp_path: Path
) -> None:
    path = write_csv(tmp_path / "liste.csv", [HEADER, *GOOD], encoding="cp1256", delimiter=";")
    result = cli("--lang", "fr", "import", "beneficiaries", str(path), "--dry-run")
    assert result.code == 0, result.err
    assert "F\tTél\t→ phone" in result.out
    assert "G\tRemarque libre\t→ (non importée)" in result.out
    assert "2 personnes" in result.out
    assert _names(cli) == set()


def test_a_mapping_given_once_is_used_for_the_next_file(
    cli: Callable[..., Result], tmp_path: Path
) -> None:
    first = write_xlsx(tmp_path / "septembre.xlsx", [HEADER, *GOOD])
    result = cli("import", "beneficiaries", str(first), "--mapping", "G=notes,Tél=-")
    assert result.code == 0, result.err
    people = {
        p["given_name_ar"]: p for p in json.loads(cli("beneficiaries", "search", "", "--json").out)
    }
    assert (people["فاطمة"]["notes"], people["فاطمة"]["phone"]) == ("جديدة", None)

    second = write_xlsx(tmp_path / "octobre.xlsx", [HEADER, GOOD[0]])
    shown = cli("--lang", "fr", "import", "beneficiaries", str(second), "--dry-run")
    assert "G\tRemarque libre\t→ notes" in shown.out
    assert "F\tTél\t→ (non importée)" in shown.out

    wrong = cli("import", "beneficiaries", str(second), "--mapping", "Z=cin")
    assert wrong.code == 3
    assert wrong.err.startswith("sijill: --mapping: ")


def test_a_file_that_is_no_list_is_refused(cli: Callable[..., Result], tmp_path: Path) -> None:
    path = tmp_path / "photo.xlsx"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 10)
    result = cli("import", "beneficiaries", str(path))
    assert result.code == 3
    [line] = result.err.splitlines()
    assert line.startswith("sijill: ") and "photo.xlsx" in line
    assert result.out == ""
    missing = cli("import", "beneficiaries", str(tmp_path / "absent.csv"))
    assert missing.code == 3 and "absent.csv" in missing.err


def test_export_commands(cli: Callable[..., Result], tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "liste.xlsx", [HEADER, *GOOD])
    assert cli("import", "beneficiaries", str(path)).code == 0
    out = tmp_path / "sortie.xlsx"
    result = cli("export", "beneficiaries", "-o", str(out))
    assert result.code == 0, result.err
    assert result.out.splitlines()[0] == str(out)
    sheet = load_workbook(out).active
    assert sheet.sheet_view.rightToLeft
    assert sheet.max_row == 3
    french = cli("export", "attendance", "-o", str(tmp_path / "presence.csv"), "--lang", "fr")
    assert french.code == 0, french.err
    text = (tmp_path / "presence.csv").read_text(encoding="utf-8-sig")
    assert text.startswith("Date;Groupe;")
    refused = cli("export", "beneficiaries", "-o", str(tmp_path / "sortie.pdf"))
    assert refused.code == 3
    assert refused.err.startswith("sijill: --output: ")
