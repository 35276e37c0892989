"""Sync: a bundle of a million attendance marks, exported, imported and imported again,
and a centre's weekly delta.

The source is a centre register of 3,000 people in 100 groups with 1,002,000 attendance
marks (``--quick``: 30,000), built once and cached like the demo registers. Export and
import run in child processes, so their peak memory (resident set) is theirs alone.

- Export: the whole register as one delta for the delegation. Baseline: reading the same
  change-log rows with sqlite3 in the same child. Targets: ≤ 10 s, ≤ 30 MB, ≤ 500 MB.
- Import: that bundle into a fresh delegation register, in one transaction. Baseline:
  inserting as many rows into a scratch table with sqlite3's executemany, same pragmas.
  Targets: ≤ 30 s, ≤ 500 MB.
- Re-import: a second bundle holding the same changes (a snapshot), so every change is
  already known. Target: ≤ 50% of the first import. (The same bundle twice is refused by
  the ledger at once, in a few milliseconds: reported in the details.)
- Weekly delta: a week of marks of a 1,000-person centre (five session days, 1,000
  marks each) exported after the first bundle was acknowledged. Baseline: the same
  sqlite3 read. Target: < 1 s.

Ceilings for --quick, measured 2026-11-22 on the 2-core dev box, about 5× the ratios
measured: see each figure's ``quick_ceiling``.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from app import models
from app.models import Attendance, Beneficiary, Session
from app.models.ids import natural_id
from app.services import keys, unit_of_work
from app.services.centres import initialise_centre, initialise_delegation
from app.services.register import open_register
from benchmarks import Figure
from benchmarks.registers import cache_root, source_hash

PASSPHRASE = "benchmark passphrase"
GROUPS = 100
PEOPLE_PER_GROUP = 30
FULL_SESSIONS = 334  # per group: 100 × 30 × 334 = 1,002,000 marks
QUICK_SESSIONS = 10
WEEK_DAYS, WEEK_PEOPLE = 5, 1_000
TARGET_ROWS = 1_000_000
FIRST_DAY = dt.date(2025, 9, 15)
STATUSES = ("P", "P", "P", "P", "A", "E", "L")


def _source(sessions_per_group: int) -> Path:
    """The cached source register: a centre with its keys and its marks."""
    folder = cache_root() / "sync"
    folder.mkdir(parents=True, exist_ok=True)
    # Keyed by the schema and change capture too: a stale file would be migrated (a copy
    # of every table) inside the measured children.
    schema = source_hash((Path(models.__file__).parent, Path(unit_of_work.__file__)))
    size = f"{GROUPS}x{PEOPLE_PER_GROUP}x{sessions_per_group}"
    path = folder / f"centre-{schema}-{size}.sqlite"
    done = path.with_suffix(".done")
    if done.exists():
        return path
    for leftover in folder.glob(f"centre-*-{size}.*"):
        leftover.unlink()
    print(f"Building the sync source register {path} (once)…", file=sys.stderr, flush=True)
    register = open_register(str(path))
    try:
        with register.unit_of_work() as uow:
            centre = initialise_centre(
                uow,
                code="ETF-BENCH-01",
                name="مركز القياس",
                kind="education_training",
                province_code="03.561",
                today=dt.date(2026, 11, 22),
            )
            keys.unlock(uow, passphrase=PASSPHRASE)
        people = [
            {
                "centre_id": centre.id,
                "family_name_ar": f"العائلة{number % 97}",
                "given_name_ar": f"الاسم{number % 89}",
                "sex": "F",
                "birth_date": dt.date(1990, 1, 1) + dt.timedelta(days=number),
            }
            for number in range(GROUPS * PEOPLE_PER_GROUP)
        ]
        with register.unit_of_work() as uow:
            ids = uow.insert_rows(Beneficiary, people)
        for group in range(GROUPS):
            group_id = natural_id("bench-group", group)
            days = [FIRST_DAY + dt.timedelta(days=d) for d in range(sessions_per_group)]
            sessions = [
                {"id": natural_id("session", group_id, day, 1), "group_id": group_id, "date": day}
                for day in days
            ]
            members = ids[group * PEOPLE_PER_GROUP : (group + 1) * PEOPLE_PER_GROUP]
            marks = [
                {
                    "id": natural_id("attendance", s["id"], person),
                    "session_id": s["id"],
                    "beneficiary_id": person,
                    "status": STATUSES[(index + n) % len(STATUSES)],
                }
                for index, s in enumerate(sessions)
                for n, person in enumerate(members)
            ]
            with register.unit_of_work() as uow:
                uow.insert_rows(Session, sessions)
                uow.insert_rows(Attendance, marks)
    finally:
        register.close()
    done.touch()
    return path


CHILD = r"""
import json, resource, sqlite3, sys, time
from pathlib import Path
from app.services import keys
from app.services import unit_of_work
from app.services.register import open_register
from app.sync.export import export_bundle
from app.sync.import_ import import_bundle

action, database, other, bundle_path, passphrase = sys.argv[1:6]
register = open_register(database)
with register.unit_of_work() as uow:
    unlocked = keys.unlock(uow, passphrase=passphrase)
    if other:
        identity = keys.read_identity_file(Path(other).read_bytes())
        keys.trust(uow, identity)
result = {}
if action in ("export", "snapshot"):
    with register.unit_of_work(read_only=True) as uow:
        recipient = [t.identity for t in keys.trusted_identities(uow)][0]
    begin = time.perf_counter()
    with register.unit_of_work() as uow:
        exported = export_bundle(uow, keys=unlocked, recipient=recipient, path=Path(bundle_path),
                                 snapshot=action == "snapshot")
    result["ms"] = (time.perf_counter() - begin) * 1000
    result["changes"], result["size"] = exported.changes, exported.size
elif action == "read":
    # The baseline, in a process of its own: holding every row at once costs memory the
    # export must not be charged for.
    raw = sqlite3.connect(database)
    begin = time.perf_counter()
    rows = raw.execute("SELECT * FROM change_log WHERE origin_seq > ?", (0,)).fetchall()
    result["ms"] = (time.perf_counter() - begin) * 1000
    result["rows"] = len(rows)
elif action == "import":
    begin = time.perf_counter()
    with register.unit_of_work() as uow:
        imported = import_bundle(uow, keys=unlocked, path=Path(bundle_path))
    result["ms"] = (time.perf_counter() - begin) * 1000
    result["applied"], result["duplicates"] = imported.applied, imported.duplicates
    result["already"] = imported.already_imported
elif action == "identity":
    with register.unit_of_work() as uow:
        Path(bundle_path).write_bytes(keys.identity_file(unlocked))
register.close()
# This process's own high-water mark: Linux carries ru_maxrss over from the parent
# through fork and exec, so the parent's size (it may have just built the source
# register) would be reported instead.
status = Path("/proc/self/status")
lines = status.read_text().splitlines() if status.exists() else []
peak = [line for line in lines if line.startswith("VmHWM:")]
result["peak_mb"] = (
    int(peak[0].split()[1]) / 1024 if peak
    else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
)
print(json.dumps(result))
"""


def _child(action: str, database: Path, bundle: Path, *, other: Path | None = None) -> dict:
    environment = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)}
    completed = subprocess.run(
        [
            sys.executable,
            "-c",
            CHILD,
            action,
            str(database),
            str(other or ""),
            str(bundle),
            PASSPHRASE,
        ],
        env=environment,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(completed.stdout.strip().splitlines()[-1])


def _baseline_insert(rows: int) -> float:
    """Milliseconds to insert ``rows`` change-log-like rows with sqlite3's executemany."""
    import sqlite3

    with tempfile.TemporaryDirectory() as folder:
        connection = sqlite3.connect(Path(folder) / "scratch.sqlite")
        connection.execute("PRAGMA journal_mode=WAL")
        connection.execute("PRAGMA synchronous=NORMAL")
        connection.execute(
            "CREATE TABLE t (a TEXT, b INTEGER, c TEXT, d BLOB, e INTEGER, f INTEGER, "
            "g INTEGER, h TEXT, PRIMARY KEY (a, b))"
        )
        values = (
            ("0" * 32, n, "attendance", os.urandom(16), 1, n, 0, '{"status":"P"}')
            for n in range(rows)
        )
        begin = time.perf_counter()
        connection.executemany("INSERT INTO t VALUES (?, ?, ?, ?, ?, ?, ?, ?)", values)
        connection.commit()
        elapsed = (time.perf_counter() - begin) * 1000
        connection.close()
    return elapsed


def measure(*, quick: bool) -> list[Figure]:
    source = _source(QUICK_SESSIONS if quick else FULL_SESSIONS)
    with tempfile.TemporaryDirectory(dir=cache_root()) as scratch:
        folder = Path(scratch)
        centre, delegation = folder / "centre.sqlite", folder / "delegation.sqlite"
        for suffix in ("", "-wal", "-shm"):
            if Path(f"{source}{suffix}").exists():
                Path(f"{centre}{suffix}").write_bytes(Path(f"{source}{suffix}").read_bytes())
        register = open_register(str(delegation))
        with register.unit_of_work() as uow:
            initialise_delegation(uow, province_code="03.561")
            keys.unlock(uow, passphrase=PASSPHRASE)
        register.close()
        centre_id, delegation_id = folder / "centre.id", folder / "delegation.id"
        _child("identity", centre, centre_id)
        _child("identity", delegation, delegation_id)
        first, again = folder / "first.sjl", folder / "again.sjl"
        exported = _child("export", centre, first, other=delegation_id)
        read = _child("read", centre, first)
        imported = _child("import", delegation, first, other=centre_id)
        ledger = _child("import", delegation, first)
        _child("snapshot", centre, again)
        reimported = _child("import", delegation, again)
        baseline_insert = _baseline_insert(exported["changes"])
        receipt = folder / "receipt.sjl"
        _child("export", delegation, receipt)
        _child("import", centre, receipt)
        _add_week(centre)
        weekly = _child("export", centre, folder / "week.sjl")
        read_again = _child("read", centre, first)
    rows = exported["changes"]
    size_mb = exported["size"] / 1e6
    scale = TARGET_ROWS / rows
    export_details = (
        f"{rows:,} changes; bundle {size_mb:.1f} MB (target ≤ 30 MB at 1M, "
        f"{size_mb * scale:.1f} MB scaled); peak memory {exported['peak_mb']:.0f} MB "
        f"(target ≤ 500 MB)"
    )
    import_details = (
        f"{imported['applied']:,} applied; peak memory {imported['peak_mb']:.0f} MB "
        f"(target ≤ 500 MB); the same bundle again: refused by the ledger in "
        f"{ledger['ms']:.0f} ms (already imported: {ledger['already']})"
    )
    return [
        Figure(
            name="sync export of the whole register",
            value_ms=exported["ms"],
            baseline_ms=read["ms"],
            baseline="sqlite3 read of the change log",
            target_ms=10_000,
            target_size=TARGET_ROWS,
            measured_size=rows,
            quick_ceiling=60,
            details=export_details,
        ),
        Figure(
            name="sync import of that bundle",
            value_ms=imported["ms"],
            baseline_ms=baseline_insert,
            baseline="sqlite3 executemany of as many rows",
            target_ms=30_000,
            target_size=TARGET_ROWS,
            measured_size=rows,
            quick_ceiling=150,
            details=import_details,
        ),
        Figure(
            name="sync re-import, every change known",
            value_ms=reimported["ms"],
            baseline_ms=imported["ms"],
            baseline="the first import",
            target_ms=imported["ms"] * 0.5,
            target_size=TARGET_ROWS,
            measured_size=rows,
            quick_ceiling=1,
            details=f"{reimported['duplicates']:,} known changes skipped",
            target_ratio=0.5,
        ),
        Figure(
            name="sync weekly delta of a centre",
            value_ms=weekly["ms"],
            baseline_ms=read_again["ms"],
            baseline="sqlite3 read of the change log",
            target_ms=1_000,
            target_size=TARGET_ROWS,
            measured_size=rows,
            quick_ceiling=20,
            details=f"{weekly['changes']:,} changes, {weekly['size'] / 1e3:.0f} kB",
        ),
    ]


def _add_week(database: Path) -> None:
    """A week of marks at the centre: five new session days of 1,000 people."""
    register = open_register(str(database))
    try:
        with register.unit_of_work(read_only=True) as uow:
            from sqlalchemy import select

            people = list(uow.session.scalars(select(Beneficiary.id).limit(WEEK_PEOPLE)))
        group_id = natural_id("bench-group", "week")
        with register.unit_of_work() as uow:
            days = [dt.date(2026, 11, 16) + dt.timedelta(days=d) for d in range(WEEK_DAYS)]
            sessions = [
                {"id": natural_id("session", group_id, day, 1), "group_id": group_id, "date": day}
                for day in days
            ]
            uow.insert_rows(Session, sessions)
            uow.insert_rows(
                Attendance,
                [
                    {
                        "id": natural_id("attendance", s["id"], person),
                        "session_id": s["id"],
                        "beneficiary_id": person,
                        "status": "P",
                    }
                    for s in sessions
                    for person in people
                ],
            )
    finally:
        register.close()
