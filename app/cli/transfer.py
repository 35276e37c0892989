"""`sijill import beneficiaries` and `sijill export …`: lists in and out as spreadsheets.

Importing checks every row first and writes nothing while a row is refused (unless
--valid-only says to leave the refused rows out); the refused rows and their reasons are
printed and saved as an .xlsx report beside the file. --dry-run shows what would happen
and changes nothing. A file that cannot be imported ends with exit code 3 and one line
on stderr saying why.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from app.cli.common import print_rows
from app.config import today
from app.i18n import DEFAULT_LANGUAGE, LANGUAGES, _, ngettext
from app.services import exports
from app.services.errors import InputRejected
from app.services.imports import headers
from app.services.imports.plan import ImportPlan, ImportRefused, carry_out, plan_import
from app.services.imports.reading import read_table
from app.services.imports.report import save_report
from app.services.register import Register

EXIT_REJECTED = 3
SHOWN_PROBLEMS = 50
# Refusals of a field that is an option here are prefixed with it; the others (the file,
# a group) say what they are about themselves.
_OPTIONS = {"sheet": "--sheet", "mapping": "--mapping", "output": "--output", "month": "--month"}


def add_commands(commands: argparse._SubParsersAction) -> None:
    importing = commands.add_parser("import", help=_("bring a list in from a spreadsheet"))
    kinds = importing.add_subparsers(dest="kind", metavar="WHAT", required=True)
    people = kinds.add_parser(
        "beneficiaries",
        help=_("beneficiaries (and their groups) from an .xlsx or .csv file"),
    )
    people.add_argument("file", type=Path, metavar="FILE", help=_("the .xlsx or .csv file"))
    people.add_argument(
        "--mapping",
        metavar="M",
        help=_(
            "correct the columns: COLUMN=FIELD pairs separated by commas (e.g. "
            '"C=cin,H=phone,K=-"), or a JSON file of such pairs; COLUMN is a letter or a '
            "header, FIELD a field name or - to leave the column out"
        ),
    )
    people.add_argument("--sheet", help=_("the sheet of the workbook to read (default: the first)"))
    people.add_argument(
        "--valid-only",
        action="store_true",
        help=_("import the valid rows and leave the refused ones out"),
    )
    people.add_argument(
        "--dry-run", action="store_true", help=_("check the file and say what would happen")
    )
    people.set_defaults(run=run_import)

    exporting = commands.add_parser("export", help=_("take data out as an .xlsx or .csv file"))
    what = exporting.add_subparsers(dest="what", metavar="WHAT", required=True)
    for name, text in (
        ("beneficiaries", _("the centre's beneficiaries, with their groups")),
        ("enrolments", _("the enrolments of the season")),
        ("attendance", _("the attendance marks of the season, one row each")),
    ):
        sub = what.add_parser(name, help=text)
        sub.add_argument(
            "-o", "--output", required=True, metavar="FILE", help=_("the .xlsx or .csv to write")
        )
        # Not the top-level --lang (the messages): headers are Arabic unless asked.
        sub.add_argument(
            "--lang",
            dest="document_language",
            choices=LANGUAGES,
            default=DEFAULT_LANGUAGE,
            help=_("the language of the headers and labels (default: ar)"),
        )
        if name != "beneficiaries":
            sub.add_argument("--group", help=_("only this group (name or record number)"))
        if name == "attendance":
            sub.add_argument("--month", metavar="YYYY-MM", help=_("only this month"))
        sub.set_defaults(run=run_export)


# -- import ----------------------------------------------------------------------------


def _show_layout(layout: headers.Layout, mapping: tuple[str | None, ...]) -> None:
    first, last = layout.header_rows[0], layout.header_rows[-1]
    print(
        _("Header on row {rows}; its columns:").format(
            rows=first if first == last else f"{first}-{last}"
        )
    )
    for column, key in zip(layout.columns, mapping, strict=True):
        target = f"{key} ({headers.field_label(key)})" if key else _("(not imported)")
        print(f"  {column.letter}\t{column.header}\t→ {target}")


def _show_problems(plan: ImportPlan) -> None:
    print_rows((p.row, p.column, p.message) for p in plan.problems[:SHOWN_PROBLEMS])
    if len(plan.problems) > SHOWN_PROBLEMS:
        print(_("… and {n} more in the report.").format(n=len(plan.problems) - SHOWN_PROBLEMS))


def _summary(plan: ImportPlan, *, dry_run: bool) -> str:
    new, enrolments, known = len(plan.new), plan.enrolments, len(plan.known)
    people = ngettext("{n} person", "{n} people", new).format(n=new)
    places = ngettext("{n} enrolment", "{n} enrolments", enrolments).format(n=enrolments)
    already = ngettext("{n} already in the register", "{n} already in the register", known).format(
        n=known
    )
    text = (
        _("Would register {people} and {enrolments}; {already}.")
        if dry_run
        else _("Registered {people} and {enrolments}; {already}.")
    )
    return text.format(people=people, enrolments=places, already=already)


def _rejected(error: InputRejected) -> int:
    """One line on stderr naming what is refused (the option, when one is at fault)."""
    parts = [
        f"{_OPTIONS[e.field]}: {e.message}" if e.field in _OPTIONS else e.message
        for e in error.errors
    ]
    print("sijill: " + " | ".join(parts), file=sys.stderr)
    return EXIT_REJECTED


def run_import(args: argparse.Namespace, register: Register) -> int:
    try:
        return _import(args, register)
    except InputRejected as error:
        return _rejected(error)


def _import(args: argparse.Namespace, register: Register) -> int:
    table = read_table(args.file, sheet=args.sheet)
    layout = headers.detect_layout(table)
    with register.unit_of_work(read_only=True) as uow:
        layout = headers.with_remembered(uow, layout)
    mapping = headers.parse_mapping(args.mapping, layout) if args.mapping else layout.mapping
    headers.check_mapping(layout, mapping)
    if args.dry_run:
        _show_layout(layout, mapping)
    elif args.mapping:
        # Kept even if rows are refused below: the corrected file comes back with the
        # same headers.
        with register.unit_of_work() as uow:
            headers.remember(uow, layout, mapping)
    with register.unit_of_work(read_only=args.dry_run) as uow:
        plan = plan_import(uow, table, layout, mapping, today=today())
        report = _report(plan, args.file)
        if plan.problems:
            _show_problems(plan)
        if plan.problems and not (args.valid_only and plan.people):
            _refused(plan, report)
            return EXIT_REJECTED
        if args.dry_run:
            print(_summary(plan, dry_run=True))
            return 0
        carry_out(uow, plan, valid_only=args.valid_only)
    print(_summary(plan, dry_run=False))
    if plan.problems:
        print(
            ngettext(
                "{n} refused row was left out.",
                "{n} refused rows were left out.",
                len(plan.rejected_rows),
            ).format(n=len(plan.rejected_rows))
        )
    return 0


def _report(plan: ImportPlan, source: Path) -> Path | str | None:
    """The report's path, or why it could not be saved; None when no row is refused."""
    if not plan.problems:
        return None
    try:
        path = save_report(plan, source)
    except InputRejected as error:
        return error.errors[0].message
    print(_("The refused rows and their reasons are in {path}").format(path=path))
    return path


def _refused(plan: ImportPlan, report: Path | str | None) -> None:
    line = ImportRefused(plan).errors[0].message
    if isinstance(report, Path):
        line += " " + _("The reasons are in “{name}”.").format(name=report.name)
    elif report:
        line += " " + report
    valid = len(plan.people)
    if valid:
        line += " " + ngettext(
            "--valid-only imports the {n} valid row.",
            "--valid-only imports the {n} valid rows.",
            valid,
        ).format(n=valid)
    print(f"sijill: {line}", file=sys.stderr)


# -- export ----------------------------------------------------------------------------


def run_export(args: argparse.Namespace, register: Register) -> int:
    try:
        return _export(args, register)
    except InputRejected as error:
        return _rejected(error)


def _export(args: argparse.Namespace, register: Register) -> int:
    path = exports.output_path(args.output)
    language = args.document_language
    with register.unit_of_work(read_only=True) as uow:
        if args.what == "beneficiaries":
            result = exports.export_beneficiaries(uow, path, language=language)
        elif args.what == "enrolments":
            result = exports.export_enrolments(uow, path, language=language, group=args.group)
        else:
            result = exports.export_attendance(
                uow, path, language=language, group=args.group, month=args.month
            )
    print(result.path)
    print(ngettext("{n} row", "{n} rows", result.rows).format(n=result.rows))
    return 0
