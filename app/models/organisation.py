"""The centre, its partner association and its staff.

References between replicated rows are plain indexed UUID columns, not database foreign
keys: a sync bundle may bring a child before its parent (SYNC.md), and the row must be
kept, not refused. The services check references when a person writes.
"""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import Date, String, Text, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, Synced


class Centre(Synced, Base):
    __tablename__ = "centre"

    code: Mapped[str] = mapped_column(String(32), index=True)
    name_ar: Mapped[str] = mapped_column(String(200))
    name_fr: Mapped[str | None] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(32))
    province_code: Mapped[str] = mapped_column(String(16))
    commune_code: Mapped[str | None] = mapped_column(String(16))
    management_mode: Mapped[str] = mapped_column(String(16), default="direct")
    partner_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    address: Mapped[str | None] = mapped_column(Text)
    phone: Mapped[str | None] = mapped_column(String(20))


class PartnerAssociation(Synced, Base):
    __tablename__ = "partner_association"

    name_ar: Mapped[str] = mapped_column(String(200))
    name_fr: Mapped[str | None] = mapped_column(String(200))
    agreement_ref: Mapped[str | None] = mapped_column(String(64))
    agreement_start: Mapped[dt.date | None] = mapped_column(Date)
    agreement_end: Mapped[dt.date | None] = mapped_column(Date)
    phone: Mapped[str | None] = mapped_column(String(20))


class Staff(Synced, Base):
    __tablename__ = "staff"

    centre_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    family_name_ar: Mapped[str] = mapped_column(String(100))
    given_name_ar: Mapped[str] = mapped_column(String(100))
    family_name_latin: Mapped[str | None] = mapped_column(String(100))
    given_name_latin: Mapped[str | None] = mapped_column(String(100))
    role: Mapped[str] = mapped_column(String(16), default="educator")
    phone: Mapped[str | None] = mapped_column(String(20))
    cin: Mapped[str | None] = mapped_column(String(12))
