"""Registers that exchange bundles in tests: centres, their laptops and a delegation.

Each replica is a real SQLite register with its own keys; ``exchange`` writes a bundle
from one to another and imports it, as a USB stick would carry it.
"""

from __future__ import annotations

import datetime as dt
import shutil
import sqlite3
import uuid
from contextlib import closing
from dataclasses import dataclass, replace
from pathlib import Path

from app.models import Beneficiary
from app.services import beneficiaries, keys
from app.services.beneficiaries import BeneficiaryInput
from app.services.centres import initialise_centre, initialise_delegation
from app.services.dump import dump_records
from app.services.keys import UnlockedKeys
from app.services.register import Register, open_register
from app.sync.export import Exported, export_bundle
from app.sync.import_ import Imported, import_bundle

TODAY = dt.date(2026, 11, 22)
PASSPHRASE = "a long enough passphrase"
PROVINCE = "03.561"


@dataclass
class Replica:
    name: str
    register: Register
    keys: UnlockedKeys
    folder: Path

    def close(self) -> None:
        self.register.close()

    def dump(self) -> dict[str, list[dict]]:
        with self.register.unit_of_work(read_only=True) as uow:
            return dump_records(uow)["tables"]


def _unlocked(register: Register) -> UnlockedKeys:
    with register.unit_of_work() as uow:
        return keys.unlock(uow, passphrase=PASSPHRASE)


def centre(folder: Path, name: str, *, code: str = "ETF-TAZA-01") -> Replica:
    register = open_register(str(folder / f"{name}.sqlite"))
    with register.unit_of_work() as uow:
        initialise_centre(
            uow,
            code=code,
            name=f"مركز {code}",
            kind="education_training",
            province_code=PROVINCE,
            today=TODAY,
        )
    return Replica(name, register, _unlocked(register), folder)


def delegation(folder: Path) -> Replica:
    register = open_register(str(folder / "delegation.sqlite"))
    with register.unit_of_work() as uow:
        initialise_delegation(uow, province_code=PROVINCE)
    return Replica("delegation", register, _unlocked(register), folder)


def reopen(replica: Replica) -> Replica:
    """The same database file opened again (after a copy was put back, say)."""
    register = open_register(replica.register.url.removeprefix("sqlite:///"))
    return Replica(replica.name, register, _unlocked(register), replica.folder)


def database_file(replica: Replica) -> Path:
    return Path(replica.register.url.removeprefix("sqlite:///"))


def back_up(replica: Replica, path: Path) -> None:
    """A consistent copy of the replica's database, as a backup tool would take it."""
    with (
        closing(sqlite3.connect(database_file(replica))) as source,
        closing(sqlite3.connect(path)) as copy,
    ):
        source.backup(copy)


def put_back(replica: Replica, backup: Path) -> Replica:
    """The disk died: ``backup`` is copied over the database, which is opened again with
    the same keys (they live in the database, and the copy holds them too)."""
    database = database_file(replica)
    replica.close()
    shutil.copy(backup, database)
    for suffix in ("-wal", "-shm"):
        Path(f"{database}{suffix}").unlink(missing_ok=True)
    return Replica(replica.name, open_register(str(database)), replica.keys, replica.folder)


def enrol(a: Replica, b: Replica) -> None:
    """Each trusts the other's identity file (the fingerprints were compared)."""
    for one, other in ((a, b), (b, a)):
        identity = keys.read_identity_file(keys.identity_file(other.keys))
        with one.register.unit_of_work() as uow:
            keys.trust(uow, identity)


_bundles = 0


def export(sender: Replica, recipient: Replica, *, snapshot: bool = False) -> Path:
    global _bundles
    _bundles += 1
    path = sender.folder / f"{_bundles:04d}-{sender.name}-to-{recipient.name}.sjl"
    with sender.register.unit_of_work() as uow:
        result: Exported = export_bundle(
            uow, keys=sender.keys, recipient=recipient.keys.identity, path=path, snapshot=snapshot
        )
    assert result.path == path
    return path


def receive(recipient: Replica, path: Path) -> Imported:
    with recipient.register.unit_of_work() as uow:
        return import_bundle(uow, keys=recipient.keys, path=path)


def exchange(sender: Replica, recipient: Replica) -> Imported:
    return receive(recipient, export(sender, recipient))


def add_person(replica: Replica, family: str, given: str, *, cin: str | None = None) -> str:
    with replica.register.unit_of_work() as uow:
        record = beneficiaries.register_beneficiary(
            uow,
            BeneficiaryInput(
                family_name_ar=family,
                given_name_ar=given,
                sex="F",
                birth_date="1990-05-01",
                cin=cin,
            ),
            today=TODAY,
        )
    return str(record.id)


def by_id(tables: dict[str, list[dict]]) -> dict[str, dict[str, dict]]:
    return {table: {row["id"]: row for row in rows} for table, rows in tables.items()}


def edit_person(
    replica: Replica, person: str, *, allow_duplicate_cin: bool = False, **changes: str
) -> None:
    """Change some fields of a person; ``allow_duplicate_cin``: the person editing answered
    "save anyway" when another record here has the same ID number."""
    with replica.register.unit_of_work() as uow:
        current = beneficiaries.get_beneficiary(uow, person)
        data = replace(beneficiaries.input_from_record(current), **changes)
        beneficiaries.update_beneficiary(
            uow, current.id, data, today=TODAY, allow_duplicate_cin=allow_duplicate_cin
        )


def remove_person(replica: Replica, person: str) -> None:
    with replica.register.unit_of_work() as uow:
        beneficiaries.remove_beneficiary(uow, uuid.UUID(person))


def restore_person(replica: Replica, person: str) -> None:
    """Bring a removed person back (a deliberate restore: it beats the delete)."""
    with replica.register.unit_of_work() as uow:
        row = uow.session.get(Beneficiary, uuid.UUID(person))
        assert row is not None and not row.alive
        uow.restore(row)
