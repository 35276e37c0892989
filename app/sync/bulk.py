"""The change log and the tables as the database driver holds them, for sync's bulk work.

SQLAlchemy converts each value of each row through the column types, which was most of
the time spent exporting and importing a million changes. On SQLite, sync speaks the
driver's language directly: the canonical spelling of a value (app/services/canonical.py)
becomes what SQLAlchemy itself stores (UUIDs as 32 hex digits, dates as ISO text), checked
on the way, and whole batches go to the driver at once. Other databases take the Core path
with Python values, which their drivers accept as they are.

Inside sync, a row id is a *key*: the stored spelling on SQLite, a UUID elsewhere. Keys
compare and hash, which is all the merge asks of them.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import uuid
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from sqlalchemy import Date, Table, Uuid, bindparam, insert, select, update
from sqlalchemy.orm import Session as OrmSession

from app.models import ChangeLog
from app.services.canonical import decode_value
from app.sync.records import RECORD_FIELDS

Key = Any  # str (32 hex digits) on SQLite, uuid.UUID elsewhere
Converter = Callable[[Any], Any]

# SQLite's limit on the parameters of one statement is far higher; this keeps each
# statement's text small.
CHUNK = 900
_HEX = re.compile(r"[0-9a-f]{32}\Z")
_DASHED = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\Z")


def _hex_key(text: str) -> str:
    """A UUID written either way, as SQLite stores it; ValueError for anything else."""
    if _HEX.match(text):
        return text
    if _DASHED.match(text):
        return text.replace("-", "")
    raise ValueError("not a UUID")


# The same people, sessions and dates come back again and again in a bundle (a mark names
# a session and a person): remembering the last conversions saves most of them.
@functools.lru_cache(maxsize=1 << 16)
def _stored_uuid(value: Any) -> str | None:
    """A field's UUID (written with dashes, app/services/canonical.py) as SQLite stores it."""
    if value is None:
        return None
    if _DASHED.match(value):
        return value.replace("-", "")
    return _hex_key(value)


@functools.lru_cache(maxsize=1 << 12)
def _stored_date(value: Any) -> str | None:
    # Parsed to refuse what is not a date; written back in the one spelling stored.
    return None if value is None else dt.date.fromisoformat(value).isoformat()


@functools.lru_cache(maxsize=256)
def _scope_key(text: str) -> str:
    return _hex_key(text)


def _as_is(value: Any) -> Any:
    return value


class Storage:
    """Keys, values and batches of rows for one session's database."""

    def __init__(self, session: OrmSession) -> None:
        self.session = session
        self.sqlite = session.connection().dialect.name == "sqlite"
        self._converters: dict[str, dict[str, Converter]] = {}

    # Keys -------------------------------------------------------------------------

    def key(self, text: str) -> Key:
        """The key of a UUID as a bundle spells it; ValueError (or TypeError) if it is not one."""
        return _hex_key(text) if self.sqlite else uuid.UUID(text)

    def scope_key(self, text: str) -> Key:
        """:meth:`key` for a scope: a bundle names few, many times over."""
        return _scope_key(text) if self.sqlite else uuid.UUID(text)

    def key_of(self, value: uuid.UUID) -> Key:
        return value.hex if self.sqlite else value

    def uuid_of(self, key: Key) -> uuid.UUID:
        return uuid.UUID(hex=key) if self.sqlite else key

    # Values -----------------------------------------------------------------------

    def converters(self, table: Table, names: Sequence[str]) -> dict[str, Converter]:
        """For each named column, canonical value → the value this database is given."""
        known = self._converters.get(table.name)
        if known is None:
            known = self._converters[table.name] = {}
            for name in names:
                column = table.columns[name]
                if not self.sqlite:
                    known[name] = lambda value, column=column: decode_value(column, value)
                elif isinstance(column.type, Uuid):
                    known[name] = _stored_uuid
                elif isinstance(column.type, Date):
                    known[name] = _stored_date
                else:
                    known[name] = _as_is
        return known

    # Reading ----------------------------------------------------------------------

    def existing(self, table: Table, keys: Sequence[Key]) -> set[Key]:
        """Which of these row ids the table holds."""
        found: set[Key] = set()
        for start in range(0, len(keys), CHUNK):
            chunk = list(keys[start : start + CHUNK])
            if self.sqlite:
                marks = ",".join("?" * len(chunk))
                statement = f'SELECT id FROM "{table.name}" WHERE id IN ({marks})'
                found.update(row[0] for row in self._raw(statement, tuple(chunk)))
            else:
                found.update(self.session.scalars(select(table.c.id).where(table.c.id.in_(chunk))))
        return found

    def known_seqs(self, origin: str, seqs: Sequence[int]) -> set[int]:
        """Which of these change numbers of ``origin`` the log holds."""
        low, high = min(seqs), max(seqs)
        if high - low < 4 * len(seqs):
            # A bundle's numbers run nearly in sequence: one range read of the primary key.
            query = select(ChangeLog.origin_seq).where(
                ChangeLog.origin_site == origin, ChangeLog.origin_seq.between(low, high)
            )
            return set(self.session.scalars(query)) & set(seqs)
        known: set[int] = set()
        for start in range(0, len(seqs), CHUNK):
            known.update(
                self.session.scalars(
                    select(ChangeLog.origin_seq).where(
                        ChangeLog.origin_site == origin,
                        ChangeLog.origin_seq.in_(seqs[start : start + CHUNK]),
                    )
                )
            )
        return known

    def history(self, keys: Sequence[Key]) -> Iterator[tuple]:
        """Every logged change of these rows, as RECORD_FIELDS tuples (keys as keys)."""
        for start in range(0, len(keys), CHUNK):
            chunk = list(keys[start : start + CHUNK])
            if self.sqlite:
                marks = ",".join("?" * len(chunk))
                names = ", ".join(RECORD_FIELDS)
                yield from self._raw(
                    f"SELECT {names} FROM change_log WHERE row_id IN ({marks})", tuple(chunk)
                )
            else:
                columns = [getattr(ChangeLog, name) for name in RECORD_FIELDS]
                for row in self.session.execute(
                    select(*columns).where(ChangeLog.row_id.in_(chunk))
                ):
                    yield tuple(row)

    def log_range(
        self,
        origin: str,
        *,
        after: int,
        upto: int,
        scope: uuid.UUID | None,
        shared_only: bool = False,
        limit: int,
    ) -> list[list[Any]]:
        """Up to ``limit`` changes of ``origin`` numbered after ``after`` up to ``upto``,
        as bundle records (ids in 32 hex digits): only ``scope``'s and the shared ones when
        a scope is given, only the shared ones when ``shared_only``."""
        if self.sqlite:
            names = ", ".join(RECORD_FIELDS)
            statement = (
                f"SELECT {names} FROM change_log WHERE origin_site = ? "
                "AND origin_seq > ? AND origin_seq <= ?"
            )
            parameters: tuple[Any, ...] = (origin, after, upto)
            if shared_only:
                statement += " AND scope IS NULL"
            elif scope is not None:
                statement += " AND (scope = ? OR scope IS NULL)"
                parameters += (scope.hex,)
            statement += " ORDER BY origin_seq LIMIT ?"
            return list(map(list, self._raw(statement, (*parameters, limit))))
        columns = [getattr(ChangeLog, name) for name in RECORD_FIELDS]
        query = select(*columns).where(
            ChangeLog.origin_site == origin,
            ChangeLog.origin_seq > after,
            ChangeLog.origin_seq <= upto,
        )
        if shared_only:
            query = query.where(ChangeLog.scope.is_(None))
        elif scope is not None:
            query = query.where((ChangeLog.scope == scope) | ChangeLog.scope.is_(None))
        records = []
        for row in self.session.execute(query.order_by(ChangeLog.origin_seq).limit(limit)):
            record = list(row)
            record[3] = record[3].hex
            record[9] = record[9].hex if record[9] is not None else None
            records.append(record)
        return records

    # Writing ----------------------------------------------------------------------

    def insert(self, table: Table, names: Sequence[str], rows: list[tuple]) -> None:
        """Insert rows of values (converted, in the order of ``names``)."""
        if not rows:
            return
        if self.sqlite:
            columns = ", ".join(f'"{name}"' for name in names)
            marks = ", ".join("?" for _ in names)
            self.session.connection().exec_driver_sql(
                f'INSERT INTO "{table.name}" ({columns}) VALUES ({marks})', rows
            )
        else:
            self.session.connection().execute(
                insert(table), [dict(zip(names, row, strict=True)) for row in rows]
            )

    def update(self, table: Table, names: Sequence[str], rows: list[tuple]) -> None:
        """Set ``names`` (converted values first) of the row whose key ends each tuple."""
        if not rows:
            return
        if self.sqlite:
            assignments = ", ".join(f'"{name}" = ?' for name in names)
            self.session.connection().exec_driver_sql(
                f'UPDATE "{table.name}" SET {assignments} WHERE id = ?', rows
            )
        else:
            statement = (
                update(table)
                .where(table.c.id == bindparam("_row_id"))
                .values({name: bindparam(f"_{name}") for name in names})
            )
            self.session.connection().execute(
                statement,
                [
                    {"_row_id": row[-1], **{f"_{n}": v for n, v in zip(names, row, strict=False)}}
                    for row in rows
                ],
            )

    def _raw(self, statement: str, parameters: tuple) -> list[tuple]:
        # The driver's own cursor, inside the session's transaction: plain tuples, without
        # a result object's work per row.
        cursor = self.session.connection().connection.cursor()
        try:
            return cursor.execute(statement, parameters).fetchall()
        finally:
            cursor.close()
