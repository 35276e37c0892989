"""Reference territory: regions, provinces and prefectures, circles and communes.

The 12 regions and 75 provinces/prefectures ship with Sijill (first migration); communes
come down from the delegation or are added by a coordinator. Ids are UUIDv5 of the
official geographic code, so every replica names a commune the same way.
"""

from __future__ import annotations

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, Synced


class TerritoryUnit(Synced, Base):
    __tablename__ = "territory_unit"

    code: Mapped[str] = mapped_column(String(16), index=True)
    parent_code: Mapped[str | None] = mapped_column(String(16), index=True)
    # region | province | prefecture | circle | commune
    level: Mapped[str] = mapped_column(String(16))
    name_fr: Mapped[str] = mapped_column(String(120))
    name_ar: Mapped[str] = mapped_column(String(120))
    # urban | rural, for communes
    area: Mapped[str | None] = mapped_column(String(8))
