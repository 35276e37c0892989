"""The golden table of merge cases: one row per story, each with its exact outcome.

Every story starts from the same world (two laptops of centre A, one of centre B, the
delegation; P is a person of centre A every replica of A already holds) with every clock
stopped at a chosen instant, so "later" means exactly what the row says. ``t`` is seconds
on the stopped clocks. ``SYNC`` runs two rounds of a1, a2 → delegation → a1, a2.

Each row then says, for the row the story is about, what a1, a2 and the delegation all
hold once they have everything: its fields, whether it is alive, and the conflict log
entries for it, as (field, value lost, value kept), on each of the three.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from app.models import ChangeLog, Group, SyncConflict
from app.models.ids import natural_id, new_id
from app.services import attendance, groups
from app.services.centres import centre_id
from app.services.clock import physical_ms
from app.services.integrity import log_differences
from app.sync import bundle, records
from app.sync.export import export_bundle
from tests.sync.conftest import ENROLLED_FROM, GROUP, SESSION_DAYS, Templates
from tests.sync.replicas import (
    TODAY,
    Replica,
    add_person,
    back_up,
    by_id,
    centre,
    edit_person,
    enrol,
    exchange,
    put_back,
    receive,
    remove_person,
    restore_person,
)

X, Y = "0611111111", "0622222222"
HOME = "حي القدس"
DAY = SESSION_DAYS[0]
CENTRE_A = centre_id("ETF-TAZA-01")


@dataclass
class Story:
    world: dict[str, Replica]
    folder: Path
    frame: int
    people: dict[str, str]
    backups: dict[str, Path] = field(default_factory=dict)
    newer_site: str = ""

    def at(self, name: str, t: int) -> Replica:
        """The replica, its clock stopped at ``t`` seconds."""
        replica = self.world[name]
        instant = self.frame + t * 1000
        replica.register.physical_clock = lambda: instant
        return replica

    def row(self, who: str) -> tuple[str, str]:
        """(table, id) of the row a story is about: a person ("P"), her mark at the
        session of DAY ("P@day") or her enrolment in the group ("P@group")."""
        person, _at, what = who.partition("@")
        if not what:
            return "beneficiary", self.people[person]
        with self.world["a1"].register.reading() as session:
            group = session.scalars(select(Group).where(Group.name == GROUP)).one()
        if what == "group":
            return "enrolment", str(natural_id("enrolment", group.id, self.people[person]))
        session_id = natural_id("session", group.id, DAY, 1)
        return "attendance", str(natural_id("attendance", session_id, self.people[person]))


Step = Callable[[Story], None]


def edit(name: str, t: int, who: str = "P", **fields: str) -> Step:
    return lambda s: edit_person(s.at(name, t), s.people[who], **fields)


def delete(name: str, t: int, who: str = "P") -> Step:
    return lambda s: remove_person(s.at(name, t), s.people[who])


def restore(name: str, t: int, who: str = "P") -> Step:
    return lambda s: restore_person(s.at(name, t), s.people[who])


def register(name: str, t: int, who: str) -> Step:
    def run(s: Story) -> None:
        s.people[who] = add_person(s.at(name, t), "الصقلي", "رجاء")

    return run


def enrol_and_mark(name: str, t: int, who: str, status: str) -> Step:
    def run(s: Story) -> None:
        with s.at(name, t).register.unit_of_work() as uow:
            groups.enrol(
                uow,
                group=GROUP,
                beneficiaries=[s.people[who]],
                start_date=ENROLLED_FROM,
                today=TODAY,
            )
            attendance.mark_attendance(
                uow,
                group=GROUP,
                date=DAY,
                status=status,
                beneficiaries=[s.people[who]],
                today=TODAY,
            )

    return run


def mark(name: str, t: int, status: str) -> Step:
    def run(s: Story) -> None:
        with s.at(name, t).register.unit_of_work() as uow:
            attendance.mark_attendance(
                uow,
                group=GROUP,
                date=DAY,
                status=status,
                beneficiaries=[s.people["P"]],
                today=TODAY,
            )

    return run


def send(sender: str, recipient: str) -> Step:
    def run(s: Story) -> None:
        exchange(s.world[sender], s.world[recipient])

    return run


def sync(s: Story) -> None:
    for _round in range(2):
        for laptop in ("a1", "a2"):
            exchange(s.world[laptop], s.world["d"])
        for laptop in ("a1", "a2"):
            exchange(s.world["d"], s.world[laptop])


SYNC: Step = sync


def backup(name: str) -> Step:
    def run(s: Story) -> None:
        s.backups[name] = s.folder / f"{name}-backup.sqlite"
        back_up(s.world[name], s.backups[name])

    return run


def put_back_backup(name: str) -> Step:
    """The replica's disk dies and its backup is put back: a new site id."""

    def run(s: Story) -> None:
        clock = s.world[name].register.physical_clock
        s.world[name] = put_back(s.world[name], s.backups[name])
        s.world[name].register.physical_clock = clock
        assert s.world[name].register.new_site_reason is not None or name == "d"

    return run


def holds(name: str, who: str, *, stored: bool = True, logged: int | None = None) -> Step:
    """A check mid-story: whether ``name`` stores the row, and how many of its changes
    its log holds."""

    def run(s: Story) -> None:
        table, row_id = s.row(who)
        assert (row_id in by_id(s.world[name].dump())[table]) == stored, (name, who)
        if logged is not None:
            assert len(_log_of(s.world[name], row_id)) == logged, (name, who)

    return run


def clocks_tied(who: str) -> Step:
    """A check: the row's two newest changes carry the very same clock."""

    def run(s: Story) -> None:
        changes = _log_of(s.world["d"], s.row(who)[1])
        clocks = sorted(((c.hlc_wall, c.hlc_counter), c.origin_site) for c in changes)
        (first, site_1), (second, site_2) = clocks[-2:]
        assert first == second and site_1 != site_2

    return run


def _log_of(replica: Replica, row_id: str) -> list[ChangeLog]:
    with replica.register.reading() as session:
        return list(
            session.scalars(select(ChangeLog).where(ChangeLog.row_id == uuid.UUID(row_id))).all()
        )


def newer_schema(s: Story) -> None:
    """A third laptop of centre A, running a newer Sijill, sends the delegation a row of a
    table this Sijill does not have, and P's phone changed together with a field it does
    not have. Its bundle is its real one with the two changes added after its own, signed
    with its keys as any bundle is."""
    a3, d = centre(s.folder, "a3"), s.world["d"]
    s.world["a3"] = a3
    enrol(a3, d)
    plain = s.folder / "plain.sjl"
    with a3.register.unit_of_work() as uow:
        export_bundle(uow, keys=a3.keys, recipient=d.keys.identity, path=plain)
    opened = bundle.open_bundle(plain, keys=d.keys, sender=a3.keys.identity)
    site = a3.register.site_id
    last = a3.register.site().last_seq
    # It had P, as the delegation has her: its change was written over her newest one.
    newest = max((e.hlc_wall, e.hlc_counter) for e in _log_of(d, s.people["P"]))
    wall = s.frame + 5_000
    added = [
        [site, last + 1, "study_plan", str(new_id()), 1, wall, 0, 0, 0, str(CENTRE_A),
         json.dumps({"title": "خطة الدعم", "weeks": 12})],
        [site, last + 2, "beneficiary", s.people["P"], 1, wall, 1, *newest, str(CENTRE_A),
         json.dumps({"phone": X, "nickname": "فطوم"})],
    ]  # fmt: skip
    stream, count = records.compress([*opened.changes(), *added])
    manifest = dict(opened.manifest)
    tables = dict(manifest["tables"])
    tables["study_plan"] = 1
    tables["beneficiary"] = tables.get("beneficiary", 0) + 1
    manifest.update(
        count=count,
        tables=tables,
        origins={**manifest["origins"], site: [manifest["origins"][site][0], last + 2]},
        holds={**manifest["holds"], site: last + 2},
        held_counts={**manifest["held_counts"], site: manifest["held_counts"][site] + 2},
    )
    stream_key = bundle.new_stream_key()
    header = replace(
        opened.header,
        sealed_keys={d.keys.identity.key_id: bundle.seal_key(stream_key, d.keys.identity)},
    )
    crafted = s.folder / "newer.sjl"
    bundle.write(
        crafted,
        header=header,
        manifest=manifest,
        records=stream,
        keys=a3.keys,
        stream_key=stream_key,
    )
    result = receive(d, crafted)
    assert result.applied == count == last + 2, "every change is taken, the unknown ones too"
    s.newer_site = site


def newer_changes_kept_and_relayed(s: Story) -> None:
    """Both changes sit in the log of the delegation and of a2 (relayed), with the fields
    this Sijill does not know; neither the unknown table nor the unknown field is stored;
    centre B, outside their scope, never receives them (only the laptop's shared ones)."""
    for name in ("d", "a2"):
        with s.world[name].register.reading() as session:
            logged = session.scalars(
                select(ChangeLog)
                .where(ChangeLog.origin_site == s.newer_site)
                .order_by(ChangeLog.origin_seq)
            ).all()
        assert [c.table_name for c in logged[-2:]] == ["study_plan", "beneficiary"], name
        assert json.loads(logged[-1].fields) == {"phone": X, "nickname": "فطوم"}
        tables = s.world[name].dump()
        assert "study_plan" not in tables
        assert all("nickname" not in row for row in tables["beneficiary"])
    exchange(s.world["d"], s.world["b"])
    with s.world["b"].register.reading() as session:
        relayed = session.scalars(
            select(ChangeLog.table_name).where(ChangeLog.origin_site == s.newer_site)
        ).all()
    assert relayed and "study_plan" not in relayed and "beneficiary" not in relayed


@dataclass(frozen=True)
class Case:
    story: str
    steps: tuple[Step, ...]
    fields: dict[str, Any]
    alive: bool = True
    conflicts: frozenset[tuple[str, Any, Any]] = frozenset()
    who: str = "P"
    # The value written by the laptop with the larger site id wins a tie: the row names
    # each laptop's value and the check looks the winner up.
    tie: dict[str, str] | None = None


def conflict(field_name: str, lost: Any, kept: Any) -> frozenset[tuple[str, Any, Any]]:
    return frozenset({(field_name, lost, kept)})


CASES = [
    Case(
        "different fields on two laptops: both kept, no conflict",
        (edit("a1", 1, phone=X), edit("a2", 2, address=HOME), SYNC),
        {"phone": X, "address": HOME},
    ),
    Case(
        "same field on two laptops: the later clock wins, the loser is logged everywhere",
        (edit("a1", 1, phone=X), edit("a2", 2, phone=Y), SYNC),
        {"phone": Y},
        conflicts=conflict("phone", X, Y),
    ),
    Case(
        "same field, typed later on a laptop whose clock is behind: the earlier clock loses",
        (edit("a2", 5, phone=Y), edit("a1", 3, phone=X), SYNC),
        {"phone": Y},
        conflicts=conflict("phone", X, Y),
    ),
    Case(
        "same field, one after the other across a sync: the later saw it, no conflict",
        (edit("a1", 1, phone=X), SYNC, edit("a2", 2, phone=Y), SYNC),
        {"phone": Y},
    ),
    Case(
        "a stale change arriving after the newer one that saw it: no conflict",
        (
            backup("d"),
            edit("a1", 1, phone=X),
            SYNC,
            edit("a2", 2, phone=Y),
            # The delegation loses both; a2's next delta carries only Y, a1's brings X later.
            put_back_backup("d"),
            send("a2", "d"),
            holds("d", "P", logged=2),
            send("d", "a1"),
            send("a1", "d"),
            holds("d", "P", logged=3),
            SYNC,
        ),
        {"phone": Y},
    ),
    Case(
        "delete against a later concurrent edit: deleted, the edit kept on the tombstone",
        (delete("a1", 1), edit("a2", 2, address=HOME), SYNC),
        {"address": HOME},
        alive=False,
    ),
    Case(
        "restore after a delete: alive again everywhere",
        (delete("a1", 1), SYNC, restore("a2", 2), SYNC),
        {"cl": 3},
    ),
    Case(
        "restore against a later concurrent delete: the restore wins",
        (delete("a1", 1), restore("a1", 2), delete("a2", 3), SYNC),
        {"cl": 3},
    ),
    Case(
        "the same person marked at the same session on two laptops: one row, later wins",
        (mark("a1", 1, "present"), mark("a2", 2, "late"), SYNC),
        {"status": "late"},
        conflicts=conflict("status", "present", "late"),
        who="P@day",
    ),
    Case(
        "children (enrolment, mark) arriving before their person: kept, whole once she comes",
        (
            backup("a1"),
            register("a1", 1, "Q"),
            SYNC,
            enrol_and_mark("a2", 2, "Q", "present"),
            # a1's disk dies before it saw Q anywhere but in its own lost changes.
            put_back_backup("a1"),
            send("a2", "d"),
            send("d", "a1"),
            holds("a1", "Q", stored=False),
            holds("a1", "Q@group"),
            holds("a1", "Q@day"),
            send("a1", "d"),
            send("d", "a1"),
            holds("a1", "Q"),
            SYNC,
        ),
        {"given_name_ar": "رجاء"},
        who="Q",
    ),
    Case(
        "an edit arriving before its person's creation: waits in the log, then applies",
        (
            backup("a1"),
            register("a1", 1, "Q"),
            SYNC,
            edit("a2", 2, who="Q", phone=Y),
            put_back_backup("a1"),
            send("a2", "d"),
            send("d", "a1"),
            holds("a1", "Q", stored=False, logged=1),
            send("a1", "d"),
            send("d", "a1"),
            holds("a1", "Q", logged=2),
            SYNC,
        ),
        {"phone": Y, "given_name_ar": "رجاء"},
        who="Q",
    ),
    Case(
        "a table and a field of a newer Sijill: kept in the log, not stored, relayed",
        (newer_schema, SYNC, newer_changes_kept_and_relayed),
        {"phone": X},
    ),
    Case(
        "the same field at the very same clock: the larger origin site id wins",
        (edit("a1", 1, phone=X), edit("a2", 1, phone=Y), SYNC, clocks_tied("P")),
        {},
        tie={"a1": X, "a2": Y},
    ),
]


@pytest.fixture
def story(templates: Templates, tmp_path: Path) -> Iterator[Story]:
    world = templates.open(tmp_path / "world")
    frame = physical_ms() + 3_600_000
    s = Story(world, tmp_path, frame, {"P": templates.enrolled["A"][0]})
    for name in world:
        s.at(name, 100)
    yield s
    for replica in s.world.values():
        replica.close()


def _conflicts(replica: Replica, row_id: str) -> set[tuple[str, Any, Any]]:
    with replica.register.reading() as session:
        rows = session.scalars(
            select(SyncConflict).where(SyncConflict.row_id == uuid.UUID(row_id))
        ).all()
        return {(c.field, json.loads(c.lost_value), json.loads(c.kept_value)) for c in rows}


@pytest.mark.parametrize("case", CASES, ids=[case.story for case in CASES])
def test_merge(case: Case, story: Story) -> None:
    for step in case.steps:
        step(story)
    table, row_id = story.row(case.who)
    fields, conflicts = dict(case.fields), set(case.conflicts)
    if case.tie is not None:
        sites = {name: story.world[name].register.site_id for name in case.tie}
        winner = max(case.tie, key=sites.__getitem__)
        loser = min(case.tie, key=sites.__getitem__)
        fields["phone"] = case.tie[winner]
        conflicts = {("phone", case.tie[loser], case.tie[winner])}
    seen = {}
    for name in ("a1", "a2", "d"):
        rows = by_id(story.world[name].dump())[table]
        assert row_id in rows, f"{name} holds the row"
        row = rows[row_id]
        assert {k: row[k] for k in fields} == fields, name
        assert row["cl"] % 2 == (1 if case.alive else 0), f"{name}: alive is {case.alive}"
        assert _conflicts(story.world[name], row_id) == conflicts, name
        seen[name] = row
    assert seen["a1"] == seen["a2"] == seen["d"], "all three hold the same row"
    if table == "attendance":
        session_id = seen["d"]["session_id"]
        for name in ("a1", "a2", "d"):
            tables = story.world[name].dump()
            marks = [r for r in tables["attendance"] if r["session_id"] == session_id]
            assert len(marks) == 1, f"{name}: one mark, not one per laptop"
            assert [r["id"] for r in tables["session"]] == [session_id], "and one session"
    assert row_id not in by_id(story.world["b"].dump())[table], "centre B holds nothing of A"
    for name, replica in story.world.items():
        with replica.register.unit_of_work(read_only=True) as uow:
            assert log_differences(uow) == [], f"{name}: the tables are what its log says"
