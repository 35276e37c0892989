"""`sijill certificates verify|list` and `sijill pdf certificate`: certificates issued,
printed and checked."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

from app.cli.common import print_json, print_rows, unlock_keys
from app.config import today
from app.i18n import LANGUAGES, _, current_language, format_date
from app.services import certificates
from app.services.certificates import CertificateRefused, VerifiedCertificate
from app.services.document_settings import document_template
from app.services.errors import FieldError, InputRejected
from app.services.register import Register
from app.vocabulary import CertificateKind, ParticipantRole

_KINDS = "|".join(kind.value for kind in CertificateKind)
_IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".gif", ".bmp", ".tif", ".tiff", ".webp", ".pdf")


def add_commands(commands: argparse._SubParsersAction) -> None:
    group = commands.add_parser("certificates", help=_("certificates issued, and their check"))
    actions = group.add_subparsers(dest="action", metavar="ACTION", required=True)

    verify = actions.add_parser(
        "verify", help=_("check a certificate's QR code and show what it certifies")
    )
    verify.add_argument(
        "code",
        metavar="PAYLOAD_OR_IMAGE",
        help=_("the text of the QR code, or a photo, scan or PDF of the certificate"),
    )
    verify.add_argument("--json", action="store_true")
    verify.set_defaults(run=run_verify)

    list_ = actions.add_parser("list", help=_("the certificates issued, the newest first"))
    list_.add_argument("--kind", metavar=_KINDS)
    list_.add_argument("--json", action="store_true")
    list_.set_defaults(run=run_list)


def add_pdf_command(documents: argparse._SubParsersAction) -> None:
    """`sijill pdf certificate`, under the `pdf` command."""
    printed = documents.add_parser(
        "certificate", help=_("certificates of a group, an enrolment or an event, a page each")
    )
    which = printed.add_mutually_exclusive_group(required=True)
    which.add_argument("--group", help=_("group name or record number"))
    which.add_argument("--enrolment", help=_("the enrolment's record number"))
    which.add_argument("--event", help=_("the event's record number"))
    printed.add_argument(
        "--beneficiary",
        help=_("with --group: this person's certificate only (ID card number or record number)"),
    )
    printed.add_argument(
        "--season",
        metavar="YYYY-YYYY",
        help=_("with --group: the season of the group's name (default: the current one)"),
    )
    printed.add_argument(
        "--kind",
        metavar=_KINDS,
        help=_("default: completion for a group or an enrolment, participation for an event"),
    )
    printed.add_argument(
        "--lang",
        dest="document_language",
        choices=LANGUAGES,
        help=_("the language of the document (default: that of the messages)"),
    )
    printed.add_argument(
        "--bilingual", action="store_true", help=_("Arabic and French side by side")
    )
    printed.add_argument(
        "-o", "--output", required=True, metavar="FILE", help=_("the PDF to write")
    )
    printed.set_defaults(run=run_pdf_certificate)


def run_pdf_certificate(args: argparse.Namespace, register: Register) -> int:
    from app.cli.pdf import _output
    from app.pdf import certificate, save_atomically
    from app.pdf.letterhead import letterhead

    output = _output(args.output)
    misplaced = [
        FieldError(field, _("This option goes with --group only."))
        for field in ("beneficiary", "season")
        if getattr(args, field) is not None and args.group is None
    ]
    if misplaced:
        raise InputRejected(misplaced)
    # The certificates are recorded only if their PDF was written: one unit of work.
    with register.unit_of_work() as uow:
        signer = unlock_keys(uow)
        if args.group is not None:
            issued = certificates.issue_for_group(
                uow,
                signer,
                group=args.group,
                kind=args.kind,
                season=args.season,
                beneficiary=args.beneficiary,
                today=today(),
            )
        elif args.enrolment is not None:
            issued = certificates.issue_for_enrolment(
                uow, signer, enrolment=args.enrolment, kind=args.kind, today=today()
            )
        else:
            issued = certificates.issue_for_event(
                uow, signer, event=args.event, kind=args.kind, today=today()
            )
        data = certificate.render(
            issued.documents,
            letterhead=letterhead(uow),
            template=document_template(uow),
            language=args.document_language or current_language(),
            bilingual=args.bilingual,
        )
        save_atomically(output, data)
    for skipped in issued.skipped:
        print(f"sijill: {skipped.reason}", file=sys.stderr)
    print(output)
    return 0


def _codes(value: str) -> list[str]:
    """The certificate codes an argument gives: a file's QR codes, or the text itself."""
    path = Path(value).expanduser()
    if path.is_file() or (value.lower().endswith(_IMAGE_SUFFIXES) and "|" not in value):
        return certificates.read_codes(path)
    return [value]


def _lines(found: VerifiedCertificate) -> list[tuple[str, str]]:
    kind = CertificateKind(found.kind)
    rows = [
        (_("Serial"), found.serial),
        (_("Kind"), kind.label),
        (_("Holder"), found.holder_name),
        (_("Centre"), f"{found.centre_name} ({found.centre_code})"),
        (_("Issued on"), format_date(found.issued_on)),
    ]
    if kind is CertificateKind.PARTICIPATION:
        rows.append((_("Event of"), format_date(dt.date.fromisoformat(found.subject))))
        if found.detail in {role.value for role in ParticipantRole}:
            rows.append((_("Role"), ParticipantRole(found.detail).label))
    else:
        programme = found.subject
        if found.subject_name:
            programme = f"{found.subject_name} ({found.subject})"
        rows += [(_("Programme"), programme), (_("Season"), found.detail)]
    if found.hours is not None:
        rows.append((_("Hours followed"), str(found.hours)))
    if found.mention:
        rows.append((_("Mention"), found.mention))
    rows.append((_("Key fingerprint"), found.fingerprint))
    return rows


def run_verify(args: argparse.Namespace, register: Register) -> int:
    codes = _codes(args.code)
    genuine: list[VerifiedCertificate] = []
    refused: list[str] = []
    with register.unit_of_work(read_only=True) as uow:
        for code in codes:
            try:
                genuine.append(certificates.verify_payload(uow, code))
            except CertificateRefused as error:
                refused.append(error.errors[0].message)
    if args.json:
        print_json(genuine)
    else:
        for index, found in enumerate(genuine):
            if index:
                print()
            print(_("Genuine certificate: the signature of its centre is valid."))
            print_rows(_lines(found))
    label = _("NOT GENUINE")
    for reason in refused:
        print(f"sijill: {label}: {reason}", file=sys.stderr)
    return 3 if refused else 0


def run_list(args: argparse.Namespace, register: Register) -> int:
    with register.unit_of_work(read_only=True) as uow:
        found = certificates.list_certificates(uow, kind=args.kind)
    if args.json:
        print_json(found)
    else:
        print_rows(
            [
                c.serial,
                CertificateKind(c.kind).label,
                c.issued_on,
                c.holder_name,
                c.hours,
                c.mention,
                c.print_count,
            ]
            for c in found
        )
    return 0
