"""Sessions a group meets, and each enrolled beneficiary's attendance at them.

Both have natural keys: a session is (group, date, slot), an attendance mark is
(session, beneficiary). Their UUIDv5 ids make concurrent marking on two laptops meet in
one row instead of two.
"""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import Date, Integer, String, Text, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, Synced


class Session(Synced, Base):
    __tablename__ = "session"

    group_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    date: Mapped[dt.date] = mapped_column(Date, index=True)
    slot: Mapped[int] = mapped_column(Integer, default=1)
    status: Mapped[str] = mapped_column(String(16), default="planned")
    reason: Mapped[str | None] = mapped_column(Text)


class Attendance(Synced, Base):
    __tablename__ = "attendance"

    session_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    beneficiary_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    status: Mapped[str] = mapped_column(String(8))
