"""The beneficiary (مستفيد/ة): identity, contact, social situation and consent."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import Date, String, Text, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, Synced


class Beneficiary(Synced, Base):
    __tablename__ = "beneficiary"

    centre_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    family_name_ar: Mapped[str] = mapped_column(String(100))
    given_name_ar: Mapped[str] = mapped_column(String(100))
    family_name_latin: Mapped[str | None] = mapped_column(String(100))
    given_name_latin: Mapped[str | None] = mapped_column(String(100))
    sex: Mapped[str] = mapped_column(String(1))
    birth_date: Mapped[dt.date] = mapped_column(Date)
    cin: Mapped[str | None] = mapped_column(String(12), index=True)
    phone: Mapped[str | None] = mapped_column(String(20))
    address: Mapped[str | None] = mapped_column(Text)
    commune_code: Mapped[str | None] = mapped_column(String(16))
    area: Mapped[str | None] = mapped_column(String(8))
    marital_status: Mapped[str | None] = mapped_column(String(16))
    education_level: Mapped[str | None] = mapped_column(String(16))
    disability: Mapped[str | None] = mapped_column(String(16))
    rsu_number: Mapped[str | None] = mapped_column(String(20))
    guardian_name: Mapped[str | None] = mapped_column(String(200))
    guardian_cin: Mapped[str | None] = mapped_column(String(12))
    guardian_phone: Mapped[str | None] = mapped_column(String(20))
    consent_date: Mapped[dt.date | None] = mapped_column(Date)
    notes: Mapped[str | None] = mapped_column(Text)
    # Normalised "family given" Arabic name: the list's sort order, derived locally.
    sort_key: Mapped[str | None] = mapped_column(String(200), index=True, info={"local": True})
