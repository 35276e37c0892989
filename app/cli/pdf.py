"""`sijill pdf attendance-sheet|summary|certificate`: print documents to PDF files.

The PDF modules (and ReportLab under them) are imported when a document is printed, not
when the command line is parsed: every other command starts without paying for them.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from app.cli import certificates
from app.config import today
from app.i18n import LANGUAGES, _, current_language
from app.pdf import save_atomically
from app.services import groups
from app.services.attendance_sheet import month_sheet
from app.services.errors import FieldError, InputRejected
from app.services.register import Register
from app.services.summaries import summarise


def add_commands(commands: argparse._SubParsersAction) -> None:
    pdf = commands.add_parser("pdf", help=_("print a document to a PDF file"))
    documents = pdf.add_subparsers(dest="document", metavar="DOCUMENT", required=True)

    sheet = documents.add_parser(
        "attendance-sheet", help=_("the monthly attendance sheet of a group, or of every group")
    )
    which = sheet.add_mutually_exclusive_group(required=True)
    which.add_argument("--group", help=_("group name or record number"))
    which.add_argument(
        "--all-groups", action="store_true", help=_("every group of the season, one after another")
    )
    sheet.add_argument("--month", required=True, metavar="YYYY-MM")
    sheet.add_argument(
        "--blank", action="store_true", help=_("without marks, to be filled in by hand")
    )
    # Its own destination: the top-level --lang (messages) must not be overwritten by a
    # default here, and the document falls back to the language of the messages.
    sheet.add_argument(
        "--lang",
        dest="document_language",
        choices=LANGUAGES,
        help=_("the language of the document (default: that of the messages)"),
    )
    sheet.add_argument("-o", "--output", required=True, metavar="FILE", help=_("the PDF to write"))
    sheet.set_defaults(run=run_attendance_sheet)

    summary = documents.add_parser(
        "summary", help=_("the monthly activity report, or the season's balance")
    )
    period = summary.add_mutually_exclusive_group(required=True)
    period.add_argument("--month", metavar="YYYY-MM")
    period.add_argument("--season", metavar="YYYY-YYYY")
    summary.add_argument(
        "--lang",
        dest="document_language",
        choices=LANGUAGES,
        help=_("the language of the document (default: that of the messages)"),
    )
    summary.add_argument(
        "-o", "--output", required=True, metavar="FILE", help=_("the PDF to write")
    )
    summary.set_defaults(run=run_summary)

    certificates.add_pdf_command(documents)


def _output(value: str) -> Path:
    path = Path(value).expanduser()
    if not path.parent.is_dir():
        raise InputRejected(
            FieldError(
                "output", _("The folder {folder} does not exist.").format(folder=path.parent)
            )
        )
    return path


def run_attendance_sheet(args: argparse.Namespace, register: Register) -> int:
    from app.pdf import attendance_sheet
    from app.pdf.letterhead import letterhead as issuer

    output = _output(args.output)
    with register.unit_of_work(read_only=True) as uow:
        names = [str(g.id) for g in groups.list_groups(uow)] if args.all_groups else [args.group]
        if not names:
            raise InputRejected(FieldError("all_groups", _("This season has no group yet.")))
        sheets = [month_sheet(uow, group=name, month=args.month) for name in names]
        letterhead = issuer(uow)
    data = attendance_sheet.render(
        sheets,
        letterhead=letterhead,
        language=args.document_language or current_language(),
        blank=args.blank,
    )
    save_atomically(output, data)
    print(output)
    return 0


def run_summary(args: argparse.Namespace, register: Register) -> int:
    from app.pdf import summary
    from app.pdf.letterhead import letterhead as issuer

    output = _output(args.output)
    with register.unit_of_work(read_only=True) as uow:
        numbers = summarise(uow, month=args.month, season=args.season, today=today())
        letterhead = issuer(uow)
    data = summary.render(
        numbers, letterhead=letterhead, language=args.document_language or current_language()
    )
    save_atomically(output, data)
    print(output)
    return 0
