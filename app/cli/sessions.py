"""`sijill sessions list|add|cancel|hijri-offset` and `sijill closures add|list|remove`:
the session calendar of the groups, the days off added or taken away by hand, and the
days the whole centre is closed."""

from __future__ import annotations

import argparse

from app.cli.common import print_json, print_rows
from app.i18n import _
from app.services import calendar, closures, sessions
from app.services.closures import ClosureRecord
from app.services.register import Register


def add_commands(commands: argparse._SubParsersAction) -> None:
    group = commands.add_parser("sessions", help=_("the session days of a group"))
    actions = group.add_subparsers(dest="action", metavar="ACTION", required=True)

    list_ = actions.add_parser("list", help=_("a group's session days of a month"))
    list_.add_argument("--group", required=True, help=_("group name or record number"))
    list_.add_argument("--month", required=True, metavar="YYYY-MM")
    list_.add_argument("--json", action="store_true")
    list_.set_defaults(run=run_list)

    add = actions.add_parser("add", help=_("add an extra session on a day the group does not meet"))
    add.add_argument("--group", required=True, help=_("group name or record number"))
    add.add_argument("--date", required=True, metavar="YYYY-MM-DD")
    add.add_argument("--reason", required=True, help=_("why the session is added"))
    add.set_defaults(run=run_add)

    cancel = actions.add_parser("cancel", help=_("cancel a session of a group"))
    cancel.add_argument("--group", required=True, help=_("group name or record number"))
    cancel.add_argument("--date", required=True, metavar="YYYY-MM-DD")
    cancel.add_argument("--reason", required=True, help=_("why the session is cancelled"))
    cancel.set_defaults(run=run_cancel)

    offset = actions.add_parser(
        "hijri-offset",
        help=_("days between the Moroccan Hijri date and Umm al-Qura's (-1, 0 or +1)"),
    )
    offset.add_argument("--offset", metavar="-1|0|+1", help=_("set the offset to this value"))
    offset.set_defaults(run=run_offset)

    closures = commands.add_parser("closures", help=_("days the whole centre is closed"))
    closure_actions = closures.add_subparsers(dest="action", metavar="ACTION", required=True)
    close = closure_actions.add_parser(
        "add", help=_("close the centre: no group meets in a date range")
    )
    close.add_argument("--from", dest="start", required=True, metavar="YYYY-MM-DD")
    close.add_argument("--to", dest="end", required=True, metavar="YYYY-MM-DD")
    close.add_argument("--reason", required=True, help=_("why the centre is closed"))
    close.set_defaults(run=run_close)

    listed = closure_actions.add_parser("list", help=_("the closures of this season"))
    listed.add_argument("--json", action="store_true")
    listed.set_defaults(run=run_closures)

    remove = closure_actions.add_parser(
        "remove", help=_("take a closure back: its days' sessions are held again")
    )
    remove.add_argument("closure", metavar="ID", help=_("the closure's number, or its start"))
    remove.set_defaults(run=run_reopen)


def run_list(args: argparse.Namespace, register: Register) -> int:
    with register.unit_of_work(read_only=True) as uow:
        days = sessions.month_sessions(uow, group=args.group, month=args.month)
    if args.json:
        print_json(days)
    else:
        print_rows([d.date, d.status, d.reason] for d in days)
    return 0


def run_add(args: argparse.Namespace, register: Register) -> int:
    with register.unit_of_work() as uow:
        day = sessions.add_session(uow, group=args.group, date=args.date, reason=args.reason)
    print_rows([[day.date, day.status, day.reason]])
    return 0


def run_cancel(args: argparse.Namespace, register: Register) -> int:
    with register.unit_of_work() as uow:
        day = sessions.cancel_session(uow, group=args.group, date=args.date, reason=args.reason)
    print_rows([[day.date, day.status, day.reason]])
    return 0


def run_offset(args: argparse.Namespace, register: Register) -> int:
    with register.unit_of_work(read_only=args.offset is None) as uow:
        if args.offset is None:
            offset = calendar.hijri_offset(uow.session)
        else:
            offset = calendar.set_hijri_offset(uow.session, args.offset)
    print(f"{offset:+d}")
    return 0


def _closure_rows(found: list[ClosureRecord]) -> None:
    # The number of sessions before the reason: a reason may hold any text.
    print_rows([c.id, c.first_day, c.last_day, c.sessions, c.reason] for c in found)


def run_close(args: argparse.Namespace, register: Register) -> int:
    with register.unit_of_work() as uow:
        closure = closures.add_closure(uow, start=args.start, end=args.end, reason=args.reason)
    _closure_rows([closure])
    return 0


def run_closures(args: argparse.Namespace, register: Register) -> int:
    with register.unit_of_work(read_only=True) as uow:
        found = closures.list_closures(uow)
    if args.json:
        print_json(found)
    else:
        _closure_rows(found)
    return 0


def run_reopen(args: argparse.Namespace, register: Register) -> int:
    with register.unit_of_work() as uow:
        closure = closures.remove_closure(uow, args.closure)
    _closure_rows([closure])
    return 0
