"""What this replica knows about its exchanges with others. All local, never replicated.

``sync_import`` is the ledger of bundles applied (a second import is a no-op);
``sync_peer_origin`` how far each peer has acknowledged each origin's changes (what the
next delta to it must hold); ``sync_coverage`` how far this replica holds each origin's
changes (what its receipts acknowledge); ``sync_conflict`` the values that lost a
concurrent edit, kept for a person to see; ``sync_export`` the bundles written.
"""

from __future__ import annotations

import uuid

from sqlalchemy import BigInteger, Integer, String, Text, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base


class SyncImport(Base):
    __tablename__ = "sync_import"

    bundle_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    sender_key_id: Mapped[str] = mapped_column(String(64), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    digest: Mapped[str] = mapped_column(String(64))
    imported_ms: Mapped[int] = mapped_column(BigInteger)
    changes: Mapped[int] = mapped_column(Integer)
    applied: Mapped[int] = mapped_column(Integer)


class SyncExport(Base):
    __tablename__ = "sync_export"

    bundle_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    recipient_key_id: Mapped[str] = mapped_column(String(64), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    exported_ms: Mapped[int] = mapped_column(BigInteger)
    changes: Mapped[int] = mapped_column(Integer)


class SyncPeerOrigin(Base):
    """The peer ``peer_key_id`` holds every change of ``origin_site`` (in its scope) up to
    ``acked_seq``, as its last receipt said; ``acked_ms`` is when that receipt came."""

    __tablename__ = "sync_peer_origin"

    peer_key_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    origin_site: Mapped[str] = mapped_column(String(32), primary_key=True)
    acked_seq: Mapped[int] = mapped_column(BigInteger)
    acked_ms: Mapped[int] = mapped_column(BigInteger)


class SyncCoverage(Base):
    """This replica holds every change of ``origin_site`` in its scope up to ``seq``."""

    __tablename__ = "sync_coverage"

    origin_site: Mapped[str] = mapped_column(String(32), primary_key=True)
    seq: Mapped[int] = mapped_column(BigInteger)


class SyncConflict(Base):
    """A value that lost to a concurrent edit of the same field on another laptop."""

    __tablename__ = "sync_conflict"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    table_name: Mapped[str] = mapped_column(String(64))
    row_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    field: Mapped[str] = mapped_column(String(64))
    # Canonical JSON of the values.
    lost_value: Mapped[str] = mapped_column(Text)
    kept_value: Mapped[str] = mapped_column(Text)
    lost_site: Mapped[str] = mapped_column(String(32))
    kept_site: Mapped[str] = mapped_column(String(32))
    lost_wall: Mapped[int] = mapped_column(BigInteger)
    kept_wall: Mapped[int] = mapped_column(BigInteger)
    detected_ms: Mapped[int] = mapped_column(BigInteger)
    seen: Mapped[int] = mapped_column(Integer, default=0)
