"""What every command shares: today's date and printing results (JSON for scripts,
tab-separated lines for people)."""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
from collections.abc import Iterable
from typing import Any

from app.services.records import as_json


def print_json(data: Any) -> None:
    if isinstance(data, list):
        data = [as_json(item) for item in data]
    elif hasattr(data, "__dataclass_fields__"):
        data = as_json(data)
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n")


def print_rows(rows: Iterable[Iterable[object]]) -> None:
    """Tab-separated lines: readable in a terminal, easy to cut or paste into a sheet."""
    for row in rows:
        print("\t".join("" if v is None else str(v) for v in row))


def today() -> dt.date:
    """Today, or SIJILL_TODAY (YYYY-MM-DD) for reproducible tests and demos."""
    fixed = os.environ.get("SIJILL_TODAY")
    return dt.date.fromisoformat(fixed) if fixed else dt.date.today()
