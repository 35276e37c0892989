"""The core runs without Qt: no module outside app.ui may load PySide6."""

from __future__ import annotations

import subprocess
import sys

PROBE = """
import importlib, pkgutil, sys
import app
for info in pkgutil.walk_packages(app.__path__, "app."):
    if info.name.startswith(("app.ui", "app.models.migrations")) or info.name == "app.__main__":
        continue
    importlib.import_module(info.name)
loaded = sorted(m for m in sys.modules if m.split(".")[0] == "PySide6")
print(",".join(loaded))
"""


def test_no_core_module_imports_qt() -> None:
    result = subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == ""
