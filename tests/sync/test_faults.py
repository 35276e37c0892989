"""Bundles that are cut short, damaged, altered, misaddressed or from the wrong hands are
refused whole with one reason, and the register is exactly as it was; an import killed at
any moment leaves the register exactly before or exactly after it."""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.i18n import _
from app.models import ChangeLog, SyncImport
from app.services import demo, keys
from app.sync import bundle
from app.sync.bundle import BundleRejected
from tests.sync.replicas import (
    PASSPHRASE,
    TODAY,
    Replica,
    add_person,
    centre,
    delegation,
    enrol,
    export,
    receive,
)


@pytest.fixture
def pair(tmp_path: Path) -> Iterator[tuple[Replica, Replica]]:
    a, d = centre(tmp_path, "a"), delegation(tmp_path)
    enrol(a, d)
    yield a, d
    a.close()
    d.close()


def _state(replica: Replica) -> tuple[int, int, str]:
    with replica.register.unit_of_work(read_only=True) as uow:
        changes = uow.session.scalar(select(func.count()).select_from(ChangeLog))
        imports = uow.session.scalar(select(func.count()).select_from(SyncImport))
    return changes, imports, repr(replica.dump())


def export_to(sender: Replica, stranger: Replica) -> Path:
    """A bundle the sender addresses to a register that does not trust the sender."""
    identity = keys.read_identity_file(keys.identity_file(stranger.keys))
    with sender.register.unit_of_work() as uow:
        keys.trust(uow, identity)
    return export(sender, stranger)


def _refused(replica: Replica, path: Path) -> str:
    with pytest.raises(BundleRejected) as caught:
        receive(replica, path)
    return caught.value.reason


def test_a_bundle_cut_at_any_byte_is_refused(pair: tuple[Replica, Replica], tmp_path: Path) -> None:
    a, d = pair
    add_person(a, "العلوي", "فاطمة")
    whole = export(a, d).read_bytes()
    before = _state(d)
    cut = tmp_path / "cut.sjl"
    reasons = set()
    for length in range(len(whole)):
        cut.write_bytes(whole[:length])
        reasons.add(_refused(d, cut))
    assert _state(d) == before
    assert len(reasons) >= 2, reasons
    cut.write_bytes(whole)
    assert receive(d, cut).applied > 0


def test_flipped_bits_are_refused(pair: tuple[Replica, Replica], tmp_path: Path) -> None:
    a, d = pair
    add_person(a, "العلوي", "فاطمة")
    whole = bytearray(export(a, d).read_bytes())
    before = _state(d)
    damaged = tmp_path / "damaged.sjl"
    chance = random.Random(7)
    offsets = sorted({chance.randrange(len(whole)) for _ in range(300)} | {len(whole) - 1})
    for offset in offsets:
        flipped = bytearray(whole)
        flipped[offset] ^= 1 << chance.randrange(8)
        damaged.write_bytes(bytes(flipped))
        _refused(d, damaged)
    assert _state(d) == before


def test_misaddressed_untrusted_and_revoked_bundles_are_refused(
    pair: tuple[Replica, Replica], tmp_path: Path
) -> None:
    a, d = pair
    stranger = centre(tmp_path, "stranger", code="ETF-TAZA-09")
    try:
        add_person(a, "العلوي", "فاطمة")
        to_d = export(a, d)
        untrusted = _("This bundle comes from a register this one does not trust ({code}).")
        # Addressed to the delegation: the stranger is not among the recipients.
        assert _refused(stranger, to_d) == _("This bundle is addressed to another register.")
        to_stranger = export_to(a, stranger)
        assert _refused(stranger, to_stranger) == untrusted.format(code="ETF-TAZA-01")
        enrol(stranger, d)
        # A centre's bundle addressed to the delegation cannot be opened by another centre.
        before = _state(stranger)
        _refused(stranger, to_d)
        assert _state(stranger) == before
        # The delegation revokes a's key: what a signs is refused from then on.
        with d.register.unit_of_work() as uow:
            keys.revoke(uow, a.keys.identity.key_id)
        before = _state(d)
        revoked = _("This bundle was signed by a key that was revoked ({code}): it is refused.")
        assert _refused(d, to_d) == revoked.format(code="ETF-TAZA-01")
        assert _state(d) == before
    finally:
        stranger.close()


def test_a_bundle_from_a_newer_sijill_asks_for_an_update(
    pair: tuple[Replica, Replica], tmp_path: Path
) -> None:
    a, d = pair
    whole = bytearray(export(a, d).read_bytes())
    magic = len(bundle.MAGIC)
    whole[magic : magic + 2] = (bundle.FORMAT_VERSION + 1).to_bytes(2, "big")
    newer = tmp_path / "newer.sjl"
    newer.write_bytes(bytes(whole))
    assert _refused(d, newer) == _("This bundle was made by a newer Sijill: update Sijill.")


@pytest.mark.parametrize(
    "content", [b"", b"PK\x03\x04 a spreadsheet", b"SIJILL-BUNDLE\n", os.urandom(5000)]
)
def test_other_files_are_not_bundles(
    pair: tuple[Replica, Replica], tmp_path: Path, content: bytes
) -> None:
    _a, d = pair
    path = tmp_path / "other.sjl"
    path.write_bytes(content)
    before = _state(d)
    _refused(d, path)
    assert _state(d) == before


def test_a_centre_cannot_send_another_centres_records(tmp_path: Path) -> None:
    """A laptop that claims to be centre B while holding centre A's register is refused by
    a delegation that trusts it as B."""
    a, d = centre(tmp_path, "a"), delegation(tmp_path)
    b = centre(tmp_path, "b", code="ETF-TAZA-02")
    try:
        add_person(a, "العلوي", "فاطمة")
        # The delegation trusts a's keys under b's name and code.
        identity = keys.read_identity_file(keys.identity_file(a.keys))
        forged = keys.Identity(
            "centre",
            "ETF-TAZA-02",
            "b",
            identity.site_id,
            identity.sign_public,
            identity.box_public,
        )
        with d.register.unit_of_work() as uow:
            keys.trust(uow, forged)
        with a.register.unit_of_work() as uow:
            keys.trust(uow, keys.read_identity_file(keys.identity_file(d.keys)))
        before = _state(d)
        assert _refused(d, export(a, d)) == _(
            "This bundle holds records of another centre: it is refused."
        )
        assert _state(d) == before
    finally:
        for replica in (a, d, b):
            replica.close()


KILLED_IMPORT = """
import sys
from pathlib import Path
from app.services import keys
from app.services.register import open_register
from app.sync.import_ import import_bundle
register = open_register(sys.argv[1])
with register.unit_of_work() as uow:
    unlocked = keys.unlock(uow, passphrase=sys.argv[3])
print("ready", flush=True)
with register.unit_of_work() as uow:
    import_bundle(uow, keys=unlocked, path=Path(sys.argv[2]))
print("done", flush=True)
"""


def test_an_import_killed_at_any_moment_leaves_before_or_after(tmp_path: Path) -> None:
    a, d = centre(tmp_path, "a"), delegation(tmp_path)
    try:
        enrol(a, d)
        demo.create_demo(a.register, seed=3, beneficiaries=300, months=10, today=TODAY)
        path = export(a, d)
        before = _state(d)
        reference = tmp_path / "reference.sqlite"
    finally:
        a.close()
        d.close()
    database = tmp_path / "delegation.sqlite"
    pristine = tmp_path / "pristine.sqlite"
    shutil.copy(database, pristine)
    shutil.copy(database, reference)
    environment = {**os.environ, "PYTHONPATH": str(Path.cwd())}
    # The import run to its end once, timed, gives the state after and the span to aim at.
    process = subprocess.Popen(
        [sys.executable, "-c", KILLED_IMPORT, str(reference), str(path), PASSPHRASE],
        env=environment,
        stdout=subprocess.PIPE,
    )
    assert process.stdout is not None
    assert process.stdout.readline().strip() == b"ready"
    began = time.perf_counter()
    assert process.stdout.readline().strip() == b"done"
    span = time.perf_counter() - began
    assert process.wait() == 0
    chance = random.Random(11)
    outcomes = set()
    for attempt in range(8):
        shutil.copy(pristine, database)
        for suffix in ("-wal", "-shm"):
            Path(f"{database}{suffix}").unlink(missing_ok=True)
        process = subprocess.Popen(
            [sys.executable, "-c", KILLED_IMPORT, str(database), str(path), PASSPHRASE],
            env=environment,
            stdout=subprocess.PIPE,
        )
        assert process.stdout is not None
        assert process.stdout.readline().strip() == b"ready"
        if attempt == 7:
            # The last kill comes right after the commit, before the process ends.
            assert process.stdout.readline().strip() == b"done"
        else:
            # The others at random during the import or around its end (a run here can
            # take twice as long as the timed one on a busy machine).
            time.sleep(span * chance.uniform(0.0, 1.0 if attempt % 2 == 0 else 3.0))
        process.send_signal(signal.SIGKILL)
        process.wait()
        d = delegation_at(database)
        try:
            state = _state(d)
        finally:
            d.close()
        after = delegation_at(reference)
        try:
            expected_after = _state(after)
        finally:
            after.close()
        assert state in (before, expected_after)
        outcomes.add("after" if state == expected_after else "before")
    # Kills came both before the commit and after it.
    assert outcomes == {"before", "after"}, outcomes


def delegation_at(path: Path) -> Replica:
    from app.services.register import open_register

    register = open_register(str(path))
    with register.unit_of_work() as uow:
        unlocked = keys.unlock(uow, passphrase=PASSPHRASE)
    return Replica("d", register, unlocked, path.parent)
