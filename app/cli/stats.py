"""`sijill stats`: the centre's numbers for a month or a season.

The same numbers as the printed summary (`sijill pdf summary`), from the same service
function: as JSON for scripts, as tab-separated tables for people, and optionally as a
spreadsheet.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
from pathlib import Path

from app.cli.common import print_rows
from app.config import today
from app.i18n import _, current_language
from app.pdf import save_atomically
from app.services.canonical import encode_value
from app.services.errors import FieldError, InputRejected
from app.services.register import Register
from app.services.summaries import summarise
from app.services.summary_tables import all_tables, cell_text, title


def add_commands(commands: argparse._SubParsersAction) -> None:
    stats = commands.add_parser(
        "stats", help=_("the centre's numbers for a month or a season (enrolled, new, …)")
    )
    period = stats.add_mutually_exclusive_group(required=True)
    period.add_argument("--month", metavar="YYYY-MM", help=_("the monthly activity report"))
    period.add_argument("--season", metavar="YYYY-YYYY", help=_("the season's balance"))
    stats.add_argument("--json", action="store_true", help=_("as JSON, for scripts"))
    stats.add_argument(
        "--xlsx", metavar="FILE", help=_("also write the tables to this spreadsheet (.xlsx)")
    )
    stats.set_defaults(run=run_stats)


def _spreadsheet(value: str) -> Path:
    path = Path(value).expanduser()
    if not path.parent.is_dir():
        raise InputRejected(
            FieldError("xlsx", _("The folder {folder} does not exist.").format(folder=path.parent))
        )
    return path


def run_stats(args: argparse.Namespace, register: Register) -> int:
    # Checked before counting: a wrong folder must not cost the wait.
    spreadsheet = _spreadsheet(args.xlsx) if args.xlsx else None
    with register.unit_of_work(read_only=True) as uow:
        summary = summarise(uow, month=args.month, season=args.season, today=today())
    language = current_language()
    if spreadsheet is not None:
        from app.services.summary_workbook import workbook

        save_atomically(spreadsheet, workbook(summary, language=language))
    if args.json:
        data = dataclasses.asdict(summary)
        sys.stdout.write(
            json.dumps(data, default=encode_value, ensure_ascii=False, indent=1, sort_keys=True)
            + "\n"
        )
        return 0
    print(f"{title(summary, _)} {summary.label} — {summary.centre_name_ar}")
    for table in all_tables(summary, language=language):
        print()
        print(f"# {table.title}")
        print_rows([[column.heading for column in table.columns]])
        print_rows([cell_text(cell, language=language) for cell in row.cells] for row in table.rows)
    return 0
