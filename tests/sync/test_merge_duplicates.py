"""A merge of two records of one person travels like any change, and what a laptop wrote
for the removed record before it heard of the merge follows it to the kept one.

Two laptops of centre A and the delegation (centre B's laptop alongside): laptop a2
registers a woman laptop a1 already has, enrols and marks her; once the pair is found,
a1 merges the two, keeping its own record, while a2, not yet aware, marks the removed
record again, corrects one of its marks and fills in its address. Whatever the order
the bundles travel in, every register ends with the same records: the kept woman holds
every mark, combined where both records had one, and nothing living points at the
removed record.

Merges made apart: a1 and a2 each merge the pair keeping their own record (or three
places merge three records in a circle). Every register ends with one of them alive, the
same one everywhere, holding every mark either record had.
"""

from __future__ import annotations

import itertools
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from app.models import Attendance, Beneficiary, DuplicateCandidate, Enrolment
from app.services import attendance, duplicates, groups, integrity, merging
from app.services.errors import InputRejected
from tests.sync.conftest import ENROLLED_FROM, GROUP, SESSION_DAYS, Templates
from tests.sync.replicas import (
    TODAY,
    Replica,
    add_person,
    by_id,
    edit_person,
    exchange,
    remove_person,
    restore_person,
)

STEPS = ("a1>d", "a2>d", "d>a2")
DUPLICATE_CIN = "K123456"
DUPLICATE_PHONE = "0611223344"
LATE_ADDRESS = "درب الحجر"


@pytest.fixture
def world(templates: Templates, tmp_path: Path) -> Iterator[dict[str, Replica]]:
    replicas = templates.open(tmp_path / "world")
    yield replicas
    for replica in replicas.values():
        replica.close()


def mark(replica: Replica, person: str, day: str, status: str) -> None:
    with replica.register.unit_of_work() as uow:
        attendance.mark_attendance(
            uow, group=GROUP, date=day, status=status, beneficiaries=[person], today=TODAY
        )


def drain(world: dict[str, Replica]) -> None:
    d = world["d"]
    for _round in range(2):
        for name in ("a1", "a2", "b"):
            exchange(world[name], d)
        for name in ("a1", "a2", "b"):
            exchange(d, world[name])


def deliver(world: dict[str, Replica], step: str) -> None:
    sender, recipient = step.split(">")
    exchange(world[sender], world[recipient])


def the_pair(replica: Replica, status: str = "open") -> duplicates.CandidateRecord:
    with replica.register.unit_of_work(read_only=True) as uow:
        (pair,) = duplicates.list_candidates(uow, status=status)
    return pair


def a_registered_twice(world: dict[str, Replica], templates: Templates) -> tuple[str, str]:
    """Fatima, registered on a1 (kept), registered again on a2 with her CIN and phone,
    enrolled and marked on both; everyone has exchanged. Returns (kept, removed)."""
    a1, a2 = world["a1"], world["a2"]
    kept = templates.enrolled["A"][0]
    again = add_person(a2, "العلوى", "فاطمة", cin=DUPLICATE_CIN)
    edit_person(a2, again, phone=DUPLICATE_PHONE)
    with a2.register.unit_of_work() as uow:
        groups.enrol(uow, group=GROUP, beneficiaries=[again], start_date=ENROLLED_FROM, today=TODAY)
    mark(a2, again, SESSION_DAYS[0], "present")
    mark(a2, again, SESSION_DAYS[2], "absent")
    mark(a1, kept, SESSION_DAYS[0], "absent")
    mark(a1, kept, SESSION_DAYS[1], "present")
    drain(world)
    return kept, again


def living_marks(replica: Replica) -> dict[tuple[str, str], str]:
    """(person, day) → status of every living mark of the group."""
    with replica.register.unit_of_work(read_only=True) as uow:
        return {
            (str(m.beneficiary_id), m.date.isoformat()): m.status
            for m in attendance.marks_of_group(uow, group=GROUP)
        }


def pointing_at(replica: Replica, person: str) -> list[str]:
    """The living enrolments and marks that name ``person``."""
    person_id = uuid.UUID(person)
    with replica.register.unit_of_work(read_only=True) as uow:
        return [
            f"{model.__tablename__} {row.id}"
            for model in (Enrolment, Attendance)
            for row in uow.session.scalars(
                select(model).where(model.beneficiary_id == person_id, model.cl % 2 == 1)
            )
        ]


@pytest.mark.parametrize("order", list(itertools.permutations(STEPS)), ids="+".join)
def test_marks_written_for_the_removed_record_follow_the_merge(
    world: dict[str, Replica], templates: Templates, order: tuple[str, ...]
) -> None:
    a1, a2, d = world["a1"], world["a2"], world["d"]
    kept, removed = a_registered_twice(world, templates)
    pair = the_pair(a1)
    assert pair.id == the_pair(a2).id == the_pair(d).id, "one pair, wherever it was found"

    with a1.register.unit_of_work() as uow:
        merged = merging.merge(uow, str(pair.id), keep=kept)
    assert set(merged.filled) == {"cin", "phone"}
    # a2 has not heard of it: the removed record gets a new mark, a corrected one, and
    # her address.
    mark(a2, removed, SESSION_DAYS[3], "late")
    mark(a2, removed, SESSION_DAYS[2], "present")
    edit_person(a2, removed, address=LATE_ADDRESS)

    for step in order:
        deliver(world, step)
    drain(world)
    # Settled: following the merge wrote nothing more anywhere.
    for name in ("a1", "a2"):
        assert exchange(world[name], d).applied == 0
        assert exchange(d, world[name]).applied == 0

    dumps = {name: by_id(world[name].dump()) for name in ("a1", "a2", "b", "d")}
    assert dumps["a1"] == dumps["a2"], "the two laptops of the centre hold the same records"
    for table, rows in dumps["d"].items():
        assert rows == {**dumps["b"][table], **dumps["a1"][table]}, table
    for replica in world.values():
        with replica.register.unit_of_work(read_only=True) as uow:
            assert integrity.log_differences(uow) == [], replica.name

    # Every mark is the kept woman's: day 0 combined (present beats absent), day 2 moved
    # then corrected late, day 3 written late.
    assert {
        day: status for (person, day), status in living_marks(a1).items() if person == kept
    } == {
        SESSION_DAYS[0]: "present",
        SESSION_DAYS[1]: "present",
        SESSION_DAYS[2]: "present",
        SESSION_DAYS[3]: "late",
    }
    assert pointing_at(d, removed) == [] and pointing_at(a2, removed) == []
    person = dumps["d"]["beneficiary"]
    assert (person[kept]["cin"], person[kept]["phone"], person[kept]["address"]) == (
        DUPLICATE_CIN,
        DUPLICATE_PHONE,
        LATE_ADDRESS,
    )
    assert person[removed]["cl"] % 2 == 0, "the removed record stays a tombstone"
    closed = the_pair(a2, "merged")
    assert closed.kept_id == uuid.UUID(kept)
    with a2.register.unit_of_work(read_only=True) as uow:
        assert merging.orphans(uow) == 0


def test_a_merge_at_the_delegation_reaches_both_laptops(
    world: dict[str, Replica], templates: Templates
) -> None:
    a1, a2, d = world["a1"], world["a2"], world["d"]
    kept, removed = a_registered_twice(world, templates)
    pair = the_pair(d)
    # The delegation keeps the later record this time.
    with d.register.unit_of_work() as uow:
        merging.merge(uow, pair.id, keep=removed)
    drain(world)
    for replica in (a1, a2):
        marks = living_marks(replica)
        assert {person for person, _day in marks} >= {removed}
        assert kept not in {person for person, _day in marks}, replica.name
        assert marks[(removed, SESSION_DAYS[0])] == "present"
        assert marks[(removed, SESSION_DAYS[1])] == "present"
        assert the_pair(replica, "merged").kept_id == uuid.UUID(removed)
    assert by_id(a1.dump()) == by_id(a2.dump())


def test_two_records_at_two_centres_are_not_merged(world: dict[str, Replica]) -> None:
    b, d = world["b"], world["d"]
    add_person(b, "العلوي", "فاطمة")
    drain(world)
    pair = the_pair(d)
    assert pair.first.centre_code != pair.second.centre_code
    before = d.dump()
    with pytest.raises(InputRejected) as refused, d.register.unit_of_work() as uow:
        merging.merge(uow, pair.id, keep=pair.first.id)
    assert "ETF-TAZA-01" in refused.value.errors[0].message
    assert d.dump() == before, "nothing written"
    with d.register.unit_of_work(read_only=True) as uow:
        statuses = uow.session.scalars(select(DuplicateCandidate.status)).all()
        people = uow.session.scalars(select(Beneficiary).where(Beneficiary.cl % 2 == 0)).all()
    assert list(statuses) == ["open"] and list(people) == []


DOUBLE_ORDERS = (
    ("a1>d", "a2>d"),
    ("a2>d", "a1>d"),
    ("a1>d", "d>a2", "a2>d"),
    ("a2>d", "d>a1", "a1>d"),
)


@pytest.mark.parametrize("later", ["a1", "a2"], ids=lambda name: f"{name}-merges-later")
@pytest.mark.parametrize("order", DOUBLE_ORDERS, ids="+".join)
def test_one_pair_merged_apart_on_both_laptops_leaves_one_person(
    world: dict[str, Replica], templates: Templates, order: tuple[str, ...], later: str
) -> None:
    a1, a2, d = world["a1"], world["a2"], world["d"]
    on_a1, on_a2 = a_registered_twice(world, templates)
    pair = the_pair(a1)
    # Each laptop keeps its own record; the merge made later is the pair's last word.
    keeps = {"a1": on_a1, "a2": on_a2}
    for name in sorted(keeps, key=lambda name: name == later):
        with world[name].register.unit_of_work() as uow:
            merging.merge(uow, pair.id, keep=keeps[name])
    survivor, gone = keeps[later], keeps["a2" if later == "a1" else "a1"]
    # Each laptop goes on with the record it kept: a mark on a fourth day, an address.
    mark(a1, on_a1, SESSION_DAYS[3], "present")
    mark(a2, on_a2, SESSION_DAYS[3], "late")
    edit_person(a1, on_a1, address=LATE_ADDRESS)

    for step in order:
        deliver(world, step)
    drain(world)
    for name in ("a1", "a2"):
        assert exchange(world[name], d).applied == 0, "settled: nothing more to write"
        assert exchange(d, world[name]).applied == 0

    dumps = {name: by_id(world[name].dump()) for name in ("a1", "a2", "b", "d")}
    assert dumps["a1"] == dumps["a2"], "the two laptops hold the same records"
    for table, rows in dumps["d"].items():
        assert rows == {**dumps["b"][table], **dumps["a1"][table]}, table
    for replica in world.values():
        with replica.register.unit_of_work(read_only=True) as uow:
            assert integrity.log_differences(uow) == [], replica.name
            assert merging.orphans(uow) == 0, replica.name

    people = dumps["d"]["beneficiary"]
    assert people[survivor]["cl"] % 2 == 1, "the record the later merge kept is back"
    assert people[gone]["cl"] % 2 == 0, "the other stays removed"
    assert (people[survivor]["cin"], people[survivor]["phone"]) == (DUPLICATE_CIN, DUPLICATE_PHONE)
    assert people[survivor]["address"] == LATE_ADDRESS
    assert the_pair(a1, "merged").kept_id == the_pair(d, "merged").kept_id == uuid.UUID(survivor)
    # Every mark either record had is the survivor's, combined where both had one.
    for replica in (a1, a2):
        assert {
            day: status
            for (person, day), status in living_marks(replica).items()
            if person == survivor
        } == {
            SESSION_DAYS[0]: "present",
            SESSION_DAYS[1]: "present",
            SESSION_DAYS[2]: "absent",
            SESSION_DAYS[3]: "present",
        }, replica.name
        assert pointing_at(replica, gone) == [], replica.name
    enrolments = [
        row
        for row in dumps["d"]["enrolment"].values()
        if row["beneficiary_id"] == survivor and row["cl"] % 2 == 1
    ]
    assert len(enrolments) == 1, "the survivor is still enrolled in the group"


def merge_pair(replica: Replica, one: str, other: str, *, keep: str) -> None:
    """Merge, at ``replica``, the open pair of these two records."""
    with replica.register.unit_of_work() as uow:
        (pair,) = [
            p
            for p in duplicates.list_candidates(uow)
            if {str(p.first.id), str(p.second.id)} == {one, other}
        ]
        merging.merge(uow, pair.id, keep=keep)


def test_a_mark_moved_after_the_earlier_merge_comes_back_with_the_survivor(
    world: dict[str, Replica], templates: Templates
) -> None:
    """a2 marks its record on a day a1's had a mark and sends it; the delegation, having
    a1's merge, moves that mark to a1's record. Then a2 merges keeping its own record (the
    later merge): the survivor gets the mark back, combined with a1's."""
    a1, a2, d = world["a1"], world["a2"], world["d"]
    on_a1, on_a2 = a_registered_twice(world, templates)
    mark(a1, on_a1, SESSION_DAYS[3], "absent")
    drain(world)
    merge_pair(a1, on_a1, on_a2, keep=on_a1)
    mark(a2, on_a2, SESSION_DAYS[3], "excused")
    exchange(a2, d)
    exchange(a1, d)
    merge_pair(a2, on_a1, on_a2, keep=on_a2)
    exchange(a2, d)
    drain(world)

    assert by_id(a1.dump()) == by_id(a2.dump())
    assert {
        day: status for (person, day), status in living_marks(a1).items() if person == on_a2
    } == {
        SESSION_DAYS[0]: "present",
        SESSION_DAYS[1]: "present",
        SESSION_DAYS[2]: "absent",
        SESSION_DAYS[3]: "excused",
    }
    assert pointing_at(d, on_a1) == []


def test_a_register_still_following_the_earlier_merge_does_not_outvote_the_survivor(
    world: dict[str, Replica], templates: Templates
) -> None:
    """The delegation merges the pair keeping a2's record; a1 later keeps its own (the
    pair's last word). a1 hears of the delegation's merge and brings its record back.
    Meanwhile a2, which has heard of neither merge, corrects a1's record, marks it and
    corrects the mark, and the delegation, knowing only its own merge, follows each late change to
    a2's record. Following changes nothing of the removed record's standing: when a1's
    word arrives, a1's record is alive everywhere, holding every mark."""
    a1, a2, d = world["a1"], world["a2"], world["d"]
    on_a1, on_a2 = a_registered_twice(world, templates)
    merge_pair(d, on_a1, on_a2, keep=on_a2)
    merge_pair(a1, on_a1, on_a2, keep=on_a1)
    exchange(d, a1)
    assert by_id(a1.dump())["beneficiary"][on_a1]["cl"] % 2 == 1, "a1 brought its record back"
    edit_person(a2, on_a1, address=LATE_ADDRESS)
    exchange(a2, d)
    mark(a2, on_a1, SESSION_DAYS[3], "late")
    exchange(a2, d)
    mark(a2, on_a1, SESSION_DAYS[3], "present")
    exchange(a2, d)
    assert pointing_at(d, on_a1) == [], "the delegation followed its own merge"
    assert len(pointing_at(d, on_a2)) == 5, "an enrolment and four marks"
    exchange(a1, d)
    drain(world)

    dumps = {name: by_id(world[name].dump()) for name in ("a1", "a2", "d")}
    assert dumps["a1"] == dumps["a2"]
    for name, dump in dumps.items():
        people = dump["beneficiary"]
        assert people[on_a1]["cl"] % 2 == 1, f"{name}: the record the later merge kept lives"
        assert people[on_a2]["cl"] % 2 == 0, f"{name}: the other stays removed"
        assert people[on_a1]["address"] == LATE_ADDRESS, name
    assert {
        day: status for (person, day), status in living_marks(a1).items() if person == on_a1
    } == {
        SESSION_DAYS[0]: "present",
        SESSION_DAYS[1]: "present",
        SESSION_DAYS[2]: "absent",
        SESSION_DAYS[3]: "present",
    }
    for name in ("a1", "a2"):
        assert exchange(world[name], d).applied == 0, "settled"
        assert exchange(d, world[name]).applied == 0
        with world[name].register.unit_of_work(read_only=True) as uow:
            assert merging.orphans(uow) == 0


def test_the_survivor_removed_by_hand_afterwards_stays_removed(
    world: dict[str, Replica], templates: Templates
) -> None:
    a1, a2, d = world["a1"], world["a2"], world["d"]
    on_a1, on_a2 = a_registered_twice(world, templates)
    merge_pair(a1, on_a1, on_a2, keep=on_a1)
    merge_pair(a2, on_a1, on_a2, keep=on_a2)  # later: a2's record survives
    drain(world)
    assert by_id(d.dump())["beneficiary"][on_a2]["cl"] % 2 == 1
    remove_person(a1, on_a2)
    drain(world)
    for replica in (a1, a2, d):
        people = by_id(replica.dump())["beneficiary"]
        assert people[on_a2]["cl"] % 2 == 0, replica.name
        assert people[on_a1]["cl"] % 2 == 0, replica.name
    for name in ("a1", "a2"):
        assert exchange(world[name], d).applied == 0, "settled: removed by hand, it stays"
        assert exchange(d, world[name]).applied == 0


def test_three_records_merged_in_a_circle_at_three_places_leave_one(
    world: dict[str, Replica], templates: Templates
) -> None:
    """Three records of one woman; each of a1, a2 and the delegation merges another pair,
    each keeping the record another merge removes. The first of the three by id
    survives, holding every mark."""
    a1, a2, d = world["a1"], world["a2"], world["d"]
    x, y = a_registered_twice(world, templates)
    z = add_person(a1, "العلوي", "فاطمة")
    with a1.register.unit_of_work() as uow:
        groups.enrol(uow, group=GROUP, beneficiaries=[z], start_date=ENROLLED_FROM, today=TODAY)
    mark(a1, z, SESSION_DAYS[3], "late")
    drain(world)
    merge_pair(a1, x, y, keep=y)
    merge_pair(a2, y, z, keep=z)
    merge_pair(d, z, x, keep=x)
    drain(world)

    dumps = {name: by_id(world[name].dump()) for name in ("a1", "a2", "d")}
    assert dumps["a1"] == dumps["a2"]
    people = dumps["d"]["beneficiary"]
    survivor = min((x, y, z), key=str)
    assert [p for p in (x, y, z) if people[p]["cl"] % 2 == 1] == [survivor]
    assert {
        day: status for (person, day), status in living_marks(a1).items() if person == survivor
    } == {
        SESSION_DAYS[0]: "present",
        SESSION_DAYS[1]: "present",
        SESSION_DAYS[2]: "absent",
        SESSION_DAYS[3]: "late",
    }
    with a1.register.unit_of_work(read_only=True) as uow:
        assert merging.orphans(uow) == 0


def test_a_pair_found_again_after_its_merge_stays_merged(
    world: dict[str, Replica], templates: Templates
) -> None:
    """a1 finds a pair a2 has merged already, before it hears of the merge: its own row
    of the pair, open and later by the clock, would reopen it everywhere. The pair stays
    merged, naming the record a2 kept, and the removed record stays removed."""
    a1, a2, d = world["a1"], world["a2"], world["d"]
    fatima = templates.enrolled["A"][0]
    again = add_person(a2, "العلوي", "فاطمة")
    # Fatima is away from the delegation's records when her look-alike arrives there:
    # the delegation finds no pair; it brings her back by hand afterwards.
    remove_person(a1, fatima)
    exchange(a1, d)
    exchange(a2, d)
    restore_person(d, fatima)
    with d.register.unit_of_work(read_only=True) as uow:
        assert duplicates.list_candidates(uow) == []
    exchange(d, a2)  # a2 finds the pair and merges it
    merge_pair(a2, fatima, again, keep=again)
    exchange(d, a1)  # a1 finds it too, on its own, later
    assert the_pair(a1).status == "open"
    drain(world)

    for replica in (a1, a2, d):
        closed = the_pair(replica, "merged")
        assert closed.kept_id == uuid.UUID(again), replica.name
        people = by_id(replica.dump())["beneficiary"]
        assert people[fatima]["cl"] % 2 == 0 and people[again]["cl"] % 2 == 1, replica.name
        assert pointing_at(replica, fatima) == [], replica.name
    assert by_id(a1.dump()) == by_id(a2.dump())
