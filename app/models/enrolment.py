"""Enrolment (تسجيل): a beneficiary in a group, from a date, until an outcome.

Its id is the UUIDv5 of (group, beneficiary): enrolling the same person in the same group
on two laptops makes one row; enrolling again after a dropout revives that row.
"""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import Date, Index, String, Text, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, Synced


class Enrolment(Synced, Base):
    __tablename__ = "enrolment"

    group_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    beneficiary_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    start_date: Mapped[dt.date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16), default="active")
    end_date: Mapped[dt.date | None] = mapped_column(Date)
    reason: Mapped[str | None] = mapped_column(Text)
    mention: Mapped[str | None] = mapped_column(String(60))

    # A group's sheet: each person's enrolment found in group and person order, and
    # whether she is on the sheet of a month read from the index alone.
    __table_args__ = (
        Index("ix_enrolment_sheet", group_id, beneficiary_id, status, start_date, end_date, "cl"),
    )
