"""`sijill events add|list|participants add|guests add` and `sijill followups add|due`:
the centre's events and the follow-up of its graduates."""

from __future__ import annotations

import argparse

from app.cli.common import print_json, print_rows
from app.config import today
from app.i18n import _
from app.services import events, followups
from app.services.register import Register
from app.vocabulary import EventKind, FollowUpOutcome, ParticipantRole


def _codes(enum: type) -> str:
    return "|".join(member.value for member in enum)


def add_commands(commands: argparse._SubParsersAction) -> None:
    group = commands.add_parser("events", help=_("seminars and awareness days, and who came"))
    actions = group.add_subparsers(dest="action", metavar="ACTION", required=True)

    add = actions.add_parser("add", help=_("record an event of the centre"))
    add.add_argument("--kind", required=True, metavar=_codes(EventKind))
    add.add_argument("--title-ar", required=True, help=_("the title in Arabic"))
    add.add_argument("--title-fr", help=_("the title in French"))
    add.add_argument("--date", required=True, metavar="YYYY-MM-DD")
    add.add_argument("--place", help=_("where it takes place"))
    add.add_argument("--description", help=_("a few words on the event"))
    add.set_defaults(run=run_add)

    list_ = actions.add_parser("list", help=_("the centre's events, the newest first"))
    list_.add_argument("--json", action="store_true")
    list_.set_defaults(run=run_list)

    people = actions.add_parser("participants", help=_("beneficiaries who took part"))
    people_actions = people.add_subparsers(dest="what", metavar="ACTION", required=True)
    people_add = people_actions.add_parser("add", help=_("add beneficiaries to an event"))
    people_add.add_argument("--event", required=True, help=_("the event's record number"))
    people_add.add_argument(
        "beneficiaries", nargs="+", metavar="BENEFICIARY", help=_("ID card number or record number")
    )
    people_add.set_defaults(run=run_add_participants)

    guests = actions.add_parser("guests", help=_("speakers and other guests"))
    guest_actions = guests.add_subparsers(dest="what", metavar="ACTION", required=True)
    guest_add = guest_actions.add_parser("add", help=_("add a guest to an event"))
    guest_add.add_argument("--event", required=True, help=_("the event's record number"))
    guest_add.add_argument("--name", required=True, help=_("the guest's full name"))
    guest_add.add_argument("--organisation", help=_("the body the guest comes from"))
    guest_add.add_argument(
        "--role", default=ParticipantRole.PARTICIPANT.value, metavar=_codes(ParticipantRole)
    )
    guest_add.set_defaults(run=run_add_guest)

    follow = commands.add_parser("followups", help=_("what became of the graduates"))
    follow_actions = follow.add_subparsers(dest="action", metavar="ACTION", required=True)
    record = follow_actions.add_parser("add", help=_("record news of a graduate"))
    record.add_argument("--beneficiary", required=True, help=_("ID card number or record number"))
    record.add_argument("--outcome", required=True, metavar=_codes(FollowUpOutcome))
    record.add_argument("--date", required=True, metavar="YYYY-MM-DD")
    record.add_argument("--organisation", help=_("employer, cooperative or training body"))
    record.add_argument("--details", help=_("a few words on the situation"))
    record.set_defaults(run=run_add_follow_up)

    due = follow_actions.add_parser("due", help=_("graduates with no news for six months"))
    due.add_argument("--json", action="store_true")
    due.set_defaults(run=run_due)


def run_add(args: argparse.Namespace, register: Register) -> int:
    data = events.EventInput(
        kind=args.kind,
        title_ar=args.title_ar,
        title_fr=args.title_fr,
        date=args.date,
        place=args.place,
        description=args.description,
    )
    with register.unit_of_work() as uow:
        record = events.create_event(uow, data, today=today())
    print(record.id)
    return 0


def run_list(args: argparse.Namespace, register: Register) -> int:
    with register.unit_of_work(read_only=True) as uow:
        found = events.list_events(uow)
    if args.json:
        print_json(found)
    else:
        print_rows([e.id, e.date, e.kind, e.title_ar, e.participants] for e in found)
    return 0


def run_add_participants(args: argparse.Namespace, register: Register) -> int:
    with register.unit_of_work() as uow:
        added = events.add_participants(uow, event=args.event, beneficiaries=args.beneficiaries)
    print_rows([p.id, p.beneficiary_id, p.name] for p in added)
    return 0


def run_add_guest(args: argparse.Namespace, register: Register) -> int:
    with register.unit_of_work() as uow:
        guest = events.add_guest(
            uow, event=args.event, name=args.name, organisation=args.organisation, role=args.role
        )
    print(guest.id)
    return 0


def run_add_follow_up(args: argparse.Namespace, register: Register) -> int:
    with register.unit_of_work() as uow:
        record = followups.record_follow_up(
            uow,
            beneficiary=args.beneficiary,
            outcome=args.outcome,
            date=args.date,
            organisation=args.organisation,
            details=args.details,
            today=today(),
        )
    print(record.id)
    return 0


def run_due(args: argparse.Namespace, register: Register) -> int:
    with register.unit_of_work(read_only=True) as uow:
        found = followups.graduates_without_news(uow, today=today())
    if args.json:
        print_json(found)
    else:
        print_rows(
            [
                g.beneficiary_id,
                g.full_name_ar,
                g.cin,
                g.phone,
                g.programme_code,
                g.end_date,
                g.last_outcome,
                g.news_date,
            ]
            for g in found
        )
    return 0
