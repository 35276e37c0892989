"""`sijill init`, `sijill demo` and `sijill dump`: creating, filling and showing a register."""

from __future__ import annotations

import argparse
import sys

from app.config import today
from app.i18n import _
from app.services import centres, demo
from app.services.dump import dump_json
from app.services.errors import FieldError, InputRejected
from app.services.register import Register
from app.vocabulary import CentreKind


def add_commands(commands: argparse._SubParsersAction) -> None:
    init = commands.add_parser(
        "init", help=_("set up a new register for a centre, or for a delegation")
    )
    init.add_argument(
        "--delegation",
        action="store_true",
        help=_("a provincial delegation's register (with --province only)"),
    )
    init.add_argument("--centre-code", help=_("the centre's code"))
    init.add_argument("--centre-name", help=_("the centre's name"))
    init.add_argument("--centre-name-fr", help=_("the centre's name in French"))
    init.add_argument(
        "--kind",
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
    if args.delegation:
        with register.unit_of_work() as uow:
            unit = centres.initialise_delegation(uow, province_code=args.province)
        print(_("Delegation of {province}").format(province=unit.name_ar))
        return 0
    missing = [
        FieldError(name, _("This is required for a centre."))
        for name, value in (
            ("centre_code", args.centre_code),
            ("centre_name", args.centre_name),
            ("kind", args.kind),
        )
        if not value
    ]
    if missing:
        raise InputRejected(missing)
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
