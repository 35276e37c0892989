"""Printed documents (PDF) built with ReportLab from prepared service records.

ReportLab is imported inside this package only, and this package is imported only when
something is printed, so starting the CLI or the GUI does not pay for it.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def save_atomically(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder, renamed over
    it at the end: a crash or a full disk never leaves a half-written PDF under that name
    (nor destroys the previous one)."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
