"""Importing a bundle: check it whole, then merge it in one transaction, or change nothing.

Merge rules (SYNC.md):
- a row's state is the fold of every change known for it in clock order (wall, counter,
  origin site, number): each field takes its last written value (last writer wins per
  field) and the causal length takes the largest (odd alive, even deleted), so any order
  of arrival gives the same rows, and the tables can always be rebuilt from the log;
- a change already in the log is skipped, and the ledger makes a second import of the
  same bundle a no-op;
- a value that loses to a concurrent edit (one whose writer had not seen it) is written to
  the conflict log, so nothing vanishes silently;
- an edit of a row whose creation has not arrived (it was lost with an old backup) waits
  in the log, unstored, until the creation comes.

A bundle from a centre may hold only that centre's records and shared reference data; a
centre takes from its delegation only its own records and the shared ones. Anything else
refuses the bundle whole.
"""

from __future__ import annotations

import json
import time
import uuid
import zlib
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import islice
from operator import itemgetter
from pathlib import Path
from typing import Any, NamedTuple

from sqlalchemy import func, select, text

from app.i18n import _
from app.models import (
    MODEL_BY_TABLE,
    Beneficiary,
    ChangeLog,
    Site,
    SyncConflict,
    SyncCoverage,
    SyncImport,
    SyncPeerOrigin,
    TrustedKey,
    synced_columns,
)
from app.models.ids import natural_id
from app.services import keys as key_service
from app.services import search_index
from app.services.canonical import canonical_json
from app.services.centres import centre_id
from app.services.clock import HybridClock, Timestamp
from app.services.context import get_setting, put_setting
from app.services.duplicates import find_candidates
from app.services.merging import follow_merges
from app.services.progress import Progress
from app.services.unit_of_work import UnitOfWork
from app.sync import bundle
from app.sync.bulk import Key, Storage
from app.sync.bundle import BundleRejected
from app.sync.export import GENESIS_SITE, snapshot_due_key
from app.sync.records import RECORD_FIELDS

BATCH = 5_000
# Rows whose changes came before their creation: kept in the log, not stored until whole.
WAITING = "sync_waiting_rows"
CLOCK_WARNING = "sync_clock_warning"


@dataclass(frozen=True)
class Imported:
    bundle_id: str
    kind: str
    sender: str
    changes: int
    applied: int
    duplicates: int
    conflicts: int
    already_imported: bool
    clock_ahead: bool
    possible_duplicates: int = 0
    # Keys the delegation said it revoked, that this register trusted until now.
    revoked: int = 0


class _Change(NamedTuple):
    """One change: RECORD_FIELDS in order (row id and scope as storage keys), then the
    fields decoded when it came from a bundle (parsed once, used twice)."""

    origin_site: str
    origin_seq: int
    table_name: str
    row_id: Key
    cl: int
    hlc_wall: int
    hlc_counter: int
    base_wall: int
    base_counter: int
    scope: Key | None
    fields: str
    parsed: dict[str, Any] | None = None

    def values(self) -> dict[str, Any]:
        return self.parsed if self.parsed is not None else json.loads(self.fields)

    @property
    def order(self) -> tuple[int, int, str, int]:
        return (self.hlc_wall, self.hlc_counter, self.origin_site, self.origin_seq)


def _now_ms() -> int:
    return time.time_ns() // 1_000_000


def _damaged() -> BundleRejected:
    return BundleRejected(_("This bundle is damaged."))


# The fields are canonical JSON (no spaces): the decoder's raw step, without the search
# for surrounding whitespace that json.loads makes around it.
_decode = json.JSONDecoder().raw_decode


def _parse(
    record: Sequence[Any], *, key: Callable[[str], Key], scope_key: Callable[[str], Key]
) -> _Change:
    try:
        (origin_site, seq, table_name, row_id, cl, wall, counter, base_wall, base_counter) = record[
            :9
        ]
        scope, fields = record[9:]
        parsed, end = _decode(fields)
        if not isinstance(parsed, dict) or end != len(fields):
            raise ValueError
        return _Change(
            str(origin_site),
            int(seq),
            str(table_name),
            key(row_id),
            int(cl),
            int(wall),
            int(counter),
            int(base_wall),
            int(base_counter),
            None if scope is None else scope_key(scope),
            fields,
            parsed,
        )
    except (ValueError, TypeError, KeyError, AttributeError):
        raise _damaged() from None


def _batches(changes: Iterable[_Change], size: int) -> Iterator[list[_Change]]:
    iterator = iter(changes)
    while batch := list(islice(iterator, size)):
        yield batch


def _by_order(change: _Change) -> tuple[int, int, str, int]:
    return change.order


class _Merge:
    """The merge of one bundle inside one unit of work."""

    def __init__(self, uow: UnitOfWork, *, allowed_scopes: set[uuid.UUID | None] | None) -> None:
        self.uow = uow
        self.session = uow.session
        self.storage = Storage(uow.session)
        self.allowed_scopes = (
            None
            if allowed_scopes is None
            else {None if s is None else self.storage.key_of(s) for s in allowed_scopes}
        )
        self.applied = self.duplicates = self.conflicts = 0
        # The newest clock among the changes applied, as (wall, counter).
        self.newest_clock = (0, 0)
        self.beneficiaries: set[Key] = set()
        self.waiting = {self.storage.key(text) for text in get_setting(self.session, WAITING, [])}
        self.was_waiting = set(self.waiting)

    @property
    def newest(self) -> Timestamp:
        return Timestamp(*self.newest_clock)

    def parse(self, record: Sequence[Any]) -> _Change:
        return _parse(record, key=self.storage.key, scope_key=self.storage.scope_key)

    def beneficiary_ids(self) -> set[uuid.UUID]:
        """The people this bundle brought or changed."""
        return {self.storage.uuid_of(key) for key in self.beneficiaries}

    def run(self, changes: Iterable[_Change], *, progress: Progress | None, total: int) -> None:
        done = 0
        for batch in _batches(changes, BATCH):
            fresh = self._log(batch)
            self._materialise(fresh)
            done += len(batch)
            if progress is not None:
                progress.step(done, total)
        if self.beneficiaries:
            search_index.refresh(self.session, self.beneficiary_ids())
        if self.waiting != self.was_waiting:
            put_setting(
                self.session,
                WAITING,
                sorted(str(self.storage.uuid_of(key)) for key in self.waiting),
            )

    def _log(self, batch: list[_Change]) -> list[_Change]:
        """Append the changes not already in the log; return them."""
        by_origin: dict[str, list[int]] = defaultdict(list)
        allowed = self.allowed_scopes
        for change in batch:
            if allowed is not None and change.scope not in allowed:
                raise BundleRejected(
                    _("This bundle holds records of another centre: it is refused.")
                )
            if change.origin_site == GENESIS_SITE:
                raise _damaged()
            by_origin[change.origin_site].append(change.origin_seq)
        known: set[tuple[str, int]] = set()
        for origin, seqs in by_origin.items():
            known.update((origin, seq) for seq in self.storage.known_seqs(origin, seqs))
        fresh, seen = [], set()
        newest = self.newest_clock
        for change in batch:
            key = (change.origin_site, change.origin_seq)
            if key in known or key in seen:
                self.duplicates += 1
                continue
            seen.add(key)
            fresh.append(change)
            if (change.hlc_wall, change.hlc_counter) > newest:
                newest = (change.hlc_wall, change.hlc_counter)
        self.newest_clock = newest
        # The first eleven fields are the log's columns, keys already as stored.
        self.storage.insert(ChangeLog.__table__, RECORD_FIELDS, [c[:11] for c in fresh])
        self.applied += len(fresh)
        return fresh

    def _materialise(self, fresh: list[_Change]) -> None:
        by_table: dict[str, dict[Key, list[_Change]]] = defaultdict(lambda: defaultdict(list))
        for change in fresh:
            by_table[change.table_name][change.row_id].append(change)
        for table_name, rows in by_table.items():
            model = MODEL_BY_TABLE.get(table_name)
            if model is None:
                # A table of a newer Sijill: the changes stay in the log and are relayed.
                continue
            self._materialise_table(model, rows)

    def _materialise_table(self, model: type, rows: dict[Key, list[_Change]]) -> None:
        table = model.__table__
        ids = list(rows)
        existing = self.storage.existing(table, ids)
        history: dict[Key, list[_Change]] = defaultdict(list)
        # A stored row, or one with changes waiting for its creation: fold the whole log.
        old = [row_id for row_id in ids if row_id in existing or row_id in self.waiting]
        for entry in self.storage.history(old):
            history[entry[3]].append(_Change(*entry))
        names = synced_columns(table)
        columns = {n: table.columns[n] for n in names}
        convert = self.storage.converters(table, [n for n in names if n not in ("id", "cl")])
        required = {n for n, c in columns.items() if not c.nullable and c.default is None}
        inserts, updates = [], []
        for row_id, incoming in rows.items():
            entries = history.get(row_id, incoming)
            if len(entries) > 1:
                entries = sorted(entries, key=_by_order)
            state = self._fold(row_id, entries, convert)
            if row_id in existing:
                self.waiting.discard(row_id)
                self._detect_conflicts(table.name, row_id, entries, incoming)
                updates.append(state)
            elif not required.issubset(state):
                # An edit of a row whose creation has not arrived: it cannot be stored yet.
                self.waiting.add(row_id)
                continue
            else:
                if row_id in self.waiting:
                    self.waiting.discard(row_id)
                    self._detect_conflicts(table.name, row_id, entries, incoming)
                inserts.append(state)
            if model is Beneficiary:
                self.beneficiaries.add(row_id)
        if model is Beneficiary:
            for state in inserts + updates:
                state["sort_key"] = search_index.sort_key(
                    state.get("family_name_ar"), state.get("given_name_ar")
                )
        if inserts:
            defaults = {
                name: column.default.arg
                if column.default is not None and column.default.is_scalar
                else None
                for name, column in columns.items()
            }
            order = [*columns, *(["sort_key"] if model is Beneficiary else [])]
            pick = itemgetter(*order)
            self.storage.insert(table, order, [pick(defaults | s) for s in inserts])
        # Each update names the fields its row has; group them so one statement serves
        # a group.
        groups: dict[tuple[str, ...], list[dict[str, Any]]] = defaultdict(list)
        for state in updates:
            groups[tuple(sorted(name for name in state if name != "id"))].append(state)
        for fields_, states in groups.items():
            self.storage.update(
                table, fields_, [(*(s[n] for n in fields_), s["id"]) for s in states]
            )

    @staticmethod
    def _fold(
        row_id: Key, entries: list[_Change], convert: dict[str, Callable[[Any], Any]]
    ) -> dict[str, Any]:
        """The row as its changes in clock order leave it, in stored values."""
        state: dict[str, Any] = {"id": row_id}
        cl = 0
        for change in entries:
            for name, value in change.values().items():
                converter = convert.get(name)
                if converter is not None:
                    state[name] = converter(value)
            if change.cl > cl:
                cl = change.cl
        state["cl"] = cl
        return state

    def _detect_conflicts(
        self, table_name: str, row_key: Key, entries: list[_Change], incoming: list[_Change]
    ) -> None:
        """A value lost to a concurrent edit: the winner's writer had not seen it."""
        row_id = self.storage.uuid_of(row_key)
        fresh = {(c.origin_site, c.origin_seq) for c in incoming}
        writes: dict[str, list[tuple[_Change, Any]]] = defaultdict(list)
        for change in entries:
            for name, value in change.values().items():
                writes[name].append((change, value))
        for name, written in writes.items():
            winner, kept = written[-1]
            for change, value in written[:-1]:
                if value == kept or change.origin_site == winner.origin_site:
                    continue
                if (change.origin_site, change.origin_seq) not in fresh and (
                    winner.origin_site,
                    winner.origin_seq,
                ) not in fresh:
                    continue
                if (winner.base_wall, winner.base_counter) >= (change.hlc_wall, change.hlc_counter):
                    continue  # the winner was written over this value knowingly
                conflict_id = natural_id(
                    "conflict", row_id, name, change.origin_site, change.origin_seq
                )
                if self.session.get(SyncConflict, conflict_id) is not None:
                    continue
                self.session.add(
                    SyncConflict(
                        id=conflict_id,
                        table_name=table_name,
                        row_id=row_id,
                        field=name,
                        lost_value=canonical_json(value),
                        kept_value=canonical_json(kept),
                        lost_site=change.origin_site,
                        kept_site=winner.origin_site,
                        lost_wall=change.hlc_wall,
                        kept_wall=winner.hlc_wall,
                        detected_ms=_now_ms(),
                        seen=0,
                    )
                )
                self.conflicts += 1


def _allowed_scopes(
    uow: UnitOfWork, sender: key_service.Identity, *, kind: str
) -> set[uuid.UUID | None] | None:
    """Which scopes the sender may send here; None for any."""
    if kind == "reference":
        if sender.role != "delegation":
            raise BundleRejected(
                _("Only a delegation sends reference bundles: this one is refused.")
            )
        return {None}
    if sender.role == "centre":
        return {centre_id(sender.code), None}
    site = uow.session.scalars(select(Site)).one()
    if site.kind == "centre" and site.centre_id is not None:
        return {site.centre_id, None}
    return None


def _apply_revocations(uow: UnitOfWork, manifest: dict[str, Any], *, sender: str) -> int:
    """A delegation's word that it stopped trusting some keys (a stolen laptop): this
    register stops trusting them too. Returns how many it trusted until now."""
    revoked = 0
    for entry in manifest.get("revoked", []):
        key_id = str(entry["key_id"])
        row = uow.session.get(TrustedKey, key_id)
        if row is None or row.revoked_ms is not None or key_id == sender:
            continue
        row.revoked_ms = int(entry["revoked_ms"])
        revoked += 1
    return revoked


def _record_coverage(uow: UnitOfWork, manifest: dict[str, Any], *, own: set[str]) -> None:
    """Advance this replica's coverage of each origin the bundle covered from where it
    already was (a bundle after a gap applies, but leaves the gap visible)."""
    for origin, span in manifest.get("origins", {}).items():
        after, upto = int(span[0]), int(span[1])
        if origin in own or origin == GENESIS_SITE:
            continue
        row = uow.session.get(SyncCoverage, origin)
        if row is None:
            if after == 0:
                uow.session.add(SyncCoverage(origin_site=origin, seq=upto))
        elif after <= row.seq < upto:
            row.seq = upto


def _record_acknowledgements(
    uow: UnitOfWork, manifest: dict[str, Any], *, peer: str, sent_ms: int
) -> None:
    """What the sender holds becomes what the next delta to it can leave out. A later
    receipt replaces an earlier one, even downwards (the peer restored an old copy), so the
    next delta sends again what it lost; an origin it no longer names at all, it lost
    whole."""
    holds = manifest.get("holds", {})
    for row in uow.session.scalars(
        select(SyncPeerOrigin).where(SyncPeerOrigin.peer_key_id == peer)
    ):
        if row.origin_site not in holds and sent_ms >= row.acked_ms:
            row.acked_seq, row.acked_ms = 0, sent_ms
    for origin, seq in holds.items():
        row = uow.session.get(SyncPeerOrigin, (peer, origin))
        if row is None:
            uow.session.add(
                SyncPeerOrigin(
                    peer_key_id=peer, origin_site=origin, acked_seq=int(seq), acked_ms=sent_ms
                )
            )
        elif sent_ms >= row.acked_ms:
            row.acked_seq, row.acked_ms = int(seq), sent_ms


def _counts_disagree(uow: UnitOfWork, manifest: dict[str, Any], *, own: set[str]) -> bool:
    """The receipt's count check: the peer says it holds this replica's changes up to
    some number, and how many; fewer than this replica has up to there means some were
    lost on the way or there, and the next bundle to it must be a snapshot."""
    holds, counts = manifest.get("holds", {}), manifest.get("held_counts", {})
    for origin in own & holds.keys():
        have = uow.session.scalar(
            select(func.count())
            .select_from(ChangeLog)
            .where(ChangeLog.origin_site == origin, ChangeLog.origin_seq <= int(holds[origin]))
        )
        if int(counts.get(origin, -1)) != int(have or 0):
            return True
    return False


def import_bundle(
    uow: UnitOfWork, *, keys: key_service.UnlockedKeys, path: Path, progress: Progress | None = None
) -> Imported:
    """Check the bundle at ``path`` and merge it; BundleRejected (nothing changed) when it
    cannot be trusted or used."""
    with path.open("rb") as file:
        header, _raw = bundle.read_header(file)
    trusted = key_service.known_identity(uow, header.sender_key_id)
    if trusted is not None and trusted.revoked:
        raise BundleRejected(
            _("This bundle was signed by a key that was revoked ({code}): it is refused.").format(
                code=header.sender_code
            )
        )
    opened = bundle.open_bundle(path, keys=keys, sender=trusted.identity if trusted else None)
    assert trusted is not None
    manifest = opened.manifest
    sender = manifest.get("sender", {})
    if (
        manifest.get("bundle_id") != header.bundle_id
        or sender.get("key_id") != header.sender_key_id
        or keys.identity.key_id not in manifest.get("recipients", [])
    ):
        raise _damaged()
    if uow.session.get(SyncImport, header.bundle_id) is not None:
        return Imported(
            header.bundle_id,
            header.kind,
            header.sender_code,
            int(manifest.get("count", 0)),
            0,
            0,
            0,
            True,
            False,
        )
    site = uow.session.scalars(select(Site)).one()
    own = {site.site_id, *filter(None, site.retired_site_ids.split(","))}
    if uow.session.bind.dialect.name == "sqlite":
        # A bundle's rows land all over the indexes: a larger page cache for this
        # connection saves most of the reads (64 MiB; the default is 2).
        uow.session.execute(text("PRAGMA cache_size = -65536"))
    merge = _Merge(uow, allowed_scopes=_allowed_scopes(uow, trusted.identity, kind=header.kind))
    changes = (merge.parse(record) for record in opened.changes())
    try:
        merge.run(changes, progress=progress, total=int(manifest.get("count", 0)))
    except (ValueError, KeyError, TypeError, UnicodeDecodeError, zlib.error):
        raise _damaged() from None
    clock = HybridClock(site.hlc_wall, site.hlc_counter, physical=uow.register.physical_clock)
    ahead = clock.observe(merge.newest) if merge.applied else False
    site.hlc_wall, site.hlc_counter = clock.last.wall, clock.last.counter
    if ahead:
        put_setting(
            uow.session, CLOCK_WARNING, {"sender": header.sender_code, "wall": merge.newest.wall}
        )
    # After the clock moved past the bundle's: a pair found here is a change made here.
    found = find_candidates(uow, merge.beneficiary_ids()) if merge.beneficiaries else 0
    # Rows a laptop wrote for someone merged away before it heard of the merge.
    follow_merges(uow)
    _record_coverage(uow, manifest, own=own)
    revoked = 0
    if trusted.identity.role == "delegation":
        try:
            revoked = _apply_revocations(uow, manifest, sender=header.sender_key_id)
        except (KeyError, TypeError, ValueError):
            raise _damaged() from None
    # The newest word from this peer before this bundle: an older bundle replayed late
    # must not put back what a newer one said (its site id, its acknowledgements).
    latest = uow.session.scalar(
        select(func.max(SyncPeerOrigin.acked_ms)).where(
            SyncPeerOrigin.peer_key_id == header.sender_key_id
        )
    )
    _record_acknowledgements(uow, manifest, peer=header.sender_key_id, sent_ms=header.created_ms)
    if _counts_disagree(uow, manifest, own=own):
        put_setting(uow.session, snapshot_due_key(header.sender_key_id), True)
    trusted_row = uow.session.get(TrustedKey, header.sender_key_id)
    newest = latest is None or header.created_ms >= latest
    if trusted_row is not None and isinstance(sender.get("site_id"), str) and newest:
        trusted_row.site_id = sender["site_id"]
    uow.session.add(
        SyncImport(
            bundle_id=header.bundle_id,
            sender_key_id=header.sender_key_id,
            kind=header.kind,
            digest=opened.digest,
            imported_ms=_now_ms(),
            changes=int(manifest.get("count", 0)),
            applied=merge.applied,
        )
    )
    return Imported(
        header.bundle_id,
        header.kind,
        header.sender_code,
        int(manifest.get("count", 0)),
        merge.applied,
        merge.duplicates,
        merge.conflicts,
        False,
        ahead,
        found,
        revoked,
    )
