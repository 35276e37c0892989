"""Whatever the laptops do and however the bundles travel, every replica is what its
change log says, nothing is lost, and once the mailboxes drain everyone agrees.

A Hypothesis state machine drives two laptops of centre A, one of centre B and the
delegation: people created, edited (the same field on both A laptops at once), deleted and
restored; attendance marked for the same person at the same session on both A laptops;
look-alikes (same CIN, or same name and birth date) of someone another replica holds,
registered and enrolled, so possible duplicates appear when the records meet; pairs
merged where they are seen, the same pair sometimes at two places apart, keeping one
record at one and the other at the other; clocks set hours or days wrong, one far in the
future; a laptop or the delegation put back to an older copy of its database; and bundles
posted into mailboxes, then delivered in order, out of order, twice, replayed much later,
cut short, with a bit flipped, or with the import crashing before it commits.

After every step, each replica it touched must hold exactly the tables that an oracle
folds from that replica's own change log (written here, independently of the import
code), and its log must only have grown; a refused or crashed import must leave every
row of every table as it was. At the end every mailbox is delivered, two rounds of
exchanges run, and: the two A laptops hold the same records and the same log, the
delegation holds exactly the union of A's and B's records, B holds nothing of A, every
change any replica held before the drain reached the delegation, and every chain of
merges ends with a living record holding everything that pointed at the ones merged away
(unless someone removed a record of the chain by hand).

Interesting events are counted (``hypothesis.event`` and ``EVENTS``); the test fails if one
happened fewer than a few times over the run, so a harness that stopped exercising, say,
conflicts or crashes cannot pass unnoticed.

Profile: 200 examples of up to 20 steps. Under CI (the CI variable set) the run is
derandomized and keeps no example database, so it is the same run every time; elsewhere
it explores new examples and replays saved failures from .hypothesis/.
"""

from __future__ import annotations

import functools
import json
import os
import shutil
import sqlite3
import tempfile
import uuid
from collections import Counter
from collections.abc import Callable
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import pytest
from hypothesis import HealthCheck, event, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)
from sqlalchemy import select

from app.models import MODEL_BY_TABLE, Beneficiary, ChangeLog, SyncImport
from app.services import attendance, duplicates, groups, keys, merging
from app.services.centres import centre_id
from app.services.clock import physical_ms
from app.services.dump import dump_records
from app.services.errors import InputRejected
from app.services.progress import Progress
from app.sync import bundle
from app.sync.bundle import BundleRejected
from app.sync.export import export_bundle
from app.sync.import_ import Imported, import_bundle
from tests.sync.conftest import CENTRE_B, ENROLLED_FROM, GROUP, SESSION_DAYS, Templates
from tests.sync.replicas import (
    TODAY,
    Replica,
    add_person,
    back_up,
    by_id,
    database_file,
    edit_person,
    put_back,
    remove_person,
    restore_person,
)

CI = bool(os.environ.get("CI"))
SETTINGS = settings(
    max_examples=200,
    stateful_step_count=20,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    derandomize=CI,
    print_blob=True,
    **({"database": None} if CI else {}),
)

LAPTOPS = ("a1", "a2", "b")
REPLICAS = (*LAPTOPS, "d")
CENTRE_OF = {"a1": "A", "a2": "A", "b": "B"}
SCOPES = {"A": str(centre_id("ETF-TAZA-01")), "B": str(centre_id(CENTRE_B))}
# Every way a bundle travels: each laptop to the delegation and back. The order is also
# the order in which the final drain empties them.
MAILBOXES = (*((laptop, "d") for laptop in LAPTOPS), *(("d", laptop) for laptop in LAPTOPS))
# Two rounds suffice: the first carries what the acknowledgements say is missing and
# corrects them where a replica lost something; the second carries the rest.
DRAIN_ROUNDS = 2

HOUR = 3_600_000
DAY = 24 * HOUR
# Clock errors: none, a few hours either way, days behind, and far in the future (more
# than the day a receiver tolerates before it flags the sender's clock).
SKEWS = (0, -3 * HOUR, 5 * HOUR, -2 * DAY, 3 * DAY, 40 * DAY)

FAMILIES = ("العلوي", "بناني")
GIVEN = ("سلمى", "نادية", "أمينة", "حليمة")
VALUES = {
    "phone": ("0611111111", "0622222222", "0633333333"),
    "address": ("حي القدس", "حي السلام", "درب الحجر"),
    "notes": ("تابعت الدروس", "انتقلت إلى فاس", "تحتاج مرافقة"),
}
FIELDS = tuple(VALUES)
STATUSES = ("present", "absent", "late", "excused")
# National ID numbers the look-alikes share; a look-alike by ID gets a name of its own.
CINS = ("K100001", "K100002", "AB200003")
OTHER_GIVEN = "زينب"
# Tables whose rows name a person: what a merge moves and follow_merges follows.
REFERRING = tuple(model.__tablename__ for model in merging.REFERRING)

# Each event that must happen at least this many times over a run of the machine.
REQUIRED_EVENTS = {
    "conflict logged": 3,
    "duplicate changes skipped": 3,
    "already imported: no-op": 3,
    "truncated bundle refused": 3,
    "bit-flipped bundle refused": 3,
    "out-of-order delivery": 3,
    "replayed later": 3,
    "delete beats a later concurrent edit": 3,
    "restore beats the delete": 3,
    "clock far ahead flagged": 3,
    "crash rolled back": 3,
    "crash mid-merge": 3,
    "reinstall took a new site id": 3,
    "one attendance row from two laptops": 3,
    "merge done": 3,
    "late rows followed to the kept record": 3,
    "same pair merged apart, each keeping another record": 3,
    "merge made apart settled: one record back": 3,
    "merged away: everything followed": 3,
}
EVENTS: Counter[str] = Counter()


def note(name: str) -> None:
    EVENTS[name] += 1
    event(name)


class Crash(Exception):
    """The import's process dies here."""


# -- the oracle ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Entry:
    origin_site: str
    origin_seq: int
    table_name: str
    row_id: str
    cl: int
    hlc_wall: int
    hlc_counter: int
    base_wall: int
    base_counter: int
    scope: str | None
    fields: dict[str, Any]

    @property
    def key(self) -> tuple[str, int]:
        return (self.origin_site, self.origin_seq)

    @property
    def order(self) -> tuple[int, int, str, int]:
        return (self.hlc_wall, self.hlc_counter, self.origin_site, self.origin_seq)


def change_log(replica: Replica) -> list[Entry]:
    columns = [getattr(ChangeLog, name) for name in Entry.__dataclass_fields__]
    with replica.register.reading() as session:
        rows = session.execute(select(*columns)).all()
    return [
        Entry(
            *row[:3],
            str(row.row_id),
            *row[4:9],
            str(row.scope) if row.scope is not None else None,
            json.loads(row.fields),
        )
        for row in rows
    ]


def _default(column: Any) -> Any:
    default = column.default
    return default.arg if default is not None and default.is_scalar else None


def _required(table: str) -> list[str]:
    """Columns a row cannot be stored without: not null and no default."""
    columns = MODEL_BY_TABLE[table].__table__.columns
    return [
        c.name
        for c in columns
        if not c.nullable and _default(c) is None and c.name not in ("id", "cl")
    ]


def oracle(entries: list[Entry]) -> dict[str, dict[str, dict[str, Any]]]:
    """The tables a replica must hold, folded from its change log: per row, its changes in
    clock order (wall, counter, origin site, number), each field its last written value,
    the causal length the largest. A table or field this Sijill does not know stays in the
    log only; a row whose log lacks a field it cannot be stored without (its creation has
    not arrived yet) is not stored yet."""
    folded: dict[tuple[str, str], dict[str, Any]] = {}
    for entry in sorted(entries, key=lambda e: e.order):
        row = folded.setdefault((entry.table_name, entry.row_id), {"cl": 0})
        row.update(entry.fields)
        row["cl"] = max(row["cl"], entry.cl)
    tables: dict[str, dict[str, dict[str, Any]]] = {name: {} for name in MODEL_BY_TABLE}
    for (table, row_id), fields in folded.items():
        if table not in MODEL_BY_TABLE or any(n not in fields for n in _required(table)):
            continue
        record = {}
        for column in MODEL_BY_TABLE[table].__table__.columns:
            if column.info.get("local"):
                continue
            record[column.name] = fields.get(column.name, _default(column))
        record["id"], record["cl"] = row_id, fields["cl"]
        tables[table][row_id] = record
    return tables


def stored(replica: Replica) -> dict[str, dict[str, dict[str, Any]]]:
    with replica.register.unit_of_work(read_only=True) as uow:
        return by_id(dump_records(uow)["tables"])


def raw_state(replica: Replica) -> dict[str, list[tuple]]:
    """Every row of every table of the database file, local ones included."""
    with closing(sqlite3.connect(database_file(replica))) as connection:
        names = [
            row[0]
            for row in connection.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        return {
            name: sorted(connection.execute(f'SELECT * FROM "{name}"').fetchall(), key=repr)
            for name in sorted(names)
        }


# -- the machine ---------------------------------------------------------------------------

F = TypeVar("F", bound=Callable[..., None])


def step(function: F) -> F:
    """Mark the machine as mid-step while ``function`` runs: a step that raised leaves the
    mark, and the teardown then skips the final drain (its failure would hide the
    first)."""

    @functools.wraps(function)
    def wrapper(self: SyncWorld, **arguments: Any) -> None:
        self.failed = True
        function(self, **arguments)
        self.failed = False

    return wrapper  # type: ignore[return-value]


@dataclass(frozen=True)
class Backup:
    path: Path
    site_id: str
    last_seq: int


PICK = st.integers(min_value=0, max_value=1_000)


class SyncWorld(RuleBasedStateMachine):
    def __init__(self, templates: Templates, base: Path) -> None:
        super().__init__()
        self.folder = Path(tempfile.mkdtemp(prefix="example-", dir=base))
        # Each example's installs.json: its copies are new databases in a new place.
        os.environ["SIJILL_HOME"] = str(self.folder / "sijill-home")
        self.templates = templates
        self.world = templates.open(self.folder)
        (self.folder / "mail").mkdir()
        self.skew = dict.fromkeys(REPLICAS, 0)
        self.mail: dict[tuple[str, str], list[Path]] = {box: [] for box in MAILBOXES}
        self.delivered: list[tuple[str, Path]] = []
        self.backups: dict[str, list[Backup]] = {name: [] for name in REPLICAS}
        self.logs: dict[str, set[tuple[str, int]] | None] = dict.fromkeys(REPLICAS)
        self.touched = set(REPLICAS)
        # Who can be marked at each centre: the group's people, then look-alikes enrolled.
        self.enrolled = {c: list(people) for c, people in templates.enrolled.items()}
        # People someone removed or brought back by hand: a chain of merges may end with
        # one of them, and what a merge moved stays where it went.
        self.by_hand: set[str] = set()
        # The people of a pair someone merged: a laptop may write for the one removed.
        self.merged: set[str] = set()
        # Some import found a possible duplicate: merging is worth a step.
        self.pairs_found = False
        self.bundles = 0
        self.failed = False
        for name in REPLICAS:
            self._backup(name)

    # -- helpers ---------------------------------------------------------------------------

    def _people(self, name: str, *, alive: bool) -> list[str]:
        """The replica's people, newest first (ids are time-ordered): a small pick is a
        person someone just registered, where laptops step on each other most."""
        with self.world[name].register.reading() as session:
            rows = session.execute(
                select(Beneficiary.id, Beneficiary.cl).order_by(Beneficiary.id.desc())
            ).all()
        return [str(row_id) for row_id, cl in rows if (cl % 2 == 1) == alive]

    def _set_clock(self, name: str) -> None:
        offset = self.skew[name]
        self.world[name].register.physical_clock = lambda: physical_ms() + offset

    def _backup(self, name: str) -> None:
        site = self.world[name].register.site()
        path = self.folder / f"backup-{name}-{len(self.backups[name])}.sqlite"
        back_up(self.world[name], path)
        self.backups[name].append(Backup(path, site.site_id, site.last_seq))

    def _export(self, sender: str, recipient: str) -> Path:
        """A bundle for ``recipient`` as the sender's Sync screen makes it: addressed to
        the identity the sender trusts."""
        self.bundles += 1
        path = self.folder / "mail" / f"{self.bundles:04d}-{sender}-to-{recipient}.sjl"
        replica = self.world[sender]
        with replica.register.unit_of_work() as uow:
            trusted = keys.known_identity(uow, self.world[recipient].keys.identity.key_id)
            assert trusted is not None
            export_bundle(uow, keys=replica.keys, recipient=trusted.identity, path=path)
        return path

    def _import(self, recipient: str, path: Path) -> Imported:
        replica = self.world[recipient]
        bundle_id = bundle.inspect_file(path).bundle_id
        with replica.register.reading() as session:
            known = session.get(SyncImport, bundle_id) is not None
        before = raw_state(replica) if known else None
        site = replica.register.site()
        with replica.register.unit_of_work() as uow:
            result = import_bundle(uow, keys=replica.keys, path=path)
        self._note_followed(replica, site.site_id, site.last_seq)
        assert result.already_imported == known, "the ledger decides what is a second import"
        if known:
            assert raw_state(replica) == before, "a second import changes nothing"
            note("already imported: no-op")
        if result.possible_duplicates:
            self.pairs_found = True
        if result.duplicates:
            note("duplicate changes skipped")
        if result.conflicts:
            note("conflict logged")
        if result.clock_ahead:
            note("clock far ahead flagged")
        self.touched.add(recipient)
        return result

    @staticmethod
    def _note_followed(replica: Replica, site_id: str, after: int) -> None:
        """Name what the import wrote itself, past finding possible duplicates: rows that
        followed a merge (a removal, or a removed row stepped on), a record brought back
        (its causal length alone changed, to alive) after merges made apart."""
        with replica.register.reading() as session:
            written = session.execute(
                select(ChangeLog.table_name, ChangeLog.cl, ChangeLog.fields).where(
                    ChangeLog.origin_site == site_id, ChangeLog.origin_seq > after
                )
            ).all()
        if any(cl % 2 == 0 and table in (*REFERRING, "beneficiary") for table, cl, _ in written):
            note("late rows followed to the kept record")
        if any(
            cl % 2 == 1 and table == "beneficiary" and fields == "{}"
            for table, cl, fields in written
        ):
            note("merge made apart settled: one record back")

    def _refused(self, recipient: str, damaged: bytes) -> None:
        replica = self.world[recipient]
        path = self.folder / "damaged.sjl"
        path.write_bytes(damaged)
        before = raw_state(replica)
        with pytest.raises(BundleRejected), replica.register.unit_of_work() as uow:
            import_bundle(uow, keys=replica.keys, path=path)
        assert raw_state(replica) == before, "a refused bundle changes nothing"

    def _pending(self) -> list[tuple[str, str]]:
        return [box for box in MAILBOXES if self.mail[box]]

    def _drain(self) -> None:
        for box in MAILBOXES:
            while self.mail[box]:
                self._import(box[1], self.mail[box].pop(0))
        for _round in range(DRAIN_ROUNDS):
            for laptop in LAPTOPS:
                self._import("d", self._export(laptop, "d"))
            for laptop in LAPTOPS:
                self._import(laptop, self._export("d", laptop))

    # -- what people do --------------------------------------------------------------------

    @rule(laptop=st.sampled_from(LAPTOPS), name=st.integers(0, len(GIVEN) - 1))
    @step
    def create(self, laptop: str, name: int) -> None:
        add_person(self.world[laptop], FAMILIES[name % 2], GIVEN[name])
        self.touched.add(laptop)

    @rule(
        laptop=st.sampled_from(LAPTOPS),
        pick=PICK,
        field=st.sampled_from(FIELDS),
        value=st.integers(0, 2),
    )
    @step
    def edit(self, laptop: str, pick: int, field: str, value: int) -> None:
        people = self._people(laptop, alive=True)
        if people:
            edit_person(
                self.world[laptop],
                people[pick % len(people)],
                allow_duplicate_cin=True,
                **{field: VALUES[field][value]},
            )
            self.touched.add(laptop)

    @rule(
        pick=PICK, field=st.sampled_from(FIELDS), first=st.integers(0, 2), second=st.integers(0, 2)
    )
    @step
    def edit_on_both_a_laptops(self, pick: int, field: str, first: int, second: int) -> None:
        on_a2 = set(self._people("a2", alive=True))
        both = [person for person in self._people("a1", alive=True) if person in on_a2]
        if both:
            person = both[pick % len(both)]
            edit_person(
                self.world["a1"], person, allow_duplicate_cin=True, **{field: VALUES[field][first]}
            )
            edit_person(
                self.world["a2"], person, allow_duplicate_cin=True, **{field: VALUES[field][second]}
            )
            self.touched.update(("a1", "a2"))

    @rule(laptop=st.sampled_from(LAPTOPS), pick=PICK)
    @step
    def delete(self, laptop: str, pick: int) -> None:
        people = self._people(laptop, alive=True)
        if people:
            person = people[pick % len(people)]
            remove_person(self.world[laptop], person)
            self.by_hand.add(person)
            self.touched.add(laptop)

    @rule(
        pick=PICK,
        field=st.sampled_from(FIELDS),
        value=st.integers(0, 2),
        delete_first=st.booleans(),
    )
    @step
    def delete_on_one_a_laptop_edit_on_the_other(
        self, pick: int, field: str, value: int, delete_first: bool
    ) -> None:
        on_a2 = set(self._people("a2", alive=True))
        both = [person for person in self._people("a1", alive=True) if person in on_a2]
        if both:
            person = both[pick % len(both)]
            for laptop in ("a1", "a2") if delete_first else ("a2", "a1"):
                if laptop == "a1":
                    remove_person(self.world["a1"], person)
                    self.by_hand.add(person)
                else:
                    edit_person(
                        self.world["a2"],
                        person,
                        allow_duplicate_cin=True,
                        **{field: VALUES[field][value]},
                    )
            self.touched.update(("a1", "a2"))

    @rule(laptop=st.sampled_from(LAPTOPS), pick=PICK)
    @step
    def restore(self, laptop: str, pick: int) -> None:
        people = self._people(laptop, alive=False)
        if people:
            person = people[pick % len(people)]
            restore_person(self.world[laptop], person)
            self.by_hand.add(person)
            self.touched.add(laptop)

    def _mark(self, laptop: str, person: int, day: str, status: str) -> None:
        enrolled = self.enrolled[CENTRE_OF[laptop]]
        try:
            with self.world[laptop].register.unit_of_work() as uow:
                attendance.mark_attendance(
                    uow,
                    group=GROUP,
                    date=day,
                    status=status,
                    beneficiaries=[enrolled[person % len(enrolled)]],
                    today=TODAY,
                )
        except InputRejected:
            note("mark refused (person removed, or not here yet)")
        self.touched.add(laptop)

    @rule(
        laptop=st.sampled_from(LAPTOPS),
        person=st.integers(0, 4),
        day=st.sampled_from(SESSION_DAYS),
        status=st.sampled_from(STATUSES),
    )
    @step
    def mark(self, laptop: str, person: int, day: str, status: str) -> None:
        self._mark(laptop, person, day, status)

    @rule(
        person=st.integers(0, 4),
        day=st.sampled_from(SESSION_DAYS),
        first=st.sampled_from(STATUSES),
        second=st.sampled_from(STATUSES),
    )
    @step
    def mark_on_both_a_laptops(self, person: int, day: str, first: str, second: str) -> None:
        self._mark("a1", person, day, first)
        self._mark("a2", person, day, second)

    # -- possible duplicates and merges ---------------------------------------------------

    def _someone_of(self, centre: str, pick: int) -> Beneficiary | None:
        """One of the people of ``centre``'s group, as the first replica holding them
        alive has them."""
        for name in REPLICAS:
            alive = set(self._people(name, alive=True))
            people = [person for person in self.enrolled[centre] if person in alive]
            if people:
                with self.world[name].register.reading() as session:
                    row = session.get(Beneficiary, uuid.UUID(people[pick % len(people)]))
                    assert row is not None
                    session.expunge(row)
                    return row
        return None

    @rule(
        laptop=st.sampled_from(LAPTOPS),
        same_centre=st.booleans(),
        pick=PICK,
        by_cin=st.booleans(),
        enrol=st.booleans(),
    )
    @step
    def look_alike(
        self, laptop: str, same_centre: bool, pick: int, by_cin: bool, enrol: bool
    ) -> None:
        """Someone of the group, of the laptop's centre or of the other, is registered
        again on ``laptop``: the same ID number under another name, or the same name and
        birth date (with an ID number of the few the look-alikes share, for the next one).
        A pair of one centre can be merged; a pair across centres only the delegation
        sees, once the records meet. Enrolled in the group, the look-alike is marked like
        the others."""
        centre = CENTRE_OF[laptop] if same_centre else {"A": "B", "B": "A"}[CENTRE_OF[laptop]]
        self._look_alike(laptop, centre, pick, by_cin=by_cin, enrol=enrol)

    def _look_alike(
        self, laptop: str, centre: str, pick: int, *, by_cin: bool, enrol: bool
    ) -> str | None:
        original = self._someone_of(centre, pick)
        if original is None:
            note("look-alike: the person is removed everywhere")
            return None
        family, given, cin = original.family_name_ar, original.given_name_ar, original.cin
        if by_cin and cin:
            given = OTHER_GIVEN if given != OTHER_GIVEN else GIVEN[0]
        else:
            cin = CINS[pick % len(CINS)] if by_cin else None
        replica = self.world[laptop]
        try:
            person = add_person(replica, family, given, cin=cin)
        except InputRejected:
            note("look-alike refused (ID number known here)")
            return None
        self.touched.add(laptop)
        note("look-alike registered")
        if enrol:
            with replica.register.unit_of_work() as uow:
                groups.enrol(
                    uow, group=GROUP, beneficiaries=[person], start_date=ENROLLED_FROM, today=TODAY
                )
            self.enrolled[CENTRE_OF[laptop]].append(person)
        return person

    def _open_pairs(self, name: str) -> dict[str, duplicates.CandidateRecord]:
        """The open pairs of one centre ``name`` sees, both records alive there."""
        with self.world[name].register.unit_of_work(read_only=True) as uow:
            return {
                str(pair.id): pair
                for pair in duplicates.list_candidates(uow)
                if pair.first.centre_code == pair.second.centre_code
            }

    @precondition(lambda self: self.merged)
    @rule(
        laptop=st.sampled_from(LAPTOPS),
        pick=PICK,
        day=st.sampled_from(SESSION_DAYS),
        status=st.sampled_from(STATUSES),
        field=st.sampled_from(FIELDS),
    )
    @step
    def write_for_merged_away(
        self, laptop: str, pick: int, day: str, status: str, field: str
    ) -> None:
        """A laptop that has not heard of a merge made elsewhere writes for the record it
        removed: a mark when the record is in the group, else a correction."""
        here = set(self._people(laptop, alive=True))
        gone = {
            person
            for name in REPLICAS
            if name != laptop
            for person in self._people(name, alive=False)
            if person in here and person in self.merged
        }
        if not gone:
            return
        person = sorted(gone)[pick % len(gone)]
        note("written for a record merged away elsewhere")
        enrolled = self.enrolled[CENTRE_OF[laptop]]
        if person in enrolled:
            self._mark(laptop, enrolled.index(person), day, status)
        else:
            edit_person(
                self.world[laptop],
                person,
                allow_duplicate_cin=True,
                **{field: VALUES[field][pick % 3]},
            )
            self.touched.add(laptop)

    def _merge(self, name: str, pair: duplicates.CandidateRecord, *, keep_first: bool) -> None:
        kept = pair.first.id if keep_first else pair.second.id
        with self.world[name].register.unit_of_work() as uow:
            merging.merge(uow, pair.id, keep=kept)
        self.merged.update((str(pair.first.id), str(pair.second.id)))
        note("merge done")
        self.touched.add(name)

    @precondition(lambda self: self.pairs_found)
    @rule(replica=st.sampled_from(REPLICAS), pick=PICK, keep_first=st.booleans())
    @step
    def merge(self, replica: str, pick: int, keep_first: bool) -> None:
        """An open pair is merged where it is seen, keeping either record."""
        pairs = self._open_pairs(replica)
        if not pairs:
            note("merge: no open pair here")
            return
        ids = sorted(pairs)
        self._merge(replica, pairs[ids[pick % len(ids)]], keep_first=keep_first)

    @rule(
        places=st.sampled_from((("a1", "a2"), ("a2", "a1"), ("a1", "d"), ("d", "a2"))),
        pick=PICK,
        keep_first=st.booleans(),
        opposite=st.booleans(),
    )
    @step
    def merge_apart(
        self, places: tuple[str, str], pick: int, keep_first: bool, opposite: bool
    ) -> None:
        """One pair of centre A merged at two places that have not heard of each other's
        merge: most often each keeps the record the other removes. When no pair is open
        at both, someone of the group is registered again on an A laptop, enrolled, and
        the records meet (the laptop syncs with the delegation, the delegation with the
        laptops of ``places``), so that one is."""
        seen = [self._open_pairs(name) for name in places]
        if not seen[0].keys() & seen[1].keys():
            laptop = places[0] if places[0] in LAPTOPS else places[1]
            if self._look_alike(laptop, "A", pick, by_cin=False, enrol=True) is not None:
                self._import("d", self._export(laptop, "d"))
                for place in places:
                    if place != "d":
                        self._import(place, self._export("d", place))
            seen = [self._open_pairs(name) for name in places]
        ids = sorted(seen[0].keys() & seen[1].keys())
        if not ids:
            note("merge apart: no pair open at both places")
            return
        pair_id = ids[pick % len(ids)]
        self._merge(places[0], seen[0][pair_id], keep_first=keep_first)
        self._merge(places[1], seen[1][pair_id], keep_first=keep_first != opposite)

    # -- what goes wrong with machines ----------------------------------------------------

    @rule(replica=st.sampled_from(REPLICAS), offset=st.sampled_from(SKEWS))
    @step
    def set_clock(self, replica: str, offset: int) -> None:
        self.skew[replica] = offset
        self._set_clock(replica)

    @rule(replica=st.sampled_from(REPLICAS))
    @step
    def back_up(self, replica: str) -> None:
        self._backup(replica)

    @rule(replica=st.sampled_from(REPLICAS), which=PICK)
    @step
    def reinstall(self, replica: str, which: int) -> None:
        """The disk dies; an older copy of the database is put back and opened."""
        backups = self.backups[replica]
        backup = backups[which % len(backups)]
        current = self.world[replica]
        site = current.register.site()
        # Its change numbers since the copy may be known elsewhere: they must not be reused.
        renew = backup.site_id != site.site_id or backup.last_seq < site.last_seq
        self.world[replica] = put_back(current, backup.path)
        register = self.world[replica].register
        self._set_clock(replica)
        assert (register.new_site_reason is not None) == renew, register.new_site_reason
        if renew:
            assert register.site_id != backup.site_id
            assert backup.site_id in register.site().retired_site_ids.split(",")
            note("reinstall took a new site id")
        else:
            note("reinstall kept its site id (no change of its own since the copy)")
        self.logs[replica] = None
        self.touched.add(replica)

    # -- how bundles travel ----------------------------------------------------------------

    @rule(box=st.sampled_from(MAILBOXES))
    @step
    def post(self, box: tuple[str, str]) -> None:
        self.mail[box].append(self._export(*box))

    @precondition(lambda self: self._pending())
    @rule(pick=PICK, position=st.sampled_from(("oldest", "oldest", "newest", "any")), index=PICK)
    @step
    def deliver(self, pick: int, position: str, index: int) -> None:
        box = self._pending()[pick % len(self._pending())]
        queue = self.mail[box]
        at = {"oldest": 0, "newest": len(queue) - 1, "any": index % len(queue)}[position]
        if at > 0:
            note("out-of-order delivery")
        path = queue.pop(at)
        self._import(box[1], path)
        self.delivered.append((box[1], path))

    @rule(laptop=st.sampled_from(LAPTOPS))
    @step
    def round_trip(self, laptop: str) -> None:
        """The laptop syncs with the delegation and back at once, as on a visit."""
        self._import("d", self._export(laptop, "d"))
        self._import(laptop, self._export("d", laptop))

    @rule(box=st.sampled_from(MAILBOXES))
    @step
    def overtake(self, box: tuple[str, str]) -> None:
        """A later bundle overtakes one still on the road: it is delivered first."""
        if not self.mail[box]:
            self.mail[box].append(self._export(*box))
        path = self._export(*box)
        note("out-of-order delivery")
        self._import(box[1], path)
        self.delivered.append((box[1], path))

    @precondition(lambda self: self._pending())
    @rule(pick=PICK)
    @step
    def deliver_twice(self, pick: int) -> None:
        box = self._pending()[pick % len(self._pending())]
        path = self.mail[box].pop(0)
        self._import(box[1], path)
        assert self._import(box[1], path).already_imported
        self.delivered.append((box[1], path))

    @precondition(lambda self: self.delivered)
    @rule(index=PICK)
    @step
    def replay(self, index: int) -> None:
        """A stick found in a drawer: a bundle delivered long ago is imported again."""
        recipient, path = self.delivered[index % len(self.delivered)]
        result = self._import(recipient, path)
        note("replayed later")
        if not result.already_imported:
            note("replay after a reinstall applied again")

    @precondition(lambda self: self._pending())
    @rule(pick=PICK, cut=PICK)
    @step
    def deliver_truncated(self, pick: int, cut: int) -> None:
        box = self._pending()[pick % len(self._pending())]
        whole = self.mail[box][0].read_bytes()
        self._refused(box[1], whole[: cut * len(whole) // 1_001])
        note("truncated bundle refused")

    @precondition(lambda self: self._pending())
    @rule(pick=PICK, offset=st.integers(0, 10**6), bit=st.integers(0, 7))
    @step
    def deliver_bit_flipped(self, pick: int, offset: int, bit: int) -> None:
        box = self._pending()[pick % len(self._pending())]
        damaged = bytearray(self.mail[box][0].read_bytes())
        damaged[offset % len(damaged)] ^= 1 << bit
        self._refused(box[1], bytes(damaged))
        note("bit-flipped bundle refused")

    def _carries_changes(self, box: tuple[str, str], path: Path) -> bool:
        sender, recipient = (self.world[name] for name in box)
        opened = bundle.open_bundle(path, keys=recipient.keys, sender=sender.keys.identity)
        return int(opened.manifest["count"]) > 0

    @rule(pick=PICK, during_merge=st.booleans())
    @step
    def crash_during_import(self, pick: int, during_merge: bool) -> None:
        """A bundle's import dies mid-merge (its progress callback raises) or after the
        merge, before the commit: the unit of work rolls back, and the bundle stays on the
        stick to be delivered again. A bundle with changes in it is chosen if there is
        one on the road; else one is made."""
        carrying = [
            (box, path)
            for box in MAILBOXES
            for path in self.mail[box]
            if self._carries_changes(box, path)
        ]
        if carrying:
            box, path = carrying[pick % len(carrying)]
        else:
            box = MAILBOXES[pick % len(MAILBOXES)]
            path = self._export(*box)
            self.mail[box].append(path)
        replica = self.world[box[1]]
        before = raw_state(replica)

        def die(_done: int, _total: int) -> None:
            note("crash mid-merge")
            raise Crash

        with pytest.raises(Crash), replica.register.unit_of_work() as uow:
            import_bundle(
                uow,
                keys=replica.keys,
                path=path,
                progress=Progress(on_step=die) if during_merge else None,
            )
            raise Crash
        assert raw_state(replica) == before, "a crashed import leaves the register as it was"
        note("crash rolled back")

    # -- what must always hold -------------------------------------------------------------

    @invariant()
    def every_replica_is_its_change_log(self) -> None:
        self.failed = True
        for name in sorted(self.touched):
            entries = change_log(self.world[name])
            assert stored(self.world[name]) == oracle(entries), f"{name} differs from its log"
            held = {entry.key for entry in entries}
            previous = self.logs[name]
            assert previous is None or previous <= held, f"{name} lost changes from its log"
            self.logs[name] = held
        self.touched.clear()
        self.failed = False

    def teardown(self) -> None:
        try:
            if not self.failed:
                self._drain_and_compare()
        finally:
            for replica in self.world.values():
                replica.close()
            shutil.rmtree(self.folder, ignore_errors=True)

    def _drain_and_compare(self) -> None:
        held_before = {entry.key for n in REPLICAS for entry in change_log(self.world[n])}
        self._drain()
        logs = {name: change_log(self.world[name]) for name in REPLICAS}
        tables = {name: stored(self.world[name]) for name in REPLICAS}
        for name in REPLICAS:
            assert tables[name] == oracle(logs[name]), f"{name} differs from its log"
        keys_of = {name: {entry.key for entry in logs[name]} for name in REPLICAS}
        assert held_before <= keys_of["d"], "a change some replica held was lost"
        scope_of = {entry.key: entry.scope for entry in logs["d"]}
        for laptop in LAPTOPS:
            in_scope = {k for k, s in scope_of.items() if s in (SCOPES[CENTRE_OF[laptop]], None)}
            assert keys_of[laptop] == in_scope, f"{laptop} holds its centre's changes, no more"
        a1, a2, b, d = (tables[name] for name in ("a1", "a2", "b", "d"))
        assert a1 == a2, "the two laptops of centre A hold the same records"
        rows_scope = {(e.table_name, e.row_id): e.scope for e in logs["d"]}
        for table, rows in d.items():
            for row_id in b[table].keys() & a1[table].keys():
                assert b[table][row_id] == a1[table][row_id], f"{table} {row_id} differs"
            shared = {
                row_id: row
                for row_id, row in rows.items()
                if rows_scope[(table, row_id)] in (SCOPES["A"], SCOPES["B"], None)
            }
            assert shared == {**b[table], **a1[table]}, f"{table}: the delegation is A ∪ B"
        people_a, people_b = set(a1["beneficiary"]), set(b["beneficiary"])
        assert not people_a & people_b, "B holds nothing of A"
        self._check_merges(d)
        self._count_merges(logs["d"])

    def _check_merges(self, tables: dict[str, dict[str, dict[str, Any]]]) -> None:
        """Every record merged away leads, pair by pair, to a living one, and nothing
        living points at it. Every mark and enrolment any record of the chain had, a
        living record it was merged into has: the end of its chain, or, for a record
        merged into two others at two places apart (two pairs), the end of either
        (what a register moved before it heard of the other pair stays where it went).
        Unless a record of the chain was removed or brought back by hand."""
        step: dict[str, str] = {}
        merged_into: dict[str, set[str]] = {}
        for pair_id in sorted(tables["duplicate_candidate"]):
            pair = tables["duplicate_candidate"][pair_id]
            kept = pair["kept_id"]
            if pair["cl"] % 2 == 1 and kept in (pair["first_id"], pair["second_id"]):
                other = pair["second_id"] if kept == pair["first_id"] else pair["first_id"]
                step.setdefault(other, kept)
                merged_into.setdefault(other, set()).add(kept)
        alive = {person for person, row in tables["beneficiary"].items() if row["cl"] % 2 == 1}

        def chain(person: str) -> list[str]:
            found = [person]
            while found[-1] in step and found[-1] not in alive and step[found[-1]] not in found:
                found.append(step[found[-1]])
            return found

        pointing: Counter[str] = Counter(
            row["beneficiary_id"]
            for table in REFERRING
            for row in tables[table].values()
            if row["cl"] % 2 == 1
        )
        for person in step.keys() - alive:
            ends = chain(person)
            if ends[-1] in alive:
                assert pointing[person] == 0, f"rows left on {person}, merged into {ends[-1]}"
                note("merged away: everything followed")
            else:
                assert self.by_hand & set(ends), f"no one survives the merges {ends}"

        def living_ends(person: str, seen: frozenset[str] = frozenset()) -> set[str]:
            if person in alive:
                return {person}
            return {
                end
                for kept in merged_into.get(person, set()) - seen
                for end in living_ends(kept, seen | {person})
            }

        for table, parent in (("attendance", "session_id"), ("enrolment", "group_id")):
            rows = tables[table].values()
            living = {(row[parent], row["beneficiary_id"]) for row in rows if row["cl"] % 2 == 1}
            for row in rows:
                ends = chain(row["beneficiary_id"])
                if ends[-1] in alive and not self.by_hand & set(ends):
                    assert any(
                        (row[parent], end) in living for end in living_ends(row["beneficiary_id"])
                    ), f"{table} {row['id']} was lost"

    @staticmethod
    def _count_merges(entries: list[Entry]) -> None:
        """Name the merges the run produced, from the delegation's whole log."""
        by_row: dict[tuple[str, str], list[Entry]] = {}
        for entry in entries:
            by_row.setdefault((entry.table_name, entry.row_id), []).append(entry)
        for (table, _row_id), changes in by_row.items():
            deletes = [c for c in changes if c.cl % 2 == 0]
            # An edit made after a delete in clock order, on a laptop that had not seen it.
            if any(
                e.fields and e.cl + 1 == d.cl and e.order > d.order
                for e in changes
                for d in deletes
            ):
                note("delete beats a later concurrent edit")
            if any(c.cl % 2 == 1 and c.cl >= 3 for c in changes):
                note("restore beats the delete")
            if table == "attendance" and len({c.origin_site for c in changes}) > 1:
                note("one attendance row from two laptops")
            kept = {c.fields["kept_id"] for c in changes if c.fields.get("kept_id")}
            if table == "duplicate_candidate" and len(kept) > 1:
                note("same pair merged apart, each keeping another record")


def test_any_story_of_edits_and_deliveries_converges(templates: Templates, tmp_path: Path) -> None:
    EVENTS.clear()
    run_state_machine_as_test(lambda: SyncWorld(templates, tmp_path), settings=SETTINGS)
    counts = "\n".join(f"  {count:5d}  {name}" for name, count in sorted(EVENTS.items()))
    print(f"\nEvents over the run:\n{counts}")
    rare = {name: EVENTS[name] for name, least in REQUIRED_EVENTS.items() if EVENTS[name] < least}
    assert not rare, f"events the run hardly exercised: {rare}\n{counts}"
