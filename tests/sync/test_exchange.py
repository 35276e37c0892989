"""Two laptops of one centre, a second centre and a delegation exchange bundles in any
order, with duplicates, and end up holding the same records.

The delegation holds exactly the union of what the centres hold; the two laptops of one
centre hold identical registers; a centre never receives another centre's records.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.models import ChangeLog, SyncConflict
from app.services import duplicates, integrity
from tests.sync.replicas import (
    Replica,
    add_person,
    by_id,
    centre,
    delegation,
    edit_person,
    enrol,
    exchange,
    export,
    receive,
    remove_person,
    reopen,
)


@pytest.fixture
def world(tmp_path: Path) -> Iterator[dict[str, Replica]]:
    replicas = {
        "a1": centre(tmp_path, "a1"),
        "a2": centre(tmp_path, "a2"),
        "b": centre(tmp_path, "b", code="ETF-TAZA-02"),
        "d": delegation(tmp_path),
    }
    for name in ("a1", "a2", "b"):
        enrol(replicas[name], replicas["d"])
    yield replicas
    for replica in replicas.values():
        replica.close()


def drain(world: dict[str, Replica]) -> None:
    """Exchange until nothing new moves: every laptop to the delegation and back."""
    d = world["d"]
    for _round in range(3):
        for name in ("a1", "a2", "b"):
            exchange(world[name], d)
        for name in ("a1", "a2", "b"):
            exchange(d, world[name])


def assert_consistent(world: dict[str, Replica]) -> None:
    a1, a2, b, d = (by_id(world[n].dump()) for n in ("a1", "a2", "b", "d"))
    assert a1 == a2, "the two laptops of one centre hold the same records"
    for table in d:
        union = {**b[table], **a1[table]}
        for row_id in b[table].keys() & a1[table].keys():
            assert b[table][row_id] == a1[table][row_id], f"{table} {row_id} shared differs"
        # Pairs of people across two centres are the delegation's own.
        own = {
            k: v
            for k, v in d[table].items()
            if table == "duplicate_candidate" and not v["centre_id"]
        }
        assert d[table] == union | own, f"{table}: the delegation holds the union of the centres"
    people_a = {r["id"] for r in a1["beneficiary"].values()}
    people_b = {r["id"] for r in b["beneficiary"].values()}
    assert people_a and people_b and not people_a & people_b
    for replica in world.values():
        with replica.register.unit_of_work(read_only=True) as uow:
            assert integrity.log_differences(uow) == [], replica.name


def test_everyone_ends_with_the_same_records(world: dict[str, Replica]) -> None:
    a1, a2, b, d = world["a1"], world["a2"], world["b"], world["d"]
    fatima = add_person(a1, "العلوي", "فاطمة", cin="AB123456")
    add_person(a2, "بناني", "خديجة")
    add_person(b, "الإدريسي", "سناء")
    # Two bundles from a1 before either is imported, delivered in reverse order.
    first = export(a1, d)
    add_person(a1, "التازي", "مريم")
    second = export(a1, d)
    assert receive(d, second).applied > 0
    late = receive(d, first)
    assert late.applied == 0 and late.duplicates > 0, "a cumulative delta covers the earlier"
    assert receive(d, second).already_imported
    drain(world)
    assert_consistent(world)
    # Both laptops now edit the same person at once; then one deletes another person
    # while the other edits her.
    edit_person(a1, fatima, phone="0612345678")
    edit_person(a2, fatima, phone="0698765432")
    maryam = next(row["id"] for row in a1.dump()["beneficiary"] if row["given_name_ar"] == "مريم")
    remove_person(a1, maryam)
    edit_person(a2, maryam, address="حي القدس")
    drain(world)
    assert_consistent(world)
    people = by_id(a2.dump())["beneficiary"]
    assert people[maryam]["cl"] % 2 == 0, "the delete beats the concurrent edit"
    assert people[maryam]["address"] == "حي القدس", "the edit is kept on the tombstone"
    with d.register.unit_of_work(read_only=True) as uow:
        conflicts = uow.session.scalars(select(SyncConflict)).all()
    assert [(c.field, c.row_id.hex) for c in conflicts] == [("phone", fatima.replace("-", ""))]
    kept = by_id(d.dump())["beneficiary"][fatima]["phone"]
    assert {conflicts[0].kept_value.strip('"'), conflicts[0].lost_value.strip('"')} == {
        "0612345678",
        "0698765432",
    }
    assert conflicts[0].kept_value.strip('"') == kept


def test_a_centre_receives_only_its_own_records(world: dict[str, Replica]) -> None:
    a1, b, d = world["a1"], world["b"], world["d"]
    add_person(a1, "العلوي", "فاطمة")
    add_person(b, "الإدريسي", "سناء")
    exchange(a1, d)
    exchange(b, d)
    exchange(d, a1)
    names = {row["given_name_ar"] for row in a1.dump()["beneficiary"]}
    assert names == {"فاطمة"}
    with a1.register.unit_of_work(read_only=True) as uow:
        centres = uow.session.scalar(
            select(func.count()).select_from(ChangeLog).where(ChangeLog.table_name == "centre")
        )
    assert centres == 1, "not even the other centre's name"


def test_a_delegation_restored_from_an_old_copy_gets_back_what_it_lost(
    world: dict[str, Replica], tmp_path: Path
) -> None:
    a1, d = world["a1"], world["d"]
    add_person(a1, "العلوي", "فاطمة")
    exchange(a1, d)
    exchange(d, a1)
    d.close()
    database = tmp_path / "delegation.sqlite"
    backup = tmp_path / "delegation-backup.sqlite"
    shutil.copy(database, backup)
    d = world["d"] = reopen(d)
    add_person(a1, "بناني", "خديجة")
    exchange(a1, d)
    exchange(d, a1)
    # The delegation's disk fails; last night's copy is put back.
    d.close()
    shutil.copy(backup, database)
    for suffix in ("-wal", "-shm"):
        Path(f"{database}{suffix}").unlink(missing_ok=True)
    d = world["d"] = reopen(d)
    assert {r["given_name_ar"] for r in d.dump()["beneficiary"]} == {"فاطمة"}
    # Its next bundle says what it holds now; the centre's next delta carries the rest.
    exchange(d, a1)
    exchange(a1, d)
    assert {r["given_name_ar"] for r in d.dump()["beneficiary"]} == {"فاطمة", "خديجة"}


def test_the_same_person_at_two_centres_is_a_possible_duplicate(
    world: dict[str, Replica],
) -> None:
    a1, a2, b, d = world["a1"], world["a2"], world["b"], world["d"]
    add_person(a1, "العلوي", "فاطمة", cin="AB123456")
    add_person(b, "العلوى", "فاطمة", cin="ab 123456")
    # Two laptops of one centre register the same woman while apart.
    add_person(a1, "بناني", "خديجة")
    add_person(a2, "بنانى", "خديجة")
    drain(world)
    with d.register.unit_of_work(read_only=True) as uow:
        pairs = duplicates.list_candidates(uow)
    assert sorted((p.reason, p.first.centre_code == p.second.centre_code) for p in pairs) == [
        ("cin", False),
        ("name_birth", True),
    ]
    with a2.register.unit_of_work(read_only=True) as uow:
        seen_at_centre = duplicates.list_candidates(uow)
    assert [p.reason for p in seen_at_centre] == ["name_birth"], (
        "a centre sees its own pair, never the one across centres"
    )
    with a2.register.unit_of_work() as uow:
        duplicates.dismiss(uow, str(seen_at_centre[0].id))
    drain(world)
    for replica in (a1, d):
        with replica.register.unit_of_work(read_only=True) as uow:
            assert [p.reason for p in duplicates.list_candidates(uow)] == (
                ["cin"] if replica is d else []
            )
    assert_consistent(world)
