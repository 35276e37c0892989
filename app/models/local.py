"""Tables that belong to this database alone and are never replicated.

``site`` holds this replica's identity and clocks, ``change_log`` every change this
replica has made or received, ``setting`` local preferences, and
``beneficiary_search_token`` the derived index that makes Arabic-aware prefix search fast.
"""

from __future__ import annotations

import uuid

from sqlalchemy import BigInteger, Index, Integer, String, Text, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base

# PostgreSQL compares with the database collation unless told otherwise; prefix ranges on
# the token index need plain code-point order, which SQLite uses by default.
TOKEN = String(120).with_variant(String(120, collation="C"), "postgresql")
SORT_KEY = String(200).with_variant(String(200, collation="C"), "postgresql")
INITIAL = String(1).with_variant(String(1, collation="C"), "postgresql")
HEAD = String(2).with_variant(String(2, collation="C"), "postgresql")


class Site(Base):
    """This replica: its random site id, clocks and the last change number it used."""

    __tablename__ = "site"

    site_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))  # centre | delegation
    centre_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    province_code: Mapped[str | None] = mapped_column(String(16))
    hlc_wall: Mapped[int] = mapped_column(BigInteger, default=0)
    hlc_counter: Mapped[int] = mapped_column(Integer, default=0)
    last_seq: Mapped[int] = mapped_column(BigInteger, default=0)
    # Site ids this database used before a copy or restore was noticed, comma-separated.
    retired_site_ids: Mapped[str] = mapped_column(Text, default="")


class ChangeLog(Base):
    """One change to one row, keyed by where it was first made and its number there."""

    __tablename__ = "change_log"

    origin_site: Mapped[str] = mapped_column(String(32), primary_key=True)
    origin_seq: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    table_name: Mapped[str] = mapped_column(String(64))
    row_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    cl: Mapped[int] = mapped_column(Integer)
    # Changed fields and their new values, as canonical JSON (sorted keys).
    fields: Mapped[str] = mapped_column(Text)
    hlc_wall: Mapped[int] = mapped_column(BigInteger)
    hlc_counter: Mapped[int] = mapped_column(Integer)
    # The clock of the newest change of this row the writer knew when it wrote (0, 0 for
    # a new row): a later change whose base is older than this one's clock did not see
    # it, so the two are concurrent and the loser goes to the conflict log.
    base_wall: Mapped[int] = mapped_column(BigInteger, default=0)
    base_counter: Mapped[int] = mapped_column(Integer, default=0)
    # The centre whose records this change belongs to (None: shared reference data); a
    # centre receives only its own centre's changes and the shared ones.
    scope: Mapped[uuid.UUID | None] = mapped_column(Uuid, index=True)


class Setting(Base):
    """A local preference, stored as JSON text."""

    __tablename__ = "setting"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class BeneficiarySearchToken(Base):
    """One folded word of a living beneficiary's names, CIN or phone, for prefix search.

    The person's sort key rides along in the key, so a prefix range comes out of the index
    already carrying what the list is ordered by: no lookup of the people themselves
    before the first rows are known.
    """

    __tablename__ = "beneficiary_search_token"

    token: Mapped[str] = mapped_column(TOKEN, primary_key=True)
    sort_key: Mapped[str] = mapped_column(SORT_KEY, primary_key=True)
    beneficiary_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    # The token's first letter and first two letters: a one- or two-letter query is an
    # equality on one of them, and the indexes below hand its matches over already in
    # list order (no sort of tens of thousands of matches before the first page).
    initial: Mapped[str] = mapped_column(INITIAL)
    head: Mapped[str] = mapped_column(HEAD)

    __table_args__ = (
        Index("ix_beneficiary_search_token_initial", initial, sort_key, beneficiary_id),
        # The word too: a longer word is checked at the person's place in this index.
        Index("ix_beneficiary_search_token_head", head, sort_key, beneficiary_id, token),
        # A person's own words: found (and rewritten) when her names change.
        Index("ix_beneficiary_search_token_person", beneficiary_id, token),
    )
