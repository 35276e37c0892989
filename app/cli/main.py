"""The `sijill` command: one program, sub-commands per task, no Qt.

Exit codes: 0 done; 2 usage (argparse); 3 input rejected, with one line on stderr saying
what and where, and nothing written. Anything else is a bug.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from app import __version__
from app.cli import (
    beneficiaries,
    certificates,
    events,
    groups,
    gui,
    pdf,
    reference,
    register,
    sessions,
    settings,
    stats,
    sync,
    transfer,
)
from app.config import default_database
from app.i18n import DEFAULT_LANGUAGE, LANGUAGES, _, set_language
from app.services.errors import InputRejected, NotInitialised
from app.services.register import open_register

EXIT_OK, EXIT_USAGE, EXIT_REJECTED = 0, 2, 3
COMMAND_GROUPS = (
    register,
    beneficiaries,
    groups,
    sessions,
    events,
    reference,
    stats,
    pdf,
    certificates,
    settings,
    transfer,
    sync,
    gui,
)


def _language(argv: Sequence[str]) -> str:
    """The language asked for, read before the parser exists (its help is translated)."""
    for index, arg in enumerate(argv):
        if arg == "--lang" and index + 1 < len(argv):
            return argv[index + 1]
        if arg.startswith("--lang="):
            return arg.split("=", 1)[1]
    return os.environ.get("SIJILL_LANG", DEFAULT_LANGUAGE)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="sijill",
        description=_("Sijill, the register of a social centre."),
    )
    parser.add_argument("--version", action="version", version=f"sijill {__version__}")
    parser.add_argument(
        "--db",
        metavar="PATH_OR_URL",
        help=_(
            "the database: a file, or a postgresql+psycopg:// URL (default: SIJILL_DB, "
            "then a file in your data folder)"
        ),
    )
    parser.add_argument(
        "--lang", choices=LANGUAGES, help=_("the language of messages (default: ar)")
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for group in COMMAND_GROUPS:
        group.add_commands(commands)
    return parser


def field_option(field: str) -> str:
    """The command-line spelling of a service field name: birth_date → --birth-date."""
    return f"--{field.replace('_', '-')}" if field else ""


def rejection_line(error: InputRejected) -> str:
    parts = [
        f"{field_option(e.field)}: {e.message}" if e.field else e.message for e in error.errors
    ]
    return "sijill: " + " | ".join(parts)


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    language = _language(argv)
    set_language(language if language in LANGUAGES else DEFAULT_LANGUAGE)
    args = build_parser().parse_args(argv)
    if not getattr(args, "needs_database", True):
        return args.run(args, None)
    try:
        register_ = open_register(args.db or default_database())
    except Exception as error:  # noqa: BLE001 - any failure to open is the user's location
        print(
            "sijill: "
            + _("Cannot open the database {db}: {reason}").format(
                db=args.db or default_database(), reason=str(error).splitlines()[0]
            ),
            file=sys.stderr,
        )
        return EXIT_REJECTED
    try:
        return args.run(args, register_)
    except InputRejected as error:
        print(rejection_line(error), file=sys.stderr)
        return EXIT_REJECTED
    except NotInitialised as error:
        print(f"sijill: {error}", file=sys.stderr)
        return EXIT_REJECTED
    except BrokenPipeError:
        # The reader left early (`sijill dump --json | head`): what it read was right.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    finally:
        register_.close()


if __name__ == "__main__":
    sys.exit(main())
