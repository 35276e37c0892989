"""The one write path: a unit of work that records every change it makes.

Every service writes through a ``UnitOfWork``. Whatever it adds or changes on a
replicated row, through the ORM or through :meth:`UnitOfWork.insert_rows` for bulk work,
lands in ``change_log`` in the same transaction with a change number of this site and a
hybrid-logical-clock timestamp: the same code on SQLite and PostgreSQL. Rows are never
deleted; :meth:`delete` and :meth:`restore` step the causal length instead. Derived local
data (the beneficiaries' search index) is refreshed here too, so it can never drift.

A test rebuilds every table from the log and compares it with the live tables, so a write
that bypasses this layer is caught.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, TypeVar

from sqlalchemy import Table, event, insert, inspect, select
from sqlalchemy.orm import Session as OrmSession

from app.models import MODEL_BY_TABLE, Beneficiary, ChangeLog, Site, Synced, is_synced
from app.models.ids import new_id
from app.services import search_index
from app.services.canonical import canonical_json, encode_value
from app.services.clock import HybridClock

if TYPE_CHECKING:
    from app.services.register import Register

S = TypeVar("S", bound=Synced)

# Reference data every replica shares: its changes have no scope and reach every centre.
SHARED_TABLES = frozenset({"territory_unit", "programme", "season"})
# The scope of what only delegations share (a possible duplicate across two centres): no
# centre ever receives it.
DELEGATION_ONLY = uuid.UUID("00000000-0000-0000-0000-0000000000de")
# Rows without a centre of their own belong to their parent's: table → (parent, column).
PARENTS = {
    "enrolment": ("study_group", "group_id"),
    "session": ("study_group", "group_id"),
    "attendance": ("session", "session_id"),
    "follow_up": ("beneficiary", "beneficiary_id"),
    "event_participant": ("event", "event_id"),
}


def _default(column) -> Any:  # noqa: ANN001 - a sqlalchemy Column
    """The Python-side scalar default of a column (None when it has none)."""
    default = column.default
    return default.arg if default is not None and default.is_scalar else None


class UnitOfWork:
    """One transaction of one user action. Use as a context manager: it commits when the
    block ends normally and rolls back when it raises."""

    def __init__(self, register: Register, *, read_only: bool = False) -> None:
        self.register = register
        self.read_only = read_only
        self.session: OrmSession = (register.read_sessions if read_only else register.sessions)()
        self._site: Site | None = None
        self._clock: HybridClock | None = None
        self._next_seq = 0
        self._entries: list[dict[str, Any]] = []
        # The clock of the last change recorded here for a row: the base of the next one.
        self._row_clocks: dict[uuid.UUID, tuple[int, int]] = {}
        self._changed_beneficiaries: set[uuid.UUID] = set()
        self._listener = self._before_flush
        event.listen(self.session, "before_flush", self._listener)

    # -- transaction ---------------------------------------------------------------------

    def __enter__(self) -> UnitOfWork:
        return self

    def __exit__(self, exc_type, exc, tb) -> None:  # noqa: ANN001
        try:
            if exc_type is None:
                self.commit()
            else:
                self.rollback()
        finally:
            self.close()

    def commit(self) -> int:
        """Write the pending changes and their log entries; return how many were logged."""
        self.session.flush()
        written = len(self._entries)
        if self._entries:
            self.session.execute(insert(ChangeLog), self._entries)
            assert self._site is not None and self._clock is not None
            last = self._clock.last
            self._site.hlc_wall, self._site.hlc_counter = last.wall, last.counter
            self._site.last_seq = self._entries[-1]["origin_seq"]
            self._entries, self._row_clocks = [], {}
        if self._changed_beneficiaries:
            search_index.refresh(self.session, self._changed_beneficiaries)
            self._changed_beneficiaries = set()
        self.session.commit()
        if written:
            assert self._site is not None
            self.register.remember_seq(self._site.last_seq)
        self._site, self._clock = None, None
        return written

    def rollback(self) -> None:
        self.session.rollback()
        self._entries, self._changed_beneficiaries = [], set()
        self._row_clocks = {}
        self._site, self._clock = None, None

    def close(self) -> None:
        event.remove(self.session, "before_flush", self._listener)
        self.session.close()

    # -- writing -------------------------------------------------------------------------

    def add(self, row: S) -> S:
        """Add a new replicated row (its id is made here unless it has a natural one)."""
        if row.id is None:
            row.id = new_id()
        if row.cl is None:
            row.cl = 1
        self.session.add(row)
        return row

    def delete(self, row: Synced) -> None:
        """Soft-delete: the causal length becomes even; the row stays as a tombstone."""
        if row.cl % 2 == 1:
            row.cl += 1

    def restore(self, row: Synced) -> None:
        """Bring a deleted row back; a deliberate restore beats the delete it follows."""
        if row.cl % 2 == 0:
            row.cl += 1

    def acknowledge(self, row: Synced) -> None:
        """Record that this register has seen every change of ``row`` it holds, changing
        nothing: a change without fields at the row's causal length, whose base clock is
        the row's newest change here. A removed row that took a late change stays
        removed, and every register can tell the change was dealt with."""
        self.session.flush()  # pending changes first: the base must know them
        values = {c.key: getattr(row, c.key) for c in inspect(type(row)).column_attrs}
        self._record(row.__table__, row.id, row.cl, {}, row=values, new=False)

    def insert_rows(self, model: type[Synced], rows: Iterable[dict[str, Any]]) -> list[uuid.UUID]:
        """Insert many new rows at once (demo, imports), logged like any other write."""
        batch = []
        table = model.__table__
        for given in rows:
            values = {column.key: _default(column) for column in table.columns}
            values.update(given)
            if values["id"] is None:
                values["id"] = new_id()
            if model is Beneficiary:
                values["sort_key"] = search_index.sort_key(
                    values.get("family_name_ar"), values.get("given_name_ar")
                )
            batch.append(values)
            self._record(table, values["id"], values["cl"], values, row=values, new=True)
        if batch:
            # Core insert: the ORM adds nothing for plain rows, and costs a tenth more.
            self.session.execute(insert(table), batch)
            if model is Beneficiary:
                self._changed_beneficiaries.update(v["id"] for v in batch)
        return [v["id"] for v in batch]

    # -- change capture ------------------------------------------------------------------

    def _begin_changes(self) -> tuple[Site, HybridClock]:
        if self.read_only:
            raise RuntimeError("a read-only unit of work cannot record changes")
        if self._site is None:
            query = select(Site).where(Site.site_id == self.register.site_id)
            if self.session.bind.dialect.name == "postgresql":
                query = query.with_for_update()
            # A flush now would record pending changes before the sequence is read.
            with self.session.no_autoflush:
                site = self.session.execute(query).scalar_one()
            self._site = site
            self._clock = HybridClock(
                site.hlc_wall, site.hlc_counter, physical=self.register.physical_clock
            )
            self._next_seq = site.last_seq + 1
        assert self._clock is not None
        return self._site, self._clock

    def _base(self, row_id: uuid.UUID) -> tuple[int, int]:
        """The clock of the newest change of this row known here."""
        if row_id in self._row_clocks:
            return self._row_clocks[row_id]
        newest = self.session.execute(
            select(ChangeLog.hlc_wall, ChangeLog.hlc_counter)
            .where(ChangeLog.row_id == row_id)
            .order_by(ChangeLog.hlc_wall.desc(), ChangeLog.hlc_counter.desc())
            .limit(1)
        ).first()
        return (newest[0], newest[1]) if newest else (0, 0)

    def _scope(self, table_name: str, row_id: uuid.UUID, values: dict[str, Any]) -> Any:
        """The centre a row belongs to (None for shared reference data)."""
        if table_name in SHARED_TABLES:
            return None
        if table_name == "centre":
            return row_id
        if values.get("centre_id") is not None:
            return values["centre_id"]
        if table_name == "duplicate_candidate":
            return DELEGATION_ONLY
        site = self._site
        assert site is not None
        if site.kind == "centre" and site.centre_id is not None:
            return site.centre_id
        return self._parent_scope(table_name, values)

    def _parent_scope(self, table_name: str, values: dict[str, Any]) -> Any:
        """A delegation writing a child row: the centre of its parent, found in the
        database or among the rows of this unit of work not yet written."""
        parent_table, column = PARENTS.get(table_name, (None, None))
        if parent_table is None or values.get(column) is None:
            return None
        model = MODEL_BY_TABLE[parent_table]
        parent = self.session.get(model, values[column]) or next(
            (r for r in self.session.new if isinstance(r, model) and r.id == values[column]),
            None,
        )
        if parent is None:
            return None
        parent_values = {c.key: getattr(parent, c.key) for c in inspect(model).column_attrs}
        return self._scope(parent_table, parent.id, parent_values)

    def _record(
        self,
        table: Table,
        row_id: uuid.UUID,
        cl: int,
        values: dict[str, Any],
        *,
        row: dict[str, Any],
        new: bool,
    ) -> None:
        """Log a change of ``values`` (the fields written) of the row whose stored values
        are ``row``."""
        shared = {
            name: encode_value(value)
            for name, value in values.items()
            if name not in ("id", "cl") and not table.columns[name].info.get("local")
        }
        site, clock = self._begin_changes()
        base = (0, 0) if new else self._base(row_id)
        scope = self._scope(table.name, row_id, row)
        stamp = clock.tick()
        self._row_clocks[row_id] = (stamp.wall, stamp.counter)
        self._entries.append(
            {
                "origin_site": site.site_id,
                "origin_seq": self._next_seq,
                "table_name": table.name,
                "row_id": row_id,
                "cl": cl,
                "fields": canonical_json(shared),
                "hlc_wall": stamp.wall,
                "hlc_counter": stamp.counter,
                "base_wall": base[0],
                "base_counter": base[1],
                "scope": scope,
            }
        )
        self._next_seq += 1

    def _before_flush(self, session: OrmSession, _context, _instances) -> None:  # noqa: ANN001
        for row in session.deleted:
            if is_synced(row):
                raise RuntimeError("replicated rows are soft-deleted with UnitOfWork.delete()")
        for row in list(session.new):
            if is_synced(row):
                table = row.__table__
                # Apply column defaults now, so the log holds exactly what is stored.
                for column in table.columns:
                    if getattr(row, column.key) is None and column.default is not None:
                        setattr(row, column.key, _default(column))
                values = {c.key: getattr(row, c.key) for c in inspect(type(row)).column_attrs}
                self._derive(row)
                self._record(table, row.id, row.cl, values, row=values, new=True)
        for row in list(session.dirty):
            if not is_synced(row):
                continue
            state = inspect(row)
            changed = {}
            for attr in state.mapper.column_attrs:
                history = state.attrs[attr.key].history
                if (
                    history.has_changes()
                    and history.added
                    and history.added[0] != (history.deleted[0] if history.deleted else None)
                ):
                    changed[attr.key] = history.added[0]
            if not changed:
                continue
            self._derive(row)
            local = [k for k in changed if row.__table__.columns[k].info.get("local")]
            if len(local) < len(changed):
                whole = {c.key: getattr(row, c.key) for c in state.mapper.column_attrs}
                self._record(row.__table__, row.id, row.cl, changed, row=whole, new=False)

    def _derive(self, row: Synced) -> None:
        if isinstance(row, Beneficiary):
            row.sort_key = search_index.sort_key(row.family_name_ar, row.given_name_ar)
            self._changed_beneficiaries.add(row.id)
