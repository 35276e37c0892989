"""Demo registers for the benchmarks, built once and kept in the system's temp folder.

A register is keyed by Sijill's version, a hash of the sources that decide its content
(the demo generator, the schema, the search index), the seed, the size and the months of
attendance, so a changed generator or schema never benchmarks a stale file. A build is
only reused when its "done" marker exists: an interrupted build is thrown away and made
again, and so is a stale one of the same size. SIJILL_HOME points into the same folder,
so the benchmarks never touch the user's own data or install records.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import sys
import tempfile
from pathlib import Path

from app import __version__, models
from app.services import demo, search_index
from app.services.register import Register, open_register

# The demo's "today": fixed, so a cached register is the same wherever it was built.
TODAY = dt.date(2026, 11, 22)
SEED = 1
MONTHS = 1


def cache_root() -> Path:
    return Path(tempfile.gettempdir()) / f"sijill-bench-{__version__}"


def use_private_home() -> None:
    """Send Sijill's data folder (install records) into the benchmark cache."""
    home = cache_root() / "home"
    home.mkdir(parents=True, exist_ok=True)
    os.environ["SIJILL_HOME"] = str(home)
    os.environ.pop("SIJILL_DB", None)


# What decides a built register's content: the generator, the schema, the search index.
_SOURCES = (Path(demo.__file__), Path(search_index.__file__), Path(models.__file__).parent)


def source_hash(sources: tuple[Path, ...] = _SOURCES) -> str:
    """A short hash of the sources that decide a built register's content."""
    digest = hashlib.sha256()
    for source in sources:
        for path in sorted(source.rglob("*.py")) if source.is_dir() else [source]:
            digest.update(path.read_bytes())
    return digest.hexdigest()[:10]


def _key(size: int) -> str:
    source = source_hash()
    return f"demo-{source}-s{SEED}-n{size}-m{MONTHS}-{TODAY.isoformat()}"


def _report(done: int, total: int, last: list[int]) -> None:
    percent = 100 * done // max(total, 1)
    if percent >= last[0] + 10:
        last[0] = percent
        print(f"  … {done:,} of {total:,} beneficiaries", file=sys.stderr, flush=True)


def demo_register(size: int) -> Register:
    """The cached demo register of ``size`` beneficiaries, built first if needed."""
    folder = cache_root()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{_key(size)}.sqlite"
    done = path.with_suffix(".done")
    if not done.exists():
        # An interrupted build of this register, or one of the same size made by an older
        # generator: ~1 GB each at full size, not worth keeping.
        for leftover in folder.glob(f"demo-*-n{size}-*"):
            leftover.unlink()
        print(
            f"Building a demo register of {size:,} beneficiaries in {path} (once)…",
            file=sys.stderr,
            flush=True,
        )
        register = open_register(str(path))
        last = [0]
        summary = demo.create_demo(
            register,
            seed=SEED,
            beneficiaries=size,
            months=MONTHS,
            today=TODAY,
            progress=lambda d, t: _report(d, t, last),
        )
        register.close()
        print(f"  {summary}", file=sys.stderr)
        done.write_text(summary + "\n", encoding="utf-8")
    return open_register(str(path))


def location(register: Register) -> Path:
    """The file of a demo register (the GUI figures open it in their own way)."""
    return Path(register.engine.url.database or "")
