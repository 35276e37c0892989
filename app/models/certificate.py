"""Certificates issued, with their serial numbers, so a serial is never reused.

A certificate row keeps what was certified as it was signed (the holder's name, the
hours, the mention and the signed QR payload), so a reprint is the same certificate
marked "duplicate", even after the person's record or the attendance was corrected.
"""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import Date, Integer, String, Text, Uuid
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
    holder_name: Mapped[str | None] = mapped_column(String(200))
    hours: Mapped[int | None] = mapped_column(Integer)
    mention: Mapped[str | None] = mapped_column(String(60))
    # The text of the QR code, signature included: what a verifier reads back.
    payload: Mapped[str | None] = mapped_column(Text)
