"""Inserting many rows fast during an import.

SQLAlchemy's executemany converts each value of each row through the column types, which
is most of the time spent importing a million changes. On SQLite the values are turned
into what SQLAlchemy itself would store (UUIDs as 32 hex digits, dates as ISO text) and
handed to the driver in one ``executemany``; other databases take the Core path, whose
drivers accept UUIDs and dates as they are.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Table, insert
from sqlalchemy.orm import Session as OrmSession


def _sqlite_value(value: Any) -> Any:
    if isinstance(value, uuid.UUID):
        return value.hex
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def insert_many(session: OrmSession, table: Table, rows: Sequence[dict[str, Any]]) -> None:
    """Insert ``rows`` (dicts naming every column to write) into ``table``."""
    if not rows:
        return
    connection = session.connection()
    if connection.dialect.name != "sqlite":
        connection.execute(insert(table), list(rows))
        return
    names = list(rows[0])
    columns = ", ".join(f'"{name}"' for name in names)
    marks = ", ".join("?" for _ in names)
    statement = f'INSERT INTO "{table.name}" ({columns}) VALUES ({marks})'
    connection.exec_driver_sql(
        statement, [tuple(_sqlite_value(row[name]) for name in names) for row in rows]
    )
