"""Possible duplicates: two records that may be one person, waiting for a person to decide.

Found when records meet (a bundle brings a beneficiary whose CIN, or whose name and birth
date, another one already has), never merged silently. The id comes from the sorted pair,
so two places that find the same pair make one row; a merge closes it and names the
record kept. Replicated: within a centre's scope when both people are of one centre; a
pair across centres stays with the delegation.
"""

from __future__ import annotations

import uuid

from sqlalchemy import String, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, Synced


class DuplicateCandidate(Synced, Base):
    __tablename__ = "duplicate_candidate"

    # The pair in id order: the older record first.
    first_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    second_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    reason: Mapped[str] = mapped_column(String(16))  # cin | name_birth
    status: Mapped[str] = mapped_column(String(16), default="open")  # open | invalid | merged
    # The centre of both people; None for a pair across two centres (delegation only).
    centre_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, index=True)
    # Once merged: the one of the two that was kept (the other is a tombstone). Rows that
    # arrive later for the other one follow it here (app/services/merging.py).
    kept_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
