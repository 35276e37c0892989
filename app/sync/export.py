"""Building a bundle for a peer: everything it has not acknowledged, in its scope.

A delta is cumulative: it holds every change the recipient has not acknowledged in a
receipt, so a lost USB stick is covered by the next bundle. A snapshot holds every change
in the recipient's scope; it follows a restore or a receipt whose counts disagree. A
centre receives only its own centre's changes and the shared reference data; a
delegation receives everything a centre holds.

Every bundle also carries what the sender holds of each origin (its coverage): for the
recipient that is the receipt, "your changes up to number N arrived here".
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from app import __version__
from app.i18n import _
from app.models import ChangeLog, Site, SyncCoverage, SyncExport, SyncPeerOrigin, TrustedKey
from app.models.ids import new_id
from app.models.migrations import HEAD
from app.services.centres import centre_id
from app.services.context import get_setting, put_setting
from app.services.errors import FieldError, InputRejected
from app.services.keys import Identity, UnlockedKeys
from app.services.progress import Progress
from app.services.unit_of_work import UnitOfWork
from app.sync import bundle
from app.sync import records as record_stream
from app.sync.bulk import Storage

GENESIS_SITE = "0" * 32
MANY = "*"
BATCH = 20_000


@dataclass(frozen=True)
class Exported:
    path: Path
    bundle_id: str
    kind: str
    recipient: str
    changes: int
    size: int


def _now_ms() -> int:
    return time.time_ns() // 1_000_000


def snapshot_due_key(peer_key_id: str) -> str:
    """The setting that says the next bundle to this peer must be a snapshot."""
    return f"sync_snapshot_due:{peer_key_id}"


def recipient_scope(identity: Identity) -> uuid.UUID | None:
    """The centre whose records a recipient may receive; None for a delegation (all)."""
    return centre_id(identity.code) if identity.role == "centre" else None


def coverage(uow: UnitOfWork) -> dict[str, int]:
    """How far this replica holds each origin's changes: its own site id's entirely, a
    retired one's up to the first it lacks, the others as far as bundles covered them."""
    site = uow.session.scalars(select(Site)).one()
    held = {row.origin_site: row.seq for row in uow.session.scalars(select(SyncCoverage))}
    own = [site.site_id, *filter(None, site.retired_site_ids.split(","))]
    for origin in own:
        last = _newest(uow, origin)
        # A retired site id's changes may have come back in part, through others, to a
        # copy put back from before them: claimed whole, the rest would never be sent.
        held[origin] = last if origin == site.site_id else _unbroken(uow, origin, last)
    held.pop(GENESIS_SITE, None)
    return held


def _newest(uow: UnitOfWork, origin: str) -> int:
    """The number of ``origin``'s newest change this replica holds (0: none)."""
    return int(
        uow.session.scalar(
            select(func.max(ChangeLog.origin_seq)).where(ChangeLog.origin_site == origin)
        )
        or 0
    )


def _unbroken(uow: UnitOfWork, origin: str, last: int) -> int:
    """How many of ``origin``'s changes this replica holds from the first without a gap
    (``last`` is the newest held): a few counts of the log's key, halving the range."""

    def held_up_to(seq: int) -> int:
        return int(
            uow.session.scalar(
                select(func.count())
                .select_from(ChangeLog)
                .where(ChangeLog.origin_site == origin, ChangeLog.origin_seq <= seq)
            )
            or 0
        )

    if held_up_to(last) == last:
        return last
    whole, broken = 0, last  # 1..whole all held; 1..broken not
    while broken - whole > 1:
        middle = (whole + broken) // 2
        if held_up_to(middle) == middle:
            whole = middle
        else:
            broken = middle
    return whole


def last_held(uow: UnitOfWork) -> dict[str, int]:
    """The newest change this replica holds of each origin, past any gap in its coverage:
    a change that came after a gap is passed on too, since the changes before it may be
    lost for good (a laptop restored from an older copy before it sent them). Found origin
    by origin with the log's key (a seek each), not by reading the log."""
    found: dict[str, int] = {}
    origin = uow.session.scalar(select(func.min(ChangeLog.origin_site)))
    while origin is not None:
        found[origin] = _newest(uow, origin)
        origin = uow.session.scalar(
            select(func.min(ChangeLog.origin_site)).where(ChangeLog.origin_site > origin)
        )
    found.pop(GENESIS_SITE, None)
    return found


def held_counts(uow: UnitOfWork, marks: dict[str, int]) -> dict[str, int]:
    """How many changes of each origin this replica holds up to its mark: the receipt's
    count check (a sender whose count differs has lost or never sent some)."""
    counts = {}
    for origin, seq in marks.items():
        counts[origin] = int(
            uow.session.scalar(
                select(func.count())
                .select_from(ChangeLog)
                .where(ChangeLog.origin_site == origin, ChangeLog.origin_seq <= seq)
            )
            or 0
        )
    return counts


def _acknowledged(uow: UnitOfWork, peer_key_id: str) -> dict[str, int]:
    rows = uow.session.scalars(
        select(SyncPeerOrigin).where(SyncPeerOrigin.peer_key_id == peer_key_id)
    )
    return {row.origin_site: row.acked_seq for row in rows}


def _changes(
    uow: UnitOfWork,
    ranges: dict[str, tuple[int, int]],
    *,
    scope: uuid.UUID | None = None,
    shared_only: bool = False,
) -> Iterator[list[Any]]:
    storage = Storage(uow.session)
    for origin, (after, upto) in sorted(ranges.items()):
        last = after
        while last < upto:
            records = storage.log_range(
                origin, after=last, upto=upto, scope=scope, shared_only=shared_only, limit=BATCH
            )
            if not records:
                break
            yield from records
            last = records[-1][1]


def revoked_keys(uow: UnitOfWork) -> list[dict[str, Any]]:
    """The keys this register stopped trusting, as a delegation tells its centres."""
    rows = uow.session.scalars(
        select(TrustedKey).where(TrustedKey.revoked_ms.is_not(None)).order_by(TrustedKey.key_id)
    )
    return [{"key_id": row.key_id, "code": row.code, "revoked_ms": row.revoked_ms} for row in rows]


def _write(
    uow: UnitOfWork,
    *,
    keys: UnlockedKeys,
    recipients: list[Identity],
    kind: str,
    origins: dict[str, tuple[int, int]],
    changes: Iterator[list[Any]],
    most: int,
    path: Path,
    progress: Progress | None,
) -> Exported:
    """Compress ``changes``, sign and seal them to ``recipients``, write ``path``, record
    the export. ``origins`` are the spans the bundle claims to cover whole."""
    site = uow.session.scalars(select(Site)).one()
    held = coverage(uow)
    tables: dict[str, int] = {}

    def counted() -> Iterator[list[Any]]:
        for number, change in enumerate(changes, start=1):
            tables[change[2]] = tables.get(change[2], 0) + 1
            if progress is not None and number % BATCH == 0:
                progress.step(number, most)
            yield change

    records, count = record_stream.compress(counted())
    if kind == "delta" and not count:
        kind = "receipt"
    bundle_id = new_id().hex
    created = _now_ms()
    stream_key = bundle.new_stream_key()
    header = bundle.Header(
        bundle_id=bundle_id,
        kind=kind,
        sender_key_id=keys.identity.key_id,
        sender_role=keys.identity.role,
        sender_code=keys.identity.code,
        created_ms=created,
        sealed_keys={r.key_id: bundle.seal_key(stream_key, r) for r in recipients},
    )
    manifest = {
        "format_version": bundle.FORMAT_VERSION,
        "min_reader": bundle.MIN_READER,
        "schema": HEAD,
        "app_version": __version__,
        "bundle_id": bundle_id,
        "kind": kind,
        "sender": {
            "key_id": keys.identity.key_id,
            "role": keys.identity.role,
            "code": keys.identity.code,
            "site_id": site.site_id,
            "retired_site_ids": list(filter(None, site.retired_site_ids.split(","))),
        },
        "recipients": sorted(r.key_id for r in recipients),
        "origins": {origin: list(span) for origin, span in sorted(origins.items())},
        "tables": dict(sorted(tables.items())),
        "count": count,
        "clock": [site.hlc_wall, site.hlc_counter],
        "created_ms": created,
        # What the sender holds of every origin, and how many changes up to there.
        "holds": dict(sorted(held.items())),
        "held_counts": held_counts(uow, held),
    }
    if keys.identity.role == "delegation":
        # A stolen laptop's key, refused by every centre that trusted it directly.
        manifest["revoked"] = revoked_keys(uow)
    bundle.write(
        path, header=header, manifest=manifest, records=records, keys=keys, stream_key=stream_key
    )
    uow.session.add(
        SyncExport(
            bundle_id=bundle_id,
            # A reference bundle goes to many centres and is nobody's delta.
            recipient_key_id=recipients[0].key_id if kind != "reference" else MANY,
            kind=kind,
            exported_ms=created,
            changes=count,
        )
    )
    codes = ", ".join(sorted(r.code for r in recipients))
    return Exported(path, bundle_id, kind, codes, count, path.stat().st_size)


def export_bundle(
    uow: UnitOfWork,
    *,
    keys: UnlockedKeys,
    recipient: Identity,
    path: Path,
    snapshot: bool = False,
    progress: Progress | None = None,
) -> Exported:
    """Write a bundle for ``recipient`` to ``path``; record it as exported. It is a
    snapshot when asked, or when the recipient's last receipt failed the count check."""
    due = snapshot_due_key(recipient.key_id)
    if get_setting(uow.session, due):
        snapshot = True
        put_setting(uow.session, due, False)
    held = coverage(uow)
    acked = {} if snapshot else _acknowledged(uow, recipient.key_id)
    ranges = {
        origin: (acked.get(origin, 0), upto)
        for origin, upto in held.items()
        if origin != recipient.site_id and upto > acked.get(origin, 0)
    }
    # What travels: the ranges covered whole, and what this replica holds past a gap,
    # which the bundle carries without claiming to cover it.
    carried = {
        origin: (acked.get(origin, 0), last)
        for origin, last in last_held(uow).items()
        if origin != recipient.site_id and last > acked.get(origin, 0)
    }
    return _write(
        uow,
        keys=keys,
        recipients=[recipient],
        kind="snapshot" if snapshot else "delta",
        origins=ranges,
        changes=_changes(uow, carried, scope=recipient_scope(recipient)),
        # At most this many: the ranges, before a centre's are narrowed to its scope.
        most=sum(upto - after for after, upto in carried.values()),
        path=path,
        progress=progress,
    )


def export_reference(
    uow: UnitOfWork,
    *,
    keys: UnlockedKeys,
    recipients: list[Identity],
    path: Path,
    progress: Progress | None = None,
) -> Exported:
    """Write one reference bundle for many centres: the shared reference data whole
    (programme catalogue, territory, seasons) and the keys this delegation revoked.

    It covers no origin whole (a centre's own records and the delegation's corrections of
    them travel in that centre's deltas), so it moves no centre's coverage and any number
    of them can be imported in any order."""
    if keys.identity.role != "delegation":
        raise InputRejected(
            FieldError("reference", _("Only a delegation writes reference bundles."))
        )
    if not recipients:
        raise InputRejected(
            FieldError("to", _("This delegation trusts no centre yet: there is no one to send to."))
        )
    ranges = {origin: (0, upto) for origin, upto in coverage(uow).items()}
    return _write(
        uow,
        keys=keys,
        recipients=recipients,
        kind="reference",
        origins={},
        changes=_changes(uow, ranges, shared_only=True),
        most=sum(upto for _after, upto in ranges.values()),
        path=path,
        progress=progress,
    )


def default_recipient(uow: UnitOfWork) -> Identity | None:
    """A centre's one trusted delegation (the usual recipient), if there is exactly one."""
    rows = uow.session.scalars(
        select(TrustedKey).where(TrustedKey.role == "delegation", TrustedKey.revoked_ms.is_(None))
    ).all()
    if len(rows) != 1:
        return None
    row = rows[0]
    return Identity(row.role, row.code, row.name, row.site_id, row.sign_public, row.box_public)
