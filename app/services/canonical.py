"""One canonical spelling of stored values, shared by the change log and the dump.

UUIDs as lower-case dashed strings, dates as ISO 8601, JSON with sorted keys and no
spaces: two replicas holding the same records produce the same bytes.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from typing import Any

from sqlalchemy import Column, Date, Uuid


def encode_value(value: Any) -> Any:
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float):
        # SYNC.md: no floats in replicated columns; catch one before it is logged.
        raise TypeError("floats are not allowed in replicated columns")
    return value


def decode_value(column: Column, value: Any) -> Any:
    """Inverse of :func:`encode_value` for a value stored in ``column``."""
    if value is None:
        return None
    if isinstance(column.type, Uuid):
        return uuid.UUID(value)
    if isinstance(column.type, Date):
        return dt.date.fromisoformat(value)
    return value


def canonical_json(data: Any, *, indent: int | None = None) -> str:
    separators = (",", ":") if indent is None else (",", ": ")
    return json.dumps(
        data, sort_keys=True, separators=separators, ensure_ascii=False, indent=indent
    )
