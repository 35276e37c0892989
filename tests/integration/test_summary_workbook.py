"""The summary as a spreadsheet: `sijill stats --xlsx`, read back with openpyxl.

The workbook must hold the numbers `sijill stats --json` gives, in the same tables:
counts as numbers, rates as real percentages, Arabic headings on right-to-left sheets by
default, French ones left to right on request; and the same summary, the same file.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from tests.integration.conftest import Result
from tests.integration.test_summaries import build_centre

HEAD_ROW = 4


@pytest.fixture
def stats(run_cli: Callable[..., Result], tmp_path: Path) -> Callable[..., Result]:
    build_centre(str(tmp_path / "cli.sqlite")).close()
    return run_cli


def _numbers(stats: Callable[..., Result], *period: str) -> dict[str, Any]:
    result = stats("stats", *period, "--json")
    assert result.code == 0, result.err
    return json.loads(result.out)


def _rows(sheet: Worksheet) -> list[tuple[Any, ...]]:
    return list(sheet.iter_rows(min_row=HEAD_ROW + 1, values_only=True))


def _percent(value: float | None) -> float | None:
    return None if value is None else round(value * 100, 1)


def test_arabic_workbook_holds_the_numbers_of_stats(
    stats: Callable[..., Result], tmp_path: Path
) -> None:
    path = tmp_path / "november.xlsx"
    result = stats("stats", "--month", "2026-11", "--xlsx", str(path))
    assert result.code == 0, result.err
    numbers = _numbers(stats, "--month", "2026-11")
    book = load_workbook(path)
    assert book.sheetnames == [
        "المعطيات الرئيسية",
        "المستفيدون",
        "حسب البرنامج",
        "حسب الفوج",
        "الانقطاع حسب السبب",
        "التتبع بعد التكوين",
        "الحضور حسب الشهر",
    ]
    assert all(sheet.sheet_view.rightToLeft for sheet in book.worksheets)

    groups = book["حسب الفوج"]
    assert [c.value for c in groups[HEAD_ROW]][:3] == ["الفوج", "البرنامج", "المسجلون"]
    rows = _rows(groups)
    assert len(rows) == len(numbers["by_group"]) + 1
    for row, line in zip(rows, numbers["by_group"], strict=False):
        counts = line["enrolments"]
        assert row == (
            line["name"],
            line["programme_name_ar"],
            counts["enrolled"],
            counts["joined"],
            counts["completed"],
            counts["dropped"],
            counts["transferred"],
            line["attendance"]["sessions_held"],
            row[-1],
        )
        assert _percent(row[-1]) == line["attendance"]["attendance_rate"]
    total_row = groups.cell(row=HEAD_ROW + len(rows), column=9)
    assert total_row.number_format == "0.0%"
    assert total_row.font.bold
    assert _percent(total_row.value) == numbers["attendance"]["attendance_rate"]

    people = _rows(book["المستفيدون"])
    assert people[0] == ("الجنس", None, None, None, None, None)
    total = numbers["people"]
    assert people[-1] == (
        "مجموع المستفيدين",
        total["enrolled"],
        total["new"],
        total["completed"],
        total["dropped"],
        total["transferred"],
    )
    female = next(row for row in people if row[0] == "أنثى")
    assert female[1] == numbers["by_sex"][0]["enrolled"]

    key = dict(_rows(book["المعطيات الرئيسية"]))
    assert key["المستفيدون المسجلون"] == total["enrolled"]
    assert key["الحصص المنجزة في الأفواج"] == numbers["attendance"]["sessions_held"]
    assert _percent(key["نسبة الحضور"]) == numbers["attendance"]["attendance_rate"]


def test_french_workbook_reads_left_to_right(stats: Callable[..., Result], tmp_path: Path) -> None:
    path = tmp_path / "saison.xlsx"
    result = stats("--lang", "fr", "stats", "--season", "2025-2026", "--xlsx", str(path))
    assert result.code == 0, result.err
    numbers = _numbers(stats, "--season", "2025-2026")
    book = load_workbook(path)
    assert "Par programme" in book.sheetnames
    # Sheet names stop at Excel's 31 characters.
    assert all(len(name) <= 31 for name in book.sheetnames)
    assert not any(sheet.sheet_view.rightToLeft for sheet in book.worksheets)
    programmes = book["Par programme"]
    assert programmes.cell(row=1, column=1).value == "Par programme"
    assert "Bilan de la saison" in programmes.cell(row=2, column=1).value
    assert [c.value for c in programmes[HEAD_ROW]][:3] == ["Programme", "Groupes", "Inscrits"]
    names = [row[0] for row in _rows(programmes)]
    assert names == [line["name_fr"] for line in numbers["by_programme"]] + ["Total"]
    months = _rows(book["Présence par mois"])
    assert months[0][0] == "septembre 2025"
    assert [row[1] for row in months] == [
        m["attendance"]["sessions_held"] for m in numbers["attendance_by_month"]
    ]


def test_the_same_summary_makes_the_same_file(stats: Callable[..., Result], tmp_path: Path) -> None:
    first, second = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    for path in (first, second):
        assert stats("stats", "--month", "2026-11", "--xlsx", str(path)).code == 0
        # Made a few seconds apart: nothing of the moment of saving goes into the file.
        time.sleep(2.1 if path == first else 0)
    assert first.read_bytes() == second.read_bytes()
