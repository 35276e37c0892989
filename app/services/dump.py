"""The canonical dump: every replicated record, in one deterministic JSON document.

Sorted by table, then id; fields in name order; local-only columns left out. Two
replicas that hold the same records give byte-identical dumps, which is what every sync
comparison rests on.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from app.models import SYNCED_MODELS, synced_columns
from app.services.canonical import canonical_json, encode_value
from app.services.unit_of_work import UnitOfWork

DUMP_FORMAT = 1


def dump_records(uow: UnitOfWork) -> dict[str, Any]:
    tables: dict[str, list[dict[str, Any]]] = {}
    for model in sorted(SYNCED_MODELS, key=lambda m: m.__tablename__):
        table = model.__table__
        names = synced_columns(table)
        columns = [table.columns[n] for n in names]
        rows = uow.session.execute(select(*columns)).all()
        encoded = [{n: encode_value(v) for n, v in zip(names, row, strict=True)} for row in rows]
        encoded.sort(key=lambda r: r["id"])
        tables[table.name] = encoded
    return {"format": DUMP_FORMAT, "tables": tables}


def dump_json(uow: UnitOfWork) -> str:
    return canonical_json(dump_records(uow), indent=1) + "\n"
