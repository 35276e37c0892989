"""`sijill groups add|list`, `sijill enrol`, `sijill enrolments end`, `sijill attendance mark`."""

from __future__ import annotations

import argparse

from app.cli.common import print_json, print_rows
from app.config import today
from app.i18n import _
from app.services import attendance, groups
from app.services.register import Register
from app.services.validation import parse_date


def add_commands(commands: argparse._SubParsersAction) -> None:
    group = commands.add_parser("groups", help=_("open and list the season's groups"))
    actions = group.add_subparsers(dest="action", metavar="ACTION", required=True)

    add = actions.add_parser("add", help=_("open a group in the current season"))
    add.add_argument("--programme", required=True, help=_("programme code, e.g. EFT-COU"))
    add.add_argument("--name", required=True, help=_("the group's name"))
    add.add_argument(
        "--days",
        required=True,
        metavar="mon,tue,…",
        help=_("meeting days: mon tue wed thu fri sat sun"),
    )
    add.add_argument("--hours", metavar="HH:MM-HH:MM", help=_("meeting hours, e.g. 09:00-12:00"))
    add.add_argument("--capacity", metavar="N", help=_("places in the group"))
    add.set_defaults(run=run_add)

    list_ = actions.add_parser("list", help=_("the groups of the current season"))
    list_.add_argument("--json", action="store_true")
    list_.set_defaults(run=run_list)

    enrol = commands.add_parser("enrol", help=_("enrol beneficiaries in a group"))
    enrol.add_argument("--group", required=True, help=_("group name or record number"))
    enrol.add_argument("--date", metavar="YYYY-MM-DD", help=_("first day (default: today)"))
    enrol.add_argument(
        "beneficiaries", nargs="+", metavar="BENEFICIARY", help=_("ID card number or record number")
    )
    enrol.set_defaults(run=run_enrol)

    enrolments = commands.add_parser("enrolments", help=_("enrolments in groups"))
    enrolment_actions = enrolments.add_subparsers(dest="action", metavar="ACTION", required=True)
    end = enrolment_actions.add_parser("end", help=_("close an enrolment with its outcome"))
    end.add_argument("--group", required=True, help=_("group name or record number"))
    end.add_argument("--outcome", required=True, metavar="completed|dropped|transferred")
    end.add_argument("--date", required=True, metavar="YYYY-MM-DD", help=_("last day"))
    end.add_argument("--reason", help=_("why the person left (required for dropped)"))
    end.add_argument("--mention", help=_("the mention, for a completed training"))
    end.add_argument(
        "beneficiary", metavar="BENEFICIARY", help=_("ID card number or record number")
    )
    end.set_defaults(run=run_end)

    mark = commands.add_parser("attendance", help=_("attendance of a group's sessions"))
    mark_actions = mark.add_subparsers(dest="action", metavar="ACTION", required=True)
    mark_ = mark_actions.add_parser("mark", help=_("mark people at a session"))
    mark_.add_argument("--group", required=True, help=_("group name or record number"))
    mark_.add_argument("--date", required=True, metavar="YYYY-MM-DD")
    mark_.add_argument("--status", required=True, metavar="present|absent|excused|late")
    mark_.add_argument(
        "beneficiaries", nargs="+", metavar="BENEFICIARY", help=_("ID card number or record number")
    )
    mark_.set_defaults(run=run_mark)


def run_add(args: argparse.Namespace, register: Register) -> int:
    with register.unit_of_work() as uow:
        record = groups.add_group(
            uow,
            programme=args.programme,
            name=args.name,
            days=args.days,
            hours=args.hours,
            capacity=args.capacity,
        )
    print(record.id)
    return 0


def run_list(args: argparse.Namespace, register: Register) -> int:
    with register.unit_of_work(read_only=True) as uow:
        found = groups.list_groups(uow)
    if args.json:
        print_json(found)
    else:
        print_rows(
            [
                g.id,
                g.name,
                g.programme_code,
                ",".join(g.days),
                f"{g.start_time}-{g.end_time}" if g.start_time else "",
                f"{g.enrolled}/{g.capacity}" if g.capacity else g.enrolled,
            ]
            for g in found
        )
    return 0


def run_enrol(args: argparse.Namespace, register: Register) -> int:
    start = parse_date("date", args.date, required=False)
    with register.unit_of_work() as uow:
        done = groups.enrol(
            uow,
            group=args.group,
            beneficiaries=args.beneficiaries,
            start_date=start,
            today=today(),
        )
    print_rows([e.id, e.beneficiary_id, e.start_date] for e in done)
    return 0


def run_end(args: argparse.Namespace, register: Register) -> int:
    last_day = parse_date("date", args.date)
    assert last_day is not None
    with register.unit_of_work() as uow:
        ended = groups.end_enrolment(
            uow,
            group=args.group,
            beneficiary=args.beneficiary,
            outcome=args.outcome,
            end_date=last_day,
            reason=args.reason,
            mention=args.mention,
        )
    print_rows([[ended.id, ended.status, ended.end_date]])
    return 0


def run_mark(args: argparse.Namespace, register: Register) -> int:
    with register.unit_of_work() as uow:
        done = attendance.mark_attendance(
            uow,
            group=args.group,
            date=args.date,
            status=args.status,
            beneficiaries=args.beneficiaries,
            today=today(),
        )
    print_rows([m.id, m.beneficiary_id, m.date, m.status] for m in done)
    return 0
