"""`sijill keys …`, `sijill bundle …` and `sijill sync status`: exchanging with the
delegation by files.

Enrolment: each side runs `keys export`, carries the file to the other, which runs `keys
trust` and reads the fingerprint aloud; both must see the same digits. Then `bundle export`
writes what the other side has not acknowledged, and `bundle import` merges what came back.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from app.cli.common import print_json, unlock_keys
from app.i18n import _, ngettext
from app.services import duplicates, keys, merging
from app.services.errors import FieldError, InputRejected
from app.services.imports.headers import BY_KEY as PERSON_FIELDS
from app.services.register import Register
from app.services.unit_of_work import UnitOfWork
from app.sync import bundle, exchange, status, transports
from app.sync.export import Exported, default_recipient, export_bundle, export_reference
from app.sync.import_ import Imported, import_bundle


def add_commands(commands: argparse._SubParsersAction) -> None:
    keys_ = commands.add_parser("keys", help=_("this register's keys and the ones it trusts"))
    keys_commands = keys_.add_subparsers(dest="keys_command", metavar="COMMAND", required=True)
    export = keys_commands.add_parser(
        "export", help=_("write this register's public identity to a file for the other side")
    )
    export.add_argument("-o", "--output", required=True, type=Path, metavar="FILE")
    export.set_defaults(run=run_keys_export)
    trust = keys_commands.add_parser(
        "trust", help=_("trust the other side's identity file (compare the fingerprint first)")
    )
    trust.add_argument("file", type=Path, metavar="FILE")
    trust.set_defaults(run=run_keys_trust)
    listing = keys_commands.add_parser("list", help=_("the identities this register trusts"))
    listing.add_argument("--json", action="store_true", help=_("machine-readable output"))
    listing.set_defaults(run=run_keys_list)
    revoke = keys_commands.add_parser(
        "revoke", help=_("stop trusting a key (a lost or stolen laptop)")
    )
    revoke.add_argument("key_id", metavar="KEY_ID")
    revoke.set_defaults(run=run_keys_revoke)

    bundle_ = commands.add_parser("bundle", help=_("sync bundles: export, import, inspect"))
    bundle_commands = bundle_.add_subparsers(
        dest="bundle_command", metavar="COMMAND", required=True
    )
    out = bundle_commands.add_parser(
        "export", help=_("write what the other side has not acknowledged yet")
    )
    out.add_argument("-o", "--output", required=True, type=Path, metavar="FILE")
    out.add_argument(
        "--to",
        metavar="CENTRE_CODE|delegation",
        help=_("the recipient (a centre's default: its delegation)"),
    )
    out.add_argument("--snapshot", action="store_true", help=_("everything, not only what is new"))
    out.add_argument(
        "--reference",
        action="store_true",
        help=_(
            "a delegation's reference bundle for its centres (all of them, or --to): "
            "programmes, territory, seasons and revoked keys"
        ),
    )
    out.set_defaults(run=run_bundle_export)
    into = bundle_commands.add_parser("import", help=_("check a bundle and merge it"))
    into.add_argument("file", type=Path, metavar="FILE")
    into.set_defaults(run=run_bundle_import)
    inspect = bundle_commands.add_parser(
        "inspect", help=_("what a bundle is, without opening its records")
    )
    inspect.add_argument("file", type=Path, metavar="FILE")
    inspect.add_argument("--json", action="store_true", help=_("machine-readable output"))
    inspect.set_defaults(run=run_bundle_inspect, needs_database=False)

    duplicates = commands.add_parser(
        "duplicates", help=_("records that may be one person, found when registers meet")
    )
    duplicate_commands = duplicates.add_subparsers(
        dest="duplicates_command", metavar="COMMAND", required=True
    )
    listing_ = duplicate_commands.add_parser("list", help=_("the open possible duplicates"))
    listing_.add_argument("--json", action="store_true", help=_("machine-readable output"))
    listing_.add_argument(
        "--status",
        choices=("open", "merged", "invalid"),
        default="open",
        help=_("which pairs: still open (the default), merged, or dismissed"),
    )
    listing_.set_defaults(run=run_duplicates_list)
    merge = duplicate_commands.add_parser(
        "merge", help=_("one person after all: keep one record, the other joins it")
    )
    merge.add_argument("id", metavar="CANDIDATE_ID")
    merge.add_argument(
        "--keep",
        required=True,
        metavar="BENEFICIARY_ID",
        help=_("the record that stays (one of the pair)"),
    )
    merge.set_defaults(run=run_duplicates_merge)
    dismiss = duplicate_commands.add_parser(
        "dismiss", help=_("two different people after all: close the pair")
    )
    dismiss.add_argument("id", metavar="ID")
    dismiss.set_defaults(run=run_duplicates_dismiss)

    sync = commands.add_parser("sync", help=_("where the exchanges with the other side stand"))
    sync_commands = sync.add_subparsers(dest="sync_command", metavar="COMMAND", required=True)
    now = sync_commands.add_parser(
        "now", help=_("send to the delegation's sync service and read its reply")
    )
    now.add_argument(
        "--url", help=_("the service's address (remembered; default: the last one used)")
    )
    now.add_argument(
        "--attempts", type=int, default=5, metavar="N", help=_("tries before giving up")
    )
    now.add_argument(
        "--pause",
        type=float,
        default=2.0,
        metavar="SECONDS",
        help=_("pause before the second try; doubled each time"),
    )
    now.set_defaults(run=run_sync_now)
    serve = commands.add_parser(
        "serve", help=_("run the delegation's sync service for its centres")
    )
    serve.add_argument("--host", default="127.0.0.1", help=_("the address to listen on"))
    serve.add_argument("--port", type=int, default=8765, help=_("the port to listen on"))
    serve.set_defaults(run=run_serve)
    state = sync_commands.add_parser("status", help=_("last export, last receipt, pending"))
    state.add_argument("--json", action="store_true", help=_("machine-readable output"))
    state.set_defaults(run=run_sync_status)


def _fingerprint_line(identity: keys.Identity) -> str:
    return _("Fingerprint: {fingerprint}").format(fingerprint=identity.fingerprint)


def run_keys_export(args: argparse.Namespace, register: Register) -> int:
    with register.unit_of_work() as uow:
        unlocked = unlock_keys(uow)
        data = keys.identity_file(unlocked)
    try:
        args.output.write_bytes(data)
    except OSError as error:
        raise InputRejected(FieldError("output", str(error.strerror))) from None
    print(_fingerprint_line(unlocked.identity))
    return 0


def run_keys_trust(args: argparse.Namespace, register: Register) -> int:
    try:
        data = args.file.read_bytes()
    except OSError as error:
        raise InputRejected(FieldError("file", str(error.strerror))) from None
    identity = keys.read_identity_file(data)
    with register.unit_of_work() as uow:
        trusted = keys.trust(uow, identity)
    role = _("delegation") if identity.role == "delegation" else _("centre")
    print(
        _("Trusted: {role} {code} ({name})").format(
            role=role, code=identity.code, name=identity.name
        )
    )
    print(_fingerprint_line(identity))
    if trusted.revoked:
        print(_("This key was revoked: what it signs is still refused."), file=sys.stderr)
    return 0


def run_keys_list(args: argparse.Namespace, register: Register) -> int:
    with register.unit_of_work(read_only=True) as uow:
        rows = keys.trusted_identities(uow)
    if args.json:
        print_json(
            [
                {
                    "key_id": t.identity.key_id,
                    "role": t.identity.role,
                    "code": t.identity.code,
                    "name": t.identity.name,
                    "fingerprint": t.identity.fingerprint,
                    "revoked": t.revoked,
                }
                for t in rows
            ]
        )
        return 0
    for t in rows:
        revoked = _("revoked") if t.revoked else ""
        print(
            "\t".join(
                (t.identity.key_id, t.identity.role, t.identity.code, t.identity.name, revoked)
            )
        )
    return 0


def run_keys_revoke(args: argparse.Namespace, register: Register) -> int:
    with register.unit_of_work() as uow:
        keys.revoke(uow, args.key_id)
    return 0


def _recipient(uow: UnitOfWork, target: str | None) -> keys.Identity:
    if target is None:
        found = default_recipient(uow)
        if found is None:
            raise InputRejected(
                FieldError(
                    "to",
                    _(
                        "Say who the bundle is for (--to): this register trusts no "
                        "delegation, or more than one."
                    ),
                )
            )
        return found
    candidates = [
        t
        for t in keys.trusted_identities(uow)
        if not t.revoked
        and (
            (target == "delegation" and t.identity.role == "delegation")
            or t.identity.code.upper() == target.upper()
        )
    ]
    if len(candidates) != 1:
        raise InputRejected(
            FieldError(
                "to",
                _("No single trusted register answers to “{target}”.").format(target=target)
                if not candidates
                else _("Several trusted laptops answer to “{target}”: give the key id.").format(
                    target=target
                ),
            )
        )
    return candidates[0].identity


def run_bundle_export(args: argparse.Namespace, register: Register) -> int:
    if not args.output.parent.is_dir():
        raise InputRejected(
            FieldError(
                "output", _("The folder {folder} does not exist.").format(folder=args.output.parent)
            )
        )
    if args.reference:
        return _export_reference(args, register)
    with register.unit_of_work() as uow:
        unlocked = unlock_keys(uow)
        recipient = _recipient(uow, args.to)
        exported = export_bundle(
            uow, keys=unlocked, recipient=recipient, path=args.output, snapshot=args.snapshot
        )
    _print_exported(exported)
    return 0


def _print_exported(exported: Exported) -> None:
    print(
        _("{kind} for {recipient}: {count} changes, {size} bytes").format(
            kind=exported.kind,
            recipient=exported.recipient,
            count=exported.changes,
            size=exported.size,
        )
    )


def _export_reference(args: argparse.Namespace, register: Register) -> int:
    with register.unit_of_work() as uow:
        unlocked = unlock_keys(uow)
        if args.to is not None:
            recipients = [_recipient(uow, args.to)]
        else:
            recipients = [
                t.identity
                for t in keys.trusted_identities(uow)
                if not t.revoked and t.identity.role == "centre"
            ]
        exported = export_reference(uow, keys=unlocked, recipients=recipients, path=args.output)
    print(
        ngettext(
            "Reference bundle for {count} centre laptop: {changes} changes, {size} bytes",
            "Reference bundle for {count} centre laptops: {changes} changes, {size} bytes",
            len(recipients),
        ).format(count=len(recipients), changes=exported.changes, size=exported.size)
    )
    return 0


def run_bundle_import(args: argparse.Namespace, register: Register) -> int:
    if not args.file.is_file():
        raise bundle.BundleRejected(_("There is no file {file}.").format(file=args.file))
    with register.unit_of_work() as uow:
        unlocked = unlock_keys(uow)
        result = import_bundle(uow, keys=unlocked, path=args.file)
    if result.already_imported:
        print(_("Already imported: nothing to do."))
        return 0
    _print_imported(result)
    return 0


def _print_imported(result: Imported) -> None:
    """What an import brought, and what needs a person's eye."""
    print(
        _(
            "Imported from {sender}: {applied} new changes, {duplicates} already known, "
            "{conflicts} conflicts."
        ).format(
            sender=result.sender,
            applied=result.applied,
            duplicates=result.duplicates,
            conflicts=result.conflicts,
        )
    )
    if result.possible_duplicates:
        print(
            _("{count} possible duplicates found: see “sijill duplicates list”.").format(
                count=result.possible_duplicates
            )
        )
    if result.revoked:
        print(
            ngettext(
                "The delegation revoked {count} key this laptop trusted: bundles signed "
                "with it are refused from now on.",
                "The delegation revoked {count} keys this laptop trusted: bundles signed "
                "with them are refused from now on.",
                result.revoked,
            ).format(count=result.revoked)
        )
    if result.clock_ahead:
        print(
            _("The sender's clock is far ahead of this laptop's: one of the two is wrong."),
            file=sys.stderr,
        )


def run_bundle_inspect(args: argparse.Namespace, _register: None) -> int:
    try:
        header = bundle.inspect_file(args.file)
    except OSError as error:
        print(f"sijill: {error.strerror}: {args.file}", file=sys.stderr)
        return 3
    except InputRejected as error:
        print(f"sijill: {error.errors[0].message}", file=sys.stderr)
        return 3
    info = {
        "bundle_id": header.bundle_id,
        "kind": header.kind,
        "sender": {
            "key_id": header.sender_key_id,
            "role": header.sender_role,
            "code": header.sender_code,
        },
        "recipients": sorted(header.sealed_keys),
        "created_ms": header.created_ms,
        "size": args.file.stat().st_size,
    }
    if args.json:
        sys.stdout.write(json.dumps(info, indent=1, sort_keys=True) + "\n")
    else:
        for key, value in info.items():
            print(f"{key}\t{value}")
    return 0


def run_duplicates_list(args: argparse.Namespace, register: Register) -> int:
    with register.unit_of_work(read_only=True) as uow:
        found = duplicates.list_candidates(uow, status=args.status)
        orphans = merging.orphans(uow)
    if args.json:
        print_json(found)
        return 0
    reasons = {"cin": _("same CIN"), "name_birth": _("same name and birth date")}
    for pair in found:
        columns = [
            str(pair.id),
            reasons.get(pair.reason, pair.reason),
            f"{pair.first.full_name_ar} ({pair.first.centre_code})",
            f"{pair.second.full_name_ar} ({pair.second.centre_code})",
        ]
        if pair.kept_id is not None:
            kept = pair.first if pair.first.id == pair.kept_id else pair.second
            columns.append(_("kept: {id}").format(id=kept.id))
        print("\t".join(columns))
    # A note for the person, apart from the lines a script reads: rows kept for someone
    # removed without a merge.
    if orphans:
        print(
            ngettext(
                "{n} record points at a person who was removed.",
                "{n} records point at a person who was removed.",
                orphans,
            ).format(n=orphans),
            file=sys.stderr,
        )
    return 0


def run_duplicates_merge(args: argparse.Namespace, register: Register) -> int:
    with register.unit_of_work() as uow:
        merged = merging.merge(uow, args.id, keep=args.keep)
    print(
        _("Merged: {name} ({id}) is kept; the other record ({removed}) is removed.").format(
            name=merged.kept.full_name_ar, id=merged.kept.id, removed=merged.removed_id
        )
    )
    if merged.moved:
        print(
            ngettext(
                "{n} record moved to the kept one ({combined} joined with one it had).",
                "{n} records moved to the kept one ({combined} joined with one it had).",
                merged.moved,
            ).format(n=merged.moved, combined=merged.combined)
        )
    if merged.filled:
        print(
            _("Taken from the other record: {fields}.").format(
                fields=", ".join(_(PERSON_FIELDS[name].label) for name in merged.filled)
            )
        )
    return 0


def run_duplicates_dismiss(args: argparse.Namespace, register: Register) -> int:
    with register.unit_of_work() as uow:
        duplicates.dismiss(uow, args.id)
    return 0


def run_sync_now(args: argparse.Namespace, register: Register) -> int:
    with register.unit_of_work() as uow:
        url = args.url or exchange.service_url(uow)
        if not url:
            raise InputRejected(
                FieldError("url", _("Give the address of the delegation's service (--url)."))
            )
        url = exchange.check_url("url", url)
        exchange.set_service_url(uow, url)
        unlocked = unlock_keys(uow)
        _recipient(uow, None)

    attempts = transports.Attempts(count=max(1, args.attempts), first_pause=args.pause)
    outcome = exchange.exchange(
        register, keys=unlocked, url=url, attempts=attempts, written=_print_exported
    )
    if isinstance(outcome, exchange.NotReached):
        raise outcome.error
    _print_imported(outcome.received)
    return 0


def run_serve(args: argparse.Namespace, register: Register) -> int:
    import uvicorn

    from app.sync.server import ExchangeService, create_app

    with register.unit_of_work() as uow:
        unlocked = unlock_keys(uow)
    print(
        _("Serving {name} on http://{host}:{port}/ (stop with Ctrl+C)").format(
            name=unlocked.identity.name, host=args.host, port=args.port
        ),
        file=sys.stderr,
    )
    uvicorn.run(
        create_app(ExchangeService(register, unlocked)),
        host=args.host,
        port=args.port,
        log_level="warning",
    )
    return 0


def run_sync_status(args: argparse.Namespace, register: Register) -> int:
    with register.unit_of_work(read_only=True) as uow:
        state = status.sync_status(uow)
    if args.json:
        print_json(state)
        return 0
    for line in status.describe(state):
        print(line)
    return 0
