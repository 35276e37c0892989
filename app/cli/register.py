"""`sijill init`, `sijill demo` and `sijill dump`: creating, filling and showing a register."""

from __future__ import annotations

import argparse
import sys

from app.cli.common import today
from app.i18n import _
from app.services import centres, demo
from app.services.dump import dump_json
from app.services.register import Register
from app.vocabulary import CentreKind


def add_commands(commands: argparse._SubParsersAction) -> None:
    init = commands.add_parser("init", help=_("set up a new register for a centre"))
    init.add_argument("--centre-code", required=True, help=_("the centre's code"))
    init.add_argument("--centre-name", required=True, help=_("the centre's name"))
    init.add_argument("--centre-name-fr", help=_("the centre's name in French"))
    init.add_argument(
        "--kind",
        required=True,
        metavar="KIND",
        help=_("one of: {kinds}").format(kinds=", ".join(k.value for k in CentreKind)),
    )
    init.add_argument(
        "--province",
        required=True,
        metavar="CODE",
        help=_("the province or prefecture code, e.g. 01.511"),
    )
    init.add_argument("--season", metavar="YYYY-YYYY", help=_("the season (default: current)"))
    init.set_defaults(run=run_init)

    demo_ = commands.add_parser("demo", help=_("fill the register with a realistic demo centre"))
    demo_.add_argument("--seed", type=int, default=1, help=_("same seed, same demo"))
    demo_.add_argument("--beneficiaries", type=int, default=300, metavar="N")
    demo_.add_argument(
        "--months",
        type=int,
        default=10,
        metavar="N",
        help=_("months of sessions and attendance, up to today"),
    )
    demo_.set_defaults(run=run_demo)

    dump = commands.add_parser("dump", help=_("print every shared record as canonical JSON"))
    dump.add_argument("--json", action="store_true", required=True)
    dump.set_defaults(run=run_dump)


def run_init(args: argparse.Namespace, register: Register) -> int:
    with register.unit_of_work() as uow:
        centre = centres.initialise_centre(
            uow,
            code=args.centre_code,
            name=args.centre_name,
            name_fr=args.centre_name_fr,
            kind=args.kind,
            province_code=args.province,
            season=args.season,
            today=today(),
        )
    print(centre.id)
    return 0


def run_demo(args: argparse.Namespace, register: Register) -> int:
    summary = demo.create_demo(
        register,
        seed=args.seed,
        beneficiaries=args.beneficiaries,
        months=args.months,
        today=today(),
    )
    print(summary, file=sys.stderr)
    return 0


def run_dump(_args: argparse.Namespace, register: Register) -> int:
    with register.unit_of_work(read_only=True) as uow:
        sys.stdout.write(dump_json(uow))
    return 0
