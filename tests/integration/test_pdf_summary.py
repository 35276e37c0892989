"""The printed summary: real PDFs from `sijill pdf summary`, read back with poppler.

What a reader checks is checked: every row of every table prints the numbers
`sijill stats --json` gives for it (pdftotext, letters folded with NFKC), with its Arabic
or French labels; every font is embedded; and the pages look like the approved ones
(tests/golden/), so a layout regression fails.
"""

from __future__ import annotations

import json
import re
import subprocess
import unicodedata
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from app.i18n import translations
from app.vocabulary import LABELS, Disability, FollowUpOutcome, Sex
from tests.golden import assert_pages_match
from tests.integration.conftest import Result
from tests.integration.test_summaries import build_centre

pytestmark = pytest.mark.skipif(
    subprocess.run(["which", "pdftotext"], capture_output=True).returncode != 0,
    reason="poppler-utils (pdftotext, pdffonts, pdftoppm) is not installed",
)

AR, FR = translations("ar").gettext, translations("fr").gettext
NUMBER = re.compile(r"\d+(?:,\d+)?|—")


@pytest.fixture
def centre(run_cli: Callable[..., Result], tmp_path: Path) -> Callable[..., Result]:
    build_centre(str(tmp_path / "cli.sqlite")).close()
    return run_cli


def _print(run: Callable[..., Result], path: Path, *args: str) -> bytes:
    result = run("pdf", "summary", *args, "-o", str(path))
    assert result.code == 0, result.err
    assert result.out.strip() == str(path)
    return path.read_bytes()


def _stats(run: Callable[..., Result], *period: str) -> dict[str, Any]:
    result = run("stats", *period, "--json")
    assert result.code == 0, result.err
    return json.loads(result.out)


def _lines(pdf: Path) -> list[str]:
    """The text in reading order, one line per printed line, letters folded, without the
    direction marks poppler puts around mixed-direction runs."""
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    text = re.sub(
        "[\u200e\u200f\u202a-\u202e\u2066-\u2069]", "", unicodedata.normalize("NFKC", text)
    )
    return text.splitlines()


def _words(text: str) -> set[str]:
    """The words of a text, whatever their order: poppler moves hyphens and digits around
    in Arabic runs, and gives the words of an Arabic name on a French page in the order
    they are drawn."""
    return set(re.split(r"[\s\-]+", text.strip())) - {""}


def _holding(lines: list[str], label: str) -> list[str]:
    return [line for line in lines if _words(label) <= _words(line)]


def _value(token: str) -> int | float | None:
    if token == "—":
        return None
    return float(token.replace(",", ".")) if "," in token else int(token)


def _row_numbers(line: str, count: int, *, rtl: bool) -> list[int | float | None]:
    """The ``count`` numeric cells of a table row, in column order: they sit at the left
    of a right-to-left row (the label at the right), at the right of a left-to-right one."""
    tokens = NUMBER.findall(line)
    cells = list(reversed(tokens[:count])) if rtl else tokens[-count:]
    return [_value(t) for t in cells]


def _assert_row(lines: list[str], label: str, numbers: list[Any], *, rtl: bool) -> None:
    """Some line holding ``label`` prints exactly ``numbers`` in its numeric cells."""
    found = _holding(lines, label)
    assert found, f"no line holds {label!r}"
    printed = [_row_numbers(line, len(numbers), rtl=rtl) for line in found]
    assert numbers in printed, f"{label!r}: expected {numbers}, printed {printed}"


def _assert_pair(lines: list[str], label: str, value: Any) -> None:
    """A label and its number on one line (key figures, side-by-side tables)."""
    found = _holding(lines, label)
    assert any(value in [_value(t) for t in NUMBER.findall(line)] for line in found), (
        f"{label!r} is not printed with {value}: {found}"
    )


def _people(line: dict[str, Any]) -> list[int]:
    return [line[k] for k in ("enrolled", "new", "completed", "dropped", "transferred")]


def _enrolments(line: dict[str, Any]) -> list[int]:
    counts = line["enrolments"]
    return [counts[k] for k in ("enrolled", "joined", "completed", "dropped", "transferred")]


def _attendance(line: dict[str, Any]) -> list[Any]:
    return [line["attendance"]["sessions_held"], line["attendance"]["attendance_rate"]]


def _check_tables(
    lines: list[str], numbers: dict[str, Any], t: Callable[[str], str], *, rtl: bool
) -> None:
    """Every row the report prints, against the JSON of `sijill stats`."""
    french = not rtl
    attendance = numbers["attendance"]
    for label, value in (
        ("Beneficiaries enrolled", numbers["people"]["enrolled"]),
        ("New beneficiaries", numbers["people"]["new"]),
        ("Enrolments in groups", numbers["enrolments"]["enrolled"]),
        ("Group sessions held", attendance["sessions_held"]),
        ("Days with sessions", numbers["session_days"]),
        ("Attendance marks", attendance["marked"]),
        ("Attendance rate", attendance["attendance_rate"]),
    ):
        _assert_pair(lines, t(label), value)

    vocabulary = {s.value: t(LABELS[s]) for s in Sex}
    vocabulary |= {d.value: t(LABELS[d]) for d in Disability}
    vocabulary |= {"urban": t("Urban"), "rural": t("Rural"), "unknown": t("Not recorded")}
    vocabulary["none"] = t("No disability")
    for table in ("by_sex", "by_area", "by_disability"):
        for line in numbers[table]:
            _assert_row(lines, vocabulary[line["key"]], _people(line), rtl=rtl)
    # Age bands carry digits in their labels: they are the eight rows under their heading.
    heading = next(i for i, line in enumerate(lines) if line.strip() == t("Age band"))
    for printed, line in zip(lines[heading + 1 : heading + 9], numbers["by_age"], strict=True):
        assert _row_numbers(printed, 5, rtl=rtl) == _people(line)
    _assert_row(lines, t("All beneficiaries"), _people(numbers["people"]), rtl=rtl)

    for line in numbers["by_programme"]:
        name = line["name_fr"] if french else line["name_ar"]
        expected = [line["groups"], *_enrolments(line), *_attendance(line)]
        _assert_row(lines, name, expected, rtl=rtl)
    for line in numbers["by_group"]:
        _assert_row(lines, line["name"], [*_enrolments(line), *_attendance(line)], rtl=rtl)
    total = [*_enrolments(numbers), *_attendance(numbers)]
    _assert_row(lines, t("Total"), [numbers["groups"], *total], rtl=rtl)

    for line in numbers["dropout_reasons"]:
        _assert_pair(lines, line["reason"] or t("Reason not given"), line["dropouts"])
    for line in numbers["follow_up_outcomes"]:
        outcome = line["outcome"]
        label = t("No follow-up yet") if outcome == "none" else t(LABELS[FollowUpOutcome(outcome)])
        _assert_pair(lines, label, line["people"])

    months = [line for line in lines if re.search(r"\b20\d\d\b", line)]
    for line in numbers["attendance_by_month"]:
        figures = line["attendance"]
        expected = [
            figures[k]
            for k in (
                "sessions_held",
                "marked",
                "present",
                "late",
                "absent",
                "excused",
                "attendance_rate",
            )
        ]
        year = line["month"][:4]
        printed = [_row_numbers(m, 7, rtl=rtl) for m in months if year in m]
        assert expected in printed, f"{line['month']}: {expected} not in {printed}"


def test_the_monthly_report_prints_the_numbers_of_stats(
    centre: Callable[..., Result], tmp_path: Path
) -> None:
    pdf = tmp_path / "november.pdf"
    _print(centre, pdf, "--month", "2026-11")
    numbers = _stats(centre, "--month", "2026-11")
    lines = _lines(pdf)
    text = "\n".join(lines)
    assert "التقرير الشهري للأنشطة" in text
    assert "نونبر 2026" in text
    assert "المندوبية الإقليمية بتازة" in text
    # poppler leaves the brackets of "(ة)" as drawn, mirrored: the words are enough.
    assert "توقيع منسق" in text
    _check_tables(lines, numbers, AR, rtl=True)
    assert not list(tmp_path.glob(".november.pdf.*")), "the temporary file was left behind"


def test_the_french_season_balance_prints_the_numbers_of_stats(
    centre: Callable[..., Result], tmp_path: Path
) -> None:
    pdf = tmp_path / "saison.pdf"
    _print(centre, pdf, "--season", "2025-2026", "--lang", "fr")
    numbers = _stats(centre, "--season", "2025-2026")
    lines = _lines(pdf)
    text = "\n".join(lines)
    assert "Bilan de la saison" in text
    assert "Royaume du Maroc" in text
    assert "Devenir des diplômés de la saison" in text
    head = next(line for line in lines if "Catégorie" in line)
    assert head.index("Catégorie") < head.index("Inscrits") < head.index("Nouveaux")
    _check_tables(lines, numbers, FR, rtl=False)


def test_every_font_is_embedded(centre: Callable[..., Result], tmp_path: Path) -> None:
    pdf = tmp_path / "season.pdf"
    _print(centre, pdf, "--season", "2025-2026")
    listing = subprocess.run(
        ["pdffonts", str(pdf)], capture_output=True, text=True, check=True
    ).stdout
    fonts = re.findall(
        r"^(\S+).*?\s(yes|no)\s+(?:yes|no)\s+(?:yes|no)\s+\d+\s+\d+$", listing, flags=re.MULTILINE
    )
    assert {name.split("+")[-1] for name, _embedded in fonts} >= {
        "NotoSansArabicUI-Regular",
        "NotoSansArabicUI-Bold",
        "NotoSans-Regular",
    }
    assert [name for name, embedded in fonts if embedded != "yes"] == []


def test_a_bad_month_writes_no_file(centre: Callable[..., Result], tmp_path: Path) -> None:
    pdf = tmp_path / "bad.pdf"
    result = centre("pdf", "summary", "--month", "2026-13", "-o", str(pdf))
    assert result.code == 3
    assert result.err.startswith("sijill: --month: ")
    assert not pdf.exists()


@pytest.fixture
def pages(centre: Callable[..., Result], tmp_path: Path) -> Iterator[Callable[..., bytes]]:
    def render(*args: str) -> bytes:
        return _print(centre, tmp_path / "golden.pdf", *args)

    yield render


def test_monthly_report_pages_look_as_approved(pages: Callable[..., bytes]) -> None:
    assert_pages_match(pages("--month", "2026-11"), "summary-month-ar")


def test_french_season_balance_pages_look_as_approved(pages: Callable[..., bytes]) -> None:
    assert_pages_match(pages("--season", "2025-2026", "--lang", "fr"), "summary-season-fr")
