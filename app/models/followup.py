"""Follow-up after training (التتبع بعد التكوين): what became of a graduate."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import Date, String, Text, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, Synced


class FollowUp(Synced, Base):
    __tablename__ = "follow_up"

    beneficiary_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    enrolment_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, index=True)
    date: Mapped[dt.date] = mapped_column(Date)
    outcome: Mapped[str] = mapped_column(String(20))
    organisation: Mapped[str | None] = mapped_column(String(200))
    details: Mapped[str | None] = mapped_column(Text)
