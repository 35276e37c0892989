"""Centre closures: days the whole centre is shut (a vacation, a strike, a weather alert).

A closure is one replicated row (its centre, first and last day, why), not a cancelled
session per group: every group's calendar reads it, so groups opened after it was
entered skip those days too, and removing it (a soft delete) brings their sessions back.
It carries its centre, so sync gives it to that centre's laptops and the delegation only.
"""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import Date, Text, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, Synced


class Closure(Synced, Base):
    __tablename__ = "centre_closure"

    centre_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    first_day: Mapped[dt.date] = mapped_column(Date)
    last_day: Mapped[dt.date] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(Text)
