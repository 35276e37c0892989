"""Checking that the live tables are exactly what the change log says they are.

Replaying every logged change, in clock order, must rebuild every replicated table; a
difference means some write bypassed the unit of work (and would never reach the
delegation). Tests run it after every kind of write; sync will run it after imports.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from app.models import MODEL_BY_TABLE, ChangeLog, synced_columns
from app.services.canonical import encode_value
from app.services.unit_of_work import UnitOfWork


@dataclass(frozen=True)
class Difference:
    table: str
    row_id: str
    logged: dict[str, Any] | None
    stored: dict[str, Any] | None


def _required(table: str) -> set[str]:
    """The fields a row cannot be stored without: a row whose creation has not arrived
    yet (an edit came first) waits in the log only, as the merge leaves it."""
    columns = MODEL_BY_TABLE[table].__table__.columns
    return {
        name
        for name in synced_columns(columns[0].table)
        if not columns[name].nullable and columns[name].default is None
    }


def rebuild_from_log(uow: UnitOfWork) -> dict[str, dict[str, dict[str, Any]]]:
    """Every table as the log describes it: table → row id → field → canonical value.

    Changes to tables or fields of a newer Sijill stay in the log without a place in the
    tables, so they are left out here as the merge leaves them out."""
    tables: dict[str, dict[str, dict[str, Any]]] = {name: {} for name in MODEL_BY_TABLE}
    known = {name: set(synced_columns(m.__table__)) for name, m in MODEL_BY_TABLE.items()}
    entries = uow.session.execute(
        select(ChangeLog.table_name, ChangeLog.row_id, ChangeLog.cl, ChangeLog.fields).order_by(
            ChangeLog.hlc_wall, ChangeLog.hlc_counter, ChangeLog.origin_site, ChangeLog.origin_seq
        )
    )
    for table, row_id, cl, fields in entries:
        if table not in tables:
            continue
        row = tables[table].setdefault(str(row_id), {"id": str(row_id)})
        row.update((k, v) for k, v in json.loads(fields).items() if k in known[table])
        # Causal length: the larger wins, whatever the order (a delete beats a concurrent
        # edit; a deliberate restore beats the delete).
        row["cl"] = max(row.get("cl", 0), cl)
    required = {table: _required(table) for table in tables}
    return {
        table: {row_id: row for row_id, row in rows.items() if required[table] <= row.keys()}
        for table, rows in tables.items()
    }


def stored_tables(uow: UnitOfWork) -> dict[str, dict[str, dict[str, Any]]]:
    tables = {}
    for name, model in MODEL_BY_TABLE.items():
        names = synced_columns(model.__table__)
        columns = [model.__table__.columns[n] for n in names]
        rows = uow.session.execute(select(*columns)).all()
        tables[name] = {
            str(encode_value(row.id)): {n: encode_value(v) for n, v in zip(names, row, strict=True)}
            for row in rows
        }
    return tables


def log_differences(uow: UnitOfWork) -> list[Difference]:
    """Rows where the tables and the replayed log disagree (empty when all is well)."""
    logged, stored = rebuild_from_log(uow), stored_tables(uow)
    differences = []
    for table in sorted(MODEL_BY_TABLE):
        for row_id in sorted(logged[table].keys() | stored[table].keys()):
            a, b = logged[table].get(row_id), stored[table].get(row_id)
            if a != b:
                differences.append(Difference(table, row_id, a, b))
    return differences
