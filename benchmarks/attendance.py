"""Attendance: opening a month's grid, saving one mark, printing the sheets of 40 groups.

Grid: the attendance screen switches to a group's month (the sheet is read on the worker
thread, the grid model rebuilt on the GUI thread), median over the demo's groups.
Baseline: the raw SQL read of that month's marks for one group, through sqlite3 in the
same process. Target: under 150 ms for a month of a 30-person group.

Mark: one cell, written through the unit of work (change log, clock, commit) until it is
durable in the WAL, median of 50. Baseline: one raw ``INSERT`` and commit through
sqlite3 into a scratch file with the same pragmas. Target: under 20 ms.

Sheets: the monthly sheets of 40 groups rendered to one PDF (shaping, bidi, fonts
embedded). Baseline: a 40-page PDF of the same number of plain text lines drawn with
ReportLab's canvas. Target: under 5 s.

Ceilings for --quick (3,000 beneficiaries), measured 2026-11-22 on the 2-core dev box,
each about 5× the ratio measured: grid 310× (69 ms; ceiling 1500×), mark 300× (3.4 ms;
ceiling 1500×), sheets 60× (1.2 s; ceiling 300×).
"""

from __future__ import annotations

import datetime as dt
import io
import os
import sqlite3
import statistics
import tempfile
import time
from pathlib import Path

from app.services.attendance import clear_attendance, mark_attendance
from app.services.attendance_sheet import month_sheet
from app.services.groups import list_groups
from app.services.register import Register
from benchmarks import Figure, median_ms

MONTH = "2026-11"
GRID_GROUPS = 20
MARKS = 50
SHEET_GROUPS = 40
TARGET_SIZE = 100_000


def _groups(register: Register) -> list[str]:
    with register.unit_of_work(read_only=True) as uow:
        found = sorted(list_groups(uow), key=lambda g: -g.enrolled)
    return [str(g.id) for g in found]


def measure_grid(register: Register, location: Path, *, size: int) -> Figure:
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from app.ui.application import open_window
    from app.ui.workspace import open_workspace

    window = open_window(screen="attendance", language="ar", offscreen=True)
    window.show()
    workspace = open_workspace(window, location=str(location), follow_saved_language=False)
    runner = workspace.context.runner
    runner.wait_idle()
    screen = window.screens["attendance"]
    screen.show_month(dt.date(2026, 11, 1))
    runner.wait_idle()
    timings, groups = [], []
    # From the second group on: the first is already shown.
    for index in range(1, min(GRID_GROUPS, screen.group_box.count())):
        groups.append(str(screen.group_box.itemData(index)))
        begin = time.perf_counter()
        screen.group_box.setCurrentIndex(index)
        runner.wait_idle()
        timings.append((time.perf_counter() - begin) * 1000)
    runner.shutdown()
    window.hide()

    connection = sqlite3.connect(location)
    query = (
        "SELECT a.beneficiary_id, s.date, a.status FROM attendance a "
        "JOIN session s ON s.id = a.session_id WHERE s.group_id = ? "
        "AND s.date BETWEEN '2026-11-01' AND '2026-11-30'"
    )
    raw, _all = median_ms(
        [
            lambda g=group: connection.execute(query, (g.replace("-", ""),)).fetchall()
            for group in groups
        ]
    )
    connection.close()
    with register.unit_of_work(read_only=True) as uow:
        people = max(len(month_sheet(uow, group=g, month=MONTH).rows) for g in groups)
    return Figure(
        name=f"attendance grid opened on a group's month, median of {len(timings)}",
        value_ms=statistics.median(timings),
        baseline_ms=raw,
        baseline="raw SQL read of the month's marks",
        target_ms=150.0,
        target_size=TARGET_SIZE,
        quick_ceiling=1500.0,
        details=f"{size:,} beneficiaries; groups of up to {people} people; "
        f"slowest {max(timings):.1f} ms",
    )


def measure_mark(register: Register, *, size: int) -> Figure:
    group = _groups(register)[0]
    with register.unit_of_work(read_only=True) as uow:
        sheet = month_sheet(uow, group=group, month=MONTH)
    # The group's last session day of the month, after the demo's "today": its cells are
    # unmarked, so clearing them afterwards leaves the demo's own marks as they were.
    day = sheet.columns[-1].date
    people = [str(row.person.id) for row in sheet.rows if row.enrolled_on(day)]
    statuses = ("present", "absent", "late", "excused")

    def mark(n: int) -> None:
        with register.unit_of_work() as uow:
            mark_attendance(
                uow,
                group=group,
                date=day,
                status=statuses[n % 4],
                beneficiaries=[people[n % len(people)]],
                today=day,
            )

    for n in range(5):
        mark(n)
    value, _all = median_ms([lambda n=n: mark(n) for n in range(MARKS)])
    with register.unit_of_work() as uow:
        for person in people:
            clear_attendance(uow, group=group, date=day, beneficiary=person)

    with tempfile.TemporaryDirectory() as folder:
        scratch = sqlite3.connect(Path(folder) / "scratch.sqlite", isolation_level=None)
        scratch.execute("PRAGMA journal_mode=WAL")
        scratch.execute("PRAGMA synchronous=NORMAL")
        scratch.execute("CREATE TABLE mark (id TEXT PRIMARY KEY, status TEXT)")

        def raw(n: int) -> None:
            scratch.execute("BEGIN IMMEDIATE")
            scratch.execute("INSERT OR REPLACE INTO mark VALUES (?, ?)", (str(n % 30), "p"))
            scratch.execute("COMMIT")

        baseline, _all = median_ms([lambda n=n: raw(n) for n in range(MARKS)])
        scratch.close()
    return Figure(
        name=f"one attendance mark saved durably, median of {MARKS}",
        value_ms=value,
        baseline_ms=baseline,
        baseline="raw SQLite insert and commit",
        target_ms=20.0,
        target_size=TARGET_SIZE,
        quick_ceiling=1500.0,
        details=f"{size:,} beneficiaries; through the unit of work and its change log",
    )


def measure_sheets(register: Register, *, size: int) -> Figure:
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.pdfgen.canvas import Canvas

    from app.pdf import attendance_sheet
    from app.pdf.letterhead import letterhead as issuer

    groups = _groups(register)[:SHEET_GROUPS]
    with register.unit_of_work(read_only=True) as uow:
        sheets = [month_sheet(uow, group=g, month=MONTH) for g in groups]
        letterhead = issuer(uow)
    begin = time.perf_counter()
    data = attendance_sheet.render(sheets, letterhead=letterhead, language="ar", blank=False)
    value = (time.perf_counter() - begin) * 1000
    lines = sum(len(sheet.rows) for sheet in sheets) + 12 * len(sheets)

    begin = time.perf_counter()
    canvas = Canvas(io.BytesIO(), pagesize=landscape(A4))
    per_page = lines // len(sheets)
    for page in range(len(sheets)):
        for line in range(per_page):
            canvas.drawString(40, 560 - line * 14, f"{page} {line} Lorem ipsum dolor sit amet")
        canvas.showPage()
    canvas.save()
    baseline = (time.perf_counter() - begin) * 1000
    return Figure(
        name=f"monthly sheets of {len(sheets)} groups in one PDF",
        value_ms=value,
        baseline_ms=baseline,
        baseline="plain 40-page ReportLab PDF",
        target_ms=5000.0,
        target_size=TARGET_SIZE,
        quick_ceiling=300.0,
        details=f"{size:,} beneficiaries; {len(data) // 1024} KB",
    )
