"""Where the exchanges stand, in plain words: what was sent, what the other side confirmed,
what is still waiting, and what needs a person (conflicts, a wrong clock)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select

from app.i18n import _, format_datetime
from app.models import ChangeLog, Site, SyncConflict, SyncExport, SyncImport, SyncPeerOrigin
from app.services import keys
from app.services.context import get_setting, put_setting
from app.services.unit_of_work import UnitOfWork
from app.sync.import_ import CLOCK_WARNING


@dataclass(frozen=True)
class PeerState:
    key_id: str
    role: str
    code: str
    name: str
    revoked: bool
    # How many of this register's own changes the peer confirmed, and when the last of
    # them was made here (None: nothing confirmed yet).
    confirmed: int
    confirmed_up_to: dt.datetime | None
    pending: int
    last_export: dt.datetime | None
    last_import: dt.datetime | None


@dataclass(frozen=True)
class SyncStatus:
    role: str
    own_changes: int
    peers: list[PeerState]
    open_conflicts: int
    clock_warning: str | None


def _moment(ms: int | None) -> dt.datetime | None:
    return dt.datetime.fromtimestamp(ms / 1000, tz=dt.UTC) if ms else None


def sync_status(uow: UnitOfWork) -> SyncStatus:
    site = uow.session.scalars(select(Site)).one()
    # This register's changes were made under its current site id and, before a copy or
    # a restore gave it a new one, under its retired ones: all of them are its own.
    last_seqs = {
        origin: int(
            uow.session.scalar(
                select(func.max(ChangeLog.origin_seq)).where(ChangeLog.origin_site == origin)
            )
            or 0
        )
        for origin in (site.site_id, *filter(None, site.retired_site_ids.split(",")))
    }
    peers = []
    for trusted in keys.trusted_identities(uow):
        identity = trusted.identity
        confirmed = pending = 0
        made: int | None = None
        for origin, last_seq in last_seqs.items():
            ack = uow.session.get(SyncPeerOrigin, (identity.key_id, origin))
            acked = min(ack.acked_seq, last_seq) if ack else 0
            confirmed += acked
            pending += last_seq - acked
            if acked:
                wall = uow.session.scalar(
                    select(ChangeLog.hlc_wall).where(
                        ChangeLog.origin_site == origin, ChangeLog.origin_seq == acked
                    )
                )
                if wall is not None and (made is None or wall > made):
                    made = wall
        exported = uow.session.scalar(
            select(func.max(SyncExport.exported_ms)).where(
                SyncExport.recipient_key_id == identity.key_id
            )
        )
        imported = uow.session.scalar(
            select(func.max(SyncImport.imported_ms)).where(
                SyncImport.sender_key_id == identity.key_id
            )
        )
        peers.append(
            PeerState(
                key_id=identity.key_id,
                role=identity.role,
                code=identity.code,
                name=identity.name,
                revoked=trusted.revoked,
                confirmed=confirmed,
                confirmed_up_to=_moment(made),
                pending=pending,
                last_export=_moment(exported),
                last_import=_moment(imported),
            )
        )
    conflicts = int(
        uow.session.scalar(
            select(func.count()).select_from(SyncConflict).where(SyncConflict.seen == 0)
        )
        or 0
    )
    warning = get_setting(uow.session, CLOCK_WARNING)
    return SyncStatus(
        role=site.kind,
        own_changes=sum(last_seqs.values()),
        peers=peers,
        open_conflicts=conflicts,
        clock_warning=str(warning["sender"]) if isinstance(warning, dict) else None,
    )


def _sentence(text: str) -> str:
    """A sentence starts with a capital, also when it starts with "the delegation"."""
    return text[:1].upper() + text[1:]


def describe_peer(peer: PeerState) -> list[str]:
    """Where the exchanges with one trusted register stand, in sentences."""
    who = _("the delegation") if peer.role == "delegation" else peer.name
    if peer.revoked:
        return [_sentence(_("{who}: key revoked.").format(who=who))]
    lines = []
    if peer.confirmed_up_to is not None:
        lines.append(
            _("{who} has your data up to {moment}.").format(
                who=who, moment=format_datetime(peer.confirmed_up_to)
            )
        )
    else:
        lines.append(_("{who} has not confirmed any of your data yet.").format(who=who))
    if peer.pending:
        lines.append(_("Waiting to be sent: {count} changes.").format(count=peer.pending))
    else:
        lines.append(_("Nothing is waiting to be sent."))
    if peer.last_export is not None:
        lines.append(
            _("Last bundle written: {moment}.").format(moment=format_datetime(peer.last_export))
        )
    if peer.last_import is not None:
        lines.append(
            _("Last bundle received: {moment}.").format(moment=format_datetime(peer.last_import))
        )
    return [_sentence(line) for line in lines]


def clock_sentence(sender: str) -> str:
    return _(
        "A bundle from {sender} came with a clock far ahead: check this laptop's date."
    ).format(sender=sender)


def describe(state: SyncStatus) -> list[str]:
    """The status as sentences a coordinator reads."""
    if not state.peers:
        return [
            _(
                "This register does not exchange with anyone yet: export its identity "
                "(keys export) and trust the other side's (keys trust)."
            )
        ]
    lines = [line for peer in state.peers for line in describe_peer(peer)]
    if state.open_conflicts:
        lines.append(
            _("{count} values were replaced by a concurrent edit: see the conflicts.").format(
                count=state.open_conflicts
            )
        )
    if state.clock_warning:
        lines.append(clock_sentence(state.clock_warning))
    return lines


def clear_clock_warning(uow: UnitOfWork) -> None:
    """The coordinator checked this laptop's date: the clock warning goes away (until a
    bundle comes with a clock far ahead again)."""
    put_setting(uow.session, CLOCK_WARNING, None)
