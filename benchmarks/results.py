"""``benchmarks/RESULTS.md``: the latest figures of each benchmark command.

One section per exact command, replaced when that command runs again, so the file keeps
the last full run and the last quick run side by side instead of growing with every CI
build.
"""

from __future__ import annotations

import datetime as dt
import os
import platform
import re
from collections.abc import Sequence
from pathlib import Path

from app import __version__
from benchmarks import Figure

RESULTS = Path(__file__).resolve().parent / "RESULTS.md"
HEADER = """# Benchmark results

Written by `python -m benchmarks`: one section per command, replaced when it runs again.
Each figure is a ratio to a baseline timed in the same run (the machines are shared and
noisy); the absolute value is for information and for targets stated in milliseconds.
`--quick` fails when a ratio passes its ceiling (see each figure's module).
"""


def section(command: str, figures: Sequence[Figure], *, size: int, quick: bool) -> str:
    now = dt.datetime.now().strftime("%Y-%m-%d %H:%M")
    lines = [
        f"## `{command}`",
        "",
        f"Run {now} on {platform.system()} {platform.machine()}, {os.cpu_count()} CPUs, "
        f"Python {platform.python_version()}, Sijill {__version__}; demo register of "
        f"{size:,} beneficiaries.",
        "",
        "| figure | value | baseline | ratio | quick ceiling | target | met |",
        "| --- | ---: | ---: | ---: | ---: | --- | --- |",
    ]
    for figure in figures:
        at_size = figure.stated_for(size)
        met = "yes" if figure.target_met else "NO"
        if quick:
            met += ", ratio " + ("over the ceiling" if figure.regressed else "under the ceiling")
        # The ceiling is set for the quick size; a full run's ratio is not held to it.
        ceiling = f"{figure.quick_ceiling:.0f}×" if quick else "–"
        lines.append(
            f"| {figure.name} | {figure.value_ms:.2f} ms | {figure.baseline_ms:.4f} ms "
            f"({figure.baseline}) | {figure.ratio:.0f}× | {ceiling} "
            f"| {figure.target_text}{at_size} | {met} |"
        )
    lines += [""] + [f"- {figure.name}: {figure.details}" for figure in figures if figure.details]
    return "\n".join(lines) + "\n"


def record(command: str, text: str) -> None:
    """Put ``text`` as the section of ``command``, replacing the previous one."""
    old = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else HEADER
    parts = re.split(r"(?m)^(?=## `)", old)
    head, sections = parts[0], parts[1:]
    title = f"## `{command}`"
    titles = [s.splitlines()[0] for s in sections]
    if title in titles:
        sections[titles.index(title)] = text
    else:
        sections.append(text)
    body = "\n".join(s.rstrip("\n") + "\n" for s in sections)
    RESULTS.write_text(head.rstrip("\n") + "\n\n" + body, encoding="utf-8")
