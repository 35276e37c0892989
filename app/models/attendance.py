"""Sessions a group meets, and each enrolled beneficiary's attendance at them.

Both have natural keys: a session is (group, date, slot), an attendance mark is
(session, beneficiary). Their UUIDv5 ids make concurrent marking on two laptops meet in
one row instead of two.
"""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import Date, Index, Integer, String, Text, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, Synced


class Session(Synced, Base):
    __tablename__ = "session"

    group_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    date: Mapped[dt.date] = mapped_column(Date, index=True)
    slot: Mapped[int] = mapped_column(Integer, default=1)
    status: Mapped[str] = mapped_column(String(16), default="planned")
    reason: Mapped[str | None] = mapped_column(Text)

    # A group's sessions of a month are one range.
    __table_args__ = (Index("ix_session_group_date", group_id, date),)


class Attendance(Synced, Base):
    __tablename__ = "attendance"

    session_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    beneficiary_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    status: Mapped[str] = mapped_column(String(8))

    # A session's marks, all that each says read from the index alone: a month's
    # attendance is summed up without looking up its rows.
    __table_args__ = (
        Index("ix_attendance_session_marks", session_id, status, beneficiary_id, "cl"),
    )
