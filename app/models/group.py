"""A group (فوج/قسم): a programme in a season at a centre, with its weekly schedule."""

from __future__ import annotations

import uuid

from sqlalchemy import Integer, String, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, Synced


class Group(Synced, Base):
    __tablename__ = "study_group"

    centre_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    programme_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    season_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    name: Mapped[str] = mapped_column(String(100))
    educator_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    # Meeting days as weekday codes in week order, e.g. "mon,wed,fri".
    days: Mapped[str] = mapped_column(String(27))
    start_time: Mapped[str | None] = mapped_column(String(5))  # "09:00"
    end_time: Mapped[str | None] = mapped_column(String(5))
    capacity: Mapped[int | None] = mapped_column(Integer)
    room: Mapped[str | None] = mapped_column(String(60))
