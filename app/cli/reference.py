"""`sijill programmes list`: the programme catalogue."""

from __future__ import annotations

import argparse

from app.cli.common import print_json, print_rows
from app.i18n import _
from app.services.centres import list_programmes
from app.services.register import Register


def add_commands(commands: argparse._SubParsersAction) -> None:
    group = commands.add_parser("programmes", help=_("the programme catalogue"))
    actions = group.add_subparsers(dest="action", metavar="ACTION", required=True)
    list_ = actions.add_parser("list", help=_("list the programmes"))
    list_.add_argument("--json", action="store_true")
    list_.set_defaults(run=run_list)


def run_list(args: argparse.Namespace, register: Register) -> int:
    with register.unit_of_work(read_only=True) as uow:
        found = list_programmes(uow)
    if args.json:
        print_json(found)
    else:
        print_rows([p.code, p.name_ar, p.name_fr, p.planned_hours] for p in found)
    return 0
