"""The season's balance of a 1,000-person centre: counted and printed.

Figure: the 2025-2026 balance of a demo centre whose 1,000 beneficiaries all took part in
that season (ten months of sessions and marks), as a coordinator gets it: the numbers
counted in a fresh unit of work (``summarise``) and the report rendered to PDF, median of
five. Target: under 3 s. The details give the two parts apart, and the spreadsheet.

Baseline: one raw sqlite3 read of every attendance mark of the season with its session's
group and date, in the same process: the least any season summary must read.

The centre is built for this figure in a temporary folder (a few seconds): its size is
the target's, not the main demo register's, so it is the same in full and quick runs.

Ceiling for --quick, measured 2026-11-22 on the 2-core dev box: 3.1× (0.57 s against
0.18 s for 110,000 marks; counting 0.32 s, PDF 0.25 s); the ceiling, about 5× that, is 15×.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
import statistics
import tempfile
import time
from pathlib import Path

from app.services import demo
from app.services.register import open_register
from app.services.summaries import summarise
from app.services.summary_workbook import workbook
from benchmarks import Figure, median_ms

PEOPLE = 1_000
SEASON = "2025-2026"
# The day after the season's end, and the months back to its start: every person of the
# demo belongs to this one season.
TODAY = dt.date(2026, 7, 15)
MONTHS = 11
RUNS = 5
TARGET_MS = 3000.0
QUICK_CEILING = 15.0


def measure_season() -> Figure:
    from app.pdf import summary as printed
    from app.pdf.letterhead import letterhead as issuer

    with tempfile.TemporaryDirectory() as folder:
        location = Path(folder) / "centre.sqlite"
        register = open_register(str(location))
        try:
            demo.create_demo(register, seed=5, beneficiaries=PEOPLE, months=MONTHS, today=TODAY)
            counting: list[float] = []
            rendering: list[float] = []

            def balance() -> None:
                begin = time.perf_counter()
                with register.unit_of_work(read_only=True) as uow:
                    numbers = summarise(uow, season=SEASON, today=TODAY)
                    letterhead = issuer(uow)
                counted = time.perf_counter()
                printed.render(numbers, letterhead=letterhead, language="ar")
                counting.append((counted - begin) * 1000)
                rendering.append((time.perf_counter() - counted) * 1000)

            balance()  # warm up: page cache, fonts, compiled statements
            counting.clear()
            rendering.clear()
            value, _all = median_ms([balance] * RUNS)
            with register.unit_of_work(read_only=True) as uow:
                numbers = summarise(uow, season=SEASON, today=TODAY)
            spreadsheet, _all = median_ms([lambda: workbook(numbers, language="ar")] * RUNS)
        finally:
            register.close()

        connection = sqlite3.connect(location)
        query = (
            "SELECT s.group_id, s.date, a.status FROM attendance a "
            "JOIN session s ON s.id = a.session_id "
            "WHERE s.date BETWEEN '2025-09-01' AND '2026-06-30'"
        )
        marks = len(connection.execute(query).fetchall())
        baseline, _all = median_ms([lambda: connection.execute(query).fetchall()] * RUNS)
        connection.close()
    return Figure(
        name=f"season's balance of a {PEOPLE:,}-person centre, counted and printed, "
        f"median of {RUNS}",
        value_ms=value,
        baseline_ms=baseline,
        baseline="raw SQL read of the season's marks",
        target_ms=TARGET_MS,
        target_size=PEOPLE,
        measured_size=numbers.people.enrolled,
        quick_ceiling=QUICK_CEILING,
        details=f"{numbers.people.enrolled:,} people in the season, {marks:,} marks; counting "
        f"{statistics.median(counting):.0f} ms, PDF {statistics.median(rendering):.0f} ms "
        f"({numbers.groups} groups); the spreadsheet besides {spreadsheet:.0f} ms",
    )
