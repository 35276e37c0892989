"""`sijill beneficiaries add|search`: the register of people from the command line."""

from __future__ import annotations

import argparse

from app.cli.common import print_json, print_rows
from app.config import today
from app.i18n import N_, _
from app.services.beneficiaries import (
    BeneficiaryInput,
    register_beneficiary,
    search_beneficiaries,
)
from app.services.records import BeneficiaryRecord
from app.services.register import Register

# Optional fields of the form and their help (translated when the parser is built).
_OPTIONAL = {
    "family_name_latin": N_("family name in Latin letters, as on the ID card"),
    "given_name_latin": N_("given name in Latin letters"),
    "cin": N_("national ID card number, e.g. K123456"),
    "phone": N_("phone, e.g. 0612345678 or +212612345678"),
    "address": N_("address"),
    "commune_code": N_("commune code"),
    "area": N_("urban or rural"),
    "marital_status": N_("single, married, divorced or widowed"),
    "education_level": N_("none, primary, middle, secondary or higher"),
    "disability": N_("motor, visual, hearing, intellectual, autism, multiple or other"),
    "rsu_number": N_("social registry (RSU) number"),
    "guardian_name": N_("guardian's name, for a child"),
    "guardian_cin": N_("guardian's ID card number"),
    "guardian_phone": N_("guardian's phone"),
    "consent_date": N_("date the consent to data processing was given (YYYY-MM-DD)"),
    "notes": N_("notes"),
}


def _option(field: str) -> str:
    return "--" + field.replace("_", "-")


def add_commands(commands: argparse._SubParsersAction) -> None:
    group = commands.add_parser("beneficiaries", help=_("add and find beneficiaries"))
    actions = group.add_subparsers(dest="action", metavar="ACTION", required=True)

    add = actions.add_parser("add", help=_("register a beneficiary"))
    add.add_argument("--family-name-ar", required=True, help=_("family name in Arabic"))
    add.add_argument("--given-name-ar", required=True, help=_("given name in Arabic"))
    add.add_argument("--sex", required=True, metavar="F|M")
    add.add_argument("--birth-date", required=True, metavar="YYYY-MM-DD")
    for field, text in _OPTIONAL.items():
        add.add_argument(_option(field), dest=field, help=_(text))
    add.add_argument(
        "--allow-duplicate-cin",
        action="store_true",
        help=_("register even if another person of the centre has this ID number"),
    )
    add.add_argument("--json", action="store_true", help=_("print the whole record as JSON"))
    add.set_defaults(run=run_add)

    search = actions.add_parser("search", help=_("find beneficiaries by name, ID or phone"))
    search.add_argument("text")
    search.add_argument("--limit", type=int, default=50)
    search.add_argument("--json", action="store_true")
    search.set_defaults(run=run_search)


def run_add(args: argparse.Namespace, register: Register) -> int:
    data = BeneficiaryInput(
        family_name_ar=args.family_name_ar,
        given_name_ar=args.given_name_ar,
        sex=args.sex,
        birth_date=args.birth_date,
        **{field: getattr(args, field) for field in _OPTIONAL},
    )
    with register.unit_of_work() as uow:
        record = register_beneficiary(
            uow, data, today=today(), allow_duplicate_cin=args.allow_duplicate_cin
        )
    if args.json:
        print_json(record)
    else:
        print(record.id)
    return 0


def _line(record: BeneficiaryRecord) -> list[object]:
    return [
        record.id,
        record.full_name_ar,
        record.full_name_latin,
        record.cin,
        record.birth_date.isoformat(),
        record.phone,
    ]


def run_search(args: argparse.Namespace, register: Register) -> int:
    with register.unit_of_work(read_only=True) as uow:
        found = search_beneficiaries(uow, args.text, limit=args.limit)
    if args.json:
        print_json(found)
    else:
        print_rows(_line(record) for record in found)
    return 0
