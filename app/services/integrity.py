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


def rebuild_from_log(uow: UnitOfWork) -> dict[str, dict[str, dict[str, Any]]]:
    """Every table as the log describes it: table → row id → field → canonical value."""
    tables: dict[str, dict[str, dict[str, Any]]] = {name: {} for name in MODEL_BY_TABLE}
    entries = uow.session.execute(
        select(ChangeLog.table_name, ChangeLog.row_id, ChangeLog.cl, ChangeLog.fields).order_by(
            ChangeLog.hlc_wall, ChangeLog.hlc_counter, ChangeLog.origin_site, ChangeLog.origin_seq
        )
    )
    for table, row_id, cl, fields in entries:
        row = tables[table].setdefault(str(row_id), {"id": str(row_id)})
        row.update(json.loads(fields))
        row["cl"] = cl
    return tables


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
