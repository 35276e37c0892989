"""The record stream of a bundle: changes in column batches, deflate-compressed.

A change is a list of the ``RECORD_FIELDS``. Changes travel in batches, one JSON line per
batch, each field as one column: runs for the values that repeat (origin, table, causal
length, scope), differences for the numbers that climb (change number, clocks), the row
ids and changed fields as they are. Deflate then finds the little that is left: a million
attendance marks fit in about 25 MB, where one JSON line per change took 40.
A reader ignores columns it does not know (a newer Sijill may add some).
"""

from __future__ import annotations

import io
import itertools
import json
import zlib
from collections.abc import Iterable, Iterator
from typing import Any

RECORD_FIELDS = (
    "origin_site",
    "origin_seq",
    "table_name",
    "row_id",
    "cl",
    "hlc_wall",
    "hlc_counter",
    "base_wall",
    "base_counter",
    "scope",
    "fields",
)
RUNS = frozenset({"origin_site", "table_name", "cl", "scope"})
DIFFERENCES = frozenset({"origin_seq", "hlc_wall", "hlc_counter", "base_wall", "base_counter"})
BATCH = 4096
CHUNK = 1 << 20


def _runs(values: list[Any]) -> list[list[Any]]:
    runs: list[list[Any]] = []
    for value in values:
        if runs and runs[-1][0] == value:
            runs[-1][1] += 1
        else:
            runs.append([value, 1])
    return runs


def _differences(values: list[int]) -> list[int]:
    return [values[0], *(b - a for a, b in itertools.pairwise(values))]


def _batch_line(batch: list[list[Any]]) -> bytes:
    columns: dict[str, Any] = {}
    for index, name in enumerate(RECORD_FIELDS):
        values = [change[index] for change in batch]
        if name in RUNS:
            columns[name] = _runs(values)
        elif name in DIFFERENCES:
            columns[name] = _differences(values)
        else:
            columns[name] = values
    line = {"n": len(batch), "columns": columns}
    return json.dumps(line, ensure_ascii=False, separators=(",", ":")).encode() + b"\n"


def compress(changes: Iterable[list[Any]]) -> tuple[bytes, int]:
    """The changes as compressed column batches, and how many there were."""
    deflater = zlib.compressobj(level=6)
    out = io.BytesIO()
    count = 0
    batch: list[list[Any]] = []
    for change in changes:
        batch.append(change)
        if len(batch) == BATCH:
            out.write(deflater.compress(_batch_line(batch)))
            count += len(batch)
            batch = []
    if batch:
        out.write(deflater.compress(_batch_line(batch)))
        count += len(batch)
    out.write(deflater.flush())
    return out.getvalue(), count


def _column(name: str, encoded: Any, count: int) -> list[Any]:
    if name in RUNS:
        values = [value for value, run in encoded for _ in range(int(run))]
    elif name in DIFFERENCES:
        values, total = [], 0
        for difference in encoded:
            total += int(difference)
            values.append(total)
    else:
        values = list(encoded)
    if len(values) != count:
        raise ValueError("a column's length differs from its batch's")
    return values


def decompress(records: bytes) -> Iterator[tuple[Any, ...]]:
    """The changes back, one at a time, decompressed as they go. Raises ValueError (or
    zlib.error, KeyError, TypeError) on a stream that is not one."""
    inflater = zlib.decompressobj()
    pending = b""
    view = memoryview(records)

    def batch_changes(line: bytes) -> Iterator[tuple[Any, ...]]:
        document = json.loads(line)
        count = int(document["n"])
        columns = [_column(n, document["columns"][n], count) for n in RECORD_FIELDS]
        yield from zip(*columns, strict=True)

    for start in range(0, len(view), CHUNK):
        pending += inflater.decompress(view[start : start + CHUNK])
        *lines, pending = pending.split(b"\n")
        for line in lines:
            yield from batch_changes(line)
    pending += inflater.flush()
    if not inflater.eof:
        raise ValueError("the record stream ends early")
    for line in pending.split(b"\n"):
        if line:
            yield from batch_changes(line)
