"""Certificates issued, with their serial numbers, so a serial is never reused."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import Date, Integer, String, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, Synced


class Certificate(Synced, Base):
    __tablename__ = "certificate"

    centre_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    serial: Mapped[str] = mapped_column(String(32), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    beneficiary_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, index=True)
    enrolment_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    participant_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    issued_on: Mapped[dt.date] = mapped_column(Date)
    place: Mapped[str | None] = mapped_column(String(100))
    print_count: Mapped[int] = mapped_column(Integer, default=1)
