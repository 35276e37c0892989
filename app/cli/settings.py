"""`sijill settings documents show|set|reset`: the printed documents' template (header
lines, place, signatories, logo) and the certificates' issue rules; `sijill settings
at-risk show|set|reset`: the rule that flags who may be dropping out."""

from __future__ import annotations

import argparse

from app.cli.common import print_json, print_rows
from app.i18n import _
from app.services import at_risk, document_settings
from app.services.at_risk import AtRiskRule
from app.services.document_settings import FIELDS, DocumentTemplate
from app.services.register import Register


def add_commands(commands: argparse._SubParsersAction) -> None:
    settings = commands.add_parser("settings", help=_("settings of this register"))
    sections = settings.add_subparsers(dest="section", metavar="SECTION", required=True)
    documents = sections.add_parser(
        "documents", help=_("what printed documents show, and when certificates are issued")
    )
    actions = documents.add_subparsers(dest="action", metavar="ACTION", required=True)

    show = actions.add_parser("show", help=_("the settings as documents use them"))
    show.add_argument("--json", action="store_true")
    show.set_defaults(run=run_show)

    change = actions.add_parser("set", help=_("change some settings, keep the others"))
    change.add_argument(
        "--header-ar",
        action="append",
        metavar="LINE",
        help=_(
            "a header line in Arabic, from the top (repeat for each line; {province} and "
            "{centre} are filled in)"
        ),
    )
    change.add_argument(
        "--header-fr", action="append", metavar="LINE", help=_("a header line in French")
    )
    change.add_argument(
        "--signatory",
        action="append",
        nargs=2,
        metavar=("TITLE_AR", "TITLE_FR"),
        help=_("the title over a signature block, in Arabic and French (repeat for each)"),
    )
    change.add_argument("--place-ar", help=_("where documents are written, in Arabic"))
    change.add_argument("--place-fr", help=_("where documents are written, in French"))
    change.add_argument("--logo", metavar="IMAGE", help=_("a logo printed at the top (PNG, JPEG)"))
    change.add_argument(
        "--min-attendance",
        metavar="PERCENT",
        help=_("the attendance an end of training certificate needs, in percent"),
    )
    change.set_defaults(run=run_set)

    reset = actions.add_parser("reset", help=_("put settings back to their defaults"))
    reset.add_argument("fields", nargs="+", metavar="|".join(FIELDS))
    reset.set_defaults(run=run_reset)

    risk = sections.add_parser(
        "at-risk", help=_("when someone is flagged as at risk of dropping out")
    )
    risk_actions = risk.add_subparsers(dest="action", metavar="ACTION", required=True)
    risk_show = risk_actions.add_parser("show", help=_("the rule in force"))
    risk_show.add_argument("--json", action="store_true")
    risk_show.set_defaults(run=run_risk_show)
    risk_set = risk_actions.add_parser("set", help=_("change the rule (0 turns a part off)"))
    risk_set.add_argument(
        "--consecutive-absences",
        metavar="N",
        help=_("flag after this many absences in a row"),
    )
    risk_set.add_argument(
        "--monthly-rate-below",
        metavar="PERCENT",
        help=_("flag below this share of the month's sessions attended"),
    )
    risk_set.set_defaults(run=run_risk_set)
    risk_reset = risk_actions.add_parser("reset", help=_("put the rule back to its defaults"))
    risk_reset.set_defaults(run=run_risk_reset)


def _show(template: DocumentTemplate, min_attendance: int | None, *, as_json: bool) -> None:
    values = {
        "header_ar": list(template.header_ar),
        "header_fr": list(template.header_fr),
        "signatories": [[s.title_ar, s.title_fr] for s in template.signatories],
        "place_ar": template.place_ar,
        "place_fr": template.place_fr,
        "logo": len(template.logo_png) if template.logo_png else None,
        "min_attendance": min_attendance,
        "defaults": [*template.defaults, *(["min_attendance"] if min_attendance is None else [])],
    }
    if as_json:
        print_json(values)
        return
    rows: list[list[object]] = []
    for line in template.header_ar:
        rows.append(["header_ar", line])
    for line in template.header_fr:
        rows.append(["header_fr", line])
    for signatory in template.signatories:
        rows.append(["signatories", signatory.title_ar, signatory.title_fr])
    rows += [["place_ar", template.place_ar], ["place_fr", template.place_fr]]
    logo = values["logo"]
    rows.append(["logo", _("{size} bytes").format(size=logo) if logo else ""])
    rows.append(["min_attendance", "" if min_attendance is None else f"{min_attendance} %"])
    print_rows(rows)


def run_show(args: argparse.Namespace, register: Register) -> int:
    with register.unit_of_work(read_only=True) as uow:
        template = document_settings.document_template(uow)
        rules = document_settings.certificate_rules(uow)
    _show(template, rules.min_attendance, as_json=args.json)
    return 0


def run_set(args: argparse.Namespace, register: Register) -> int:
    with register.unit_of_work() as uow:
        template = document_settings.change_documents(
            uow,
            header_ar=args.header_ar,
            header_fr=args.header_fr,
            signatories=[tuple(pair) for pair in args.signatory] if args.signatory else None,
            place_ar=args.place_ar,
            place_fr=args.place_fr,
            logo=args.logo,
            min_attendance=args.min_attendance,
        )
        rules = document_settings.certificate_rules(uow)
    _show(template, rules.min_attendance, as_json=False)
    return 0


def run_reset(args: argparse.Namespace, register: Register) -> int:
    with register.unit_of_work() as uow:
        template = document_settings.change_documents(uow, reset=args.fields)
        rules = document_settings.certificate_rules(uow)
    _show(template, rules.min_attendance, as_json=False)
    return 0


def _show_rule(rule: AtRiskRule, *, as_json: bool = False) -> None:
    if as_json:
        print_json(rule)
    else:
        print_rows(
            [
                ["consecutive_absences", rule.consecutive_absences],
                ["monthly_rate_below", rule.monthly_rate_below],
            ]
        )


def run_risk_show(args: argparse.Namespace, register: Register) -> int:
    with register.unit_of_work(read_only=True) as uow:
        rule = at_risk.at_risk_rule(uow)
    _show_rule(rule, as_json=args.json)
    return 0


def run_risk_set(args: argparse.Namespace, register: Register) -> int:
    with register.unit_of_work() as uow:
        rule = at_risk.change_rule(
            uow,
            consecutive_absences=args.consecutive_absences,
            monthly_rate_below=args.monthly_rate_below,
        )
    _show_rule(rule)
    return 0


def run_risk_reset(_args: argparse.Namespace, register: Register) -> int:
    with register.unit_of_work() as uow:
        rule = at_risk.change_rule(uow, reset=True)
    _show_rule(rule)
    return 0
