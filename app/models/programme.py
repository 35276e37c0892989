"""The programme catalogue and the seasons groups run in.

Catalogue programmes and seasons have natural keys (programme code, season label) and so
UUIDv5 ids: the delegation and every centre that knows "literacy level 1" or "2025-2026"
name it with the same id.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, Synced


class Programme(Synced, Base):
    __tablename__ = "programme"

    code: Mapped[str] = mapped_column(String(32), index=True)
    name_ar: Mapped[str] = mapped_column(String(200))
    name_fr: Mapped[str] = mapped_column(String(200))
    centre_kind: Mapped[str] = mapped_column(String(32))
    planned_hours: Mapped[int | None] = mapped_column(Integer)
    min_age: Mapped[int | None] = mapped_column(Integer)
    max_age: Mapped[int | None] = mapped_column(Integer)


class Season(Synced, Base):
    __tablename__ = "season"

    label: Mapped[str] = mapped_column(String(9), index=True)  # "2025-2026"
    start_date: Mapped[dt.date] = mapped_column(Date)
    end_date: Mapped[dt.date] = mapped_column(Date)
