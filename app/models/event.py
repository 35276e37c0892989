"""Events (seminars, awareness days) and the people who took part or spoke."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import Date, String, Text, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, Synced


class Event(Synced, Base):
    __tablename__ = "event"

    centre_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    kind: Mapped[str] = mapped_column(String(20))
    title_ar: Mapped[str] = mapped_column(String(200))
    title_fr: Mapped[str | None] = mapped_column(String(200))
    date: Mapped[dt.date] = mapped_column(Date)
    place: Mapped[str | None] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text)


class EventParticipant(Synced, Base):
    """A beneficiary (id) or a guest (name) at an event, as participant or speaker."""

    __tablename__ = "event_participant"

    event_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    beneficiary_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, index=True)
    guest_name: Mapped[str | None] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(16), default="participant")
    organisation: Mapped[str | None] = mapped_column(String(200))
