"""Declarative base, naming convention and the mixin every replicated table wears.

A replicated ("synced") table has a UUID primary key made where the row is born
(UUIDv7, or UUIDv5 for rows with a natural identity), a causal length ``cl`` (odd: alive,
even: deleted) and no UNIQUE constraint, so that rows made on different laptops merge
instead of colliding. Local tables (the change log, the search index, settings) are plain.
A column marked ``info={"local": True}`` inside a synced table is derived locally and is
neither logged nor dumped.
"""

from __future__ import annotations

import uuid

from sqlalchemy import Integer, MetaData, Uuid
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Synced:
    """Columns shared by every replicated table."""

    __synced__ = True

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    # Causal length: 1 when created, +1 for each delete or restore; odd means alive.
    cl: Mapped[int] = mapped_column(Integer, default=1)

    @property
    def alive(self) -> bool:
        return self.cl % 2 == 1


def is_synced(table_or_class: object) -> bool:
    return bool(getattr(table_or_class, "__synced__", False))


def synced_columns(table) -> list[str]:  # noqa: ANN001 - a sqlalchemy Table
    """Names of the columns a replica shares, in a stable (sorted) order."""
    return sorted(c.name for c in table.columns if not c.info.get("local"))
