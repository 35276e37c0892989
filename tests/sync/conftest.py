"""Four registers built once per test session and copied for each test that needs them.

Setting up a register and unlocking its keys (Argon2id) takes most of a second; the
stateful test needs fresh registers for each of its hundreds of examples. So the world is
built once: two laptops of centre A, one of centre B, the delegation, every laptop
enrolled with the delegation, a group at each centre with people enrolled in it, and
everything exchanged until each laptop holds its centre's records. Tests copy the files.
A copy opened at a new path takes a new site id (app/services/register.py), and the
unlocked keys stay valid for it: they are the same keys.
"""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from app.services import groups
from app.services.keys import UnlockedKeys
from app.services.register import open_register
from tests.sync.replicas import (
    TODAY,
    Replica,
    add_person,
    centre,
    delegation,
    enrol,
    exchange,
)

GROUP = "G1"
# Monday and Wednesday meetings; every day below is one of them, in the season, on or
# before TODAY and not a public holiday.
GROUP_DAYS = "mon,wed"
SESSION_DAYS = ("2026-11-02", "2026-11-04", "2026-11-09", "2026-11-11")
ENROLLED_FROM = dt.date(2026, 9, 14)
LAPTOPS = ("a1", "a2", "b")
CENTRE_B = "ETF-TAZA-02"
PEOPLE = {
    "a1": (("العلوي", "فاطمة"), ("بناني", "خديجة"), ("التازي", "مريم")),
    "b": (("الإدريسي", "سناء"), ("الفاسي", "نزهة")),
}


@dataclass(frozen=True)
class Templates:
    """The world as files: each replica's database and its unlocked keys, and the people
    enrolled in each centre's group (by the laptop that registered them)."""

    files: dict[str, Path]
    keys: dict[str, UnlockedKeys]
    enrolled: dict[str, tuple[str, ...]]

    def open(self, folder: Path) -> dict[str, Replica]:
        """A fresh copy of the world in ``folder``."""
        folder.mkdir(parents=True, exist_ok=True)
        world = {}
        for name, template in self.files.items():
            path = folder / template.name
            shutil.copy(template, path)
            world[name] = Replica(name, open_register(str(path)), self.keys[name], folder)
        return world


def _group_with_people(replica: Replica, people: tuple[tuple[str, str], ...]) -> tuple[str, ...]:
    with replica.register.unit_of_work() as uow:
        groups.add_group(uow, programme="EFT-COU", name=GROUP, days=GROUP_DAYS)
    ids = tuple(add_person(replica, family, given) for family, given in people)
    with replica.register.unit_of_work() as uow:
        groups.enrol(
            uow, group=GROUP, beneficiaries=list(ids), start_date=ENROLLED_FROM, today=TODAY
        )
    return ids


def build_templates(folder: Path) -> Templates:
    world = {
        "a1": centre(folder, "a1"),
        "a2": centre(folder, "a2"),
        "b": centre(folder, "b", code=CENTRE_B),
        "d": delegation(folder),
    }
    try:
        for name in LAPTOPS:
            enrol(world[name], world["d"])
        enrolled = {name: _group_with_people(world[name], PEOPLE[name]) for name in ("a1", "b")}
        # Two rounds: the first carries the records, the second the receipts, so each
        # copy starts with nothing unacknowledged.
        for _round in range(2):
            for name in LAPTOPS:
                exchange(world[name], world["d"])
            for name in LAPTOPS:
                exchange(world["d"], world[name])
        files = {name: Path(r.register.url.removeprefix("sqlite:///")) for name, r in world.items()}
        keys = {name: r.keys for name, r in world.items()}
    finally:
        for replica in world.values():
            replica.close()
    for path in files.values():
        # Closing checkpointed the write-ahead log: the main file is the whole database.
        assert not Path(f"{path}-wal").exists() or Path(f"{path}-wal").stat().st_size == 0
    return Templates(files, keys, {"A": enrolled["a1"], "B": enrolled["b"]})


@pytest.fixture(scope="session")
def templates(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Templates]:
    folder = tmp_path_factory.mktemp("sync-templates")
    with pytest.MonkeyPatch.context() as patch:
        # Session fixtures run before the per-test data dir is set: give the builder one.
        patch.setenv("SIJILL_HOME", str(folder / "sijill-home"))
        patch.delenv("SIJILL_DB", raising=False)
        built = build_templates(folder)
    yield built
