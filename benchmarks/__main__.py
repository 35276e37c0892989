"""``python -m benchmarks [--quick]``: measure, print, record in RESULTS.md.

Full mode measures at 100,000 beneficiaries (the demo register is built once, about two
minutes, then cached) and reports whether each target is met. ``--quick`` uses 3,000 and
exits 1 when a figure's ratio to its baseline passes the ceiling set in its module: the
check CI runs after the tests.
"""

from __future__ import annotations

import argparse
import sys

from benchmarks import (
    attendance,
    certificates,
    gui,
    imports,
    registers,
    results,
    search,
    summaries,
    sync,
)

FULL_SIZE = 100_000
QUICK_SIZE = 3_000


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument(
        "--quick",
        action="store_true",
        help=f"{QUICK_SIZE:,} beneficiaries, fail on a regression (CI)",
    )
    args = parser.parse_args(argv)
    command = " ".join(["python -m benchmarks", *(sys.argv[1:] if argv is None else argv)])
    size = QUICK_SIZE if args.quick else FULL_SIZE

    registers.use_private_home()
    register = registers.demo_register(size)
    location = registers.location(register)
    try:
        figures = [
            search.measure(register),
            attendance.measure_mark(register, size=size),
            attendance.measure_sheets(register, size=size),
        ]
        figures.append(gui.measure_start(location, size=size))
        figures.append(gui.measure_keystrokes(location, size=size))
        figures.append(attendance.measure_grid(register, location, size=size))
        figures.append(imports.measure(register, size=size))
    finally:
        register.close()
    figures.append(summaries.measure_season())
    figures.append(certificates.measure())
    figures += sync.measure(quick=args.quick)

    failed = False
    for figure in figures:
        verdict = "met" if figure.target_met else "NOT met"
        print(
            f"{figure.name}: {figure.value_ms:.2f} ms = {figure.ratio:.0f}× the "
            f"{figure.baseline} ({figure.baseline_ms:.4f} ms); target {figure.target_text} "
            f"at {figure.target_size:,}: {verdict} at {figure.measured_at(size):,}"
        )
        if figure.details:
            print(f"  {figure.details}")
        if args.quick and figure.regressed:
            failed = True
            print(
                f"  REGRESSION: ratio {figure.ratio:.0f}× is over the ceiling "
                f"{figure.quick_ceiling:.0f}×",
                file=sys.stderr,
            )
    results.record(command, results.section(command, figures, size=size, quick=args.quick))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
