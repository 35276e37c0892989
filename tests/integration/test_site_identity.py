"""A copied or restored database takes a new site id, so its change numbers are never reused."""

from __future__ import annotations

import shutil
from pathlib import Path

from app.services import groups
from app.services.register import open_register
from tests.integration.conftest import make_centre


def _write_something(location: str, name: str) -> None:
    register = open_register(location)
    with register.unit_of_work() as uow:
        groups.add_group(uow, programme="EFT-COU", name=name, days="mon")
    register.close()


def test_reopening_keeps_the_site(tmp_path: Path) -> None:
    location = str(tmp_path / "a.sqlite")
    first = make_centre(location)
    first.close()
    again = open_register(location)
    assert again.site_id == first.site_id and again.new_site_reason is None
    again.close()


def test_a_copy_takes_a_new_site_and_the_original_keeps_its_own(tmp_path: Path) -> None:
    original = str(tmp_path / "a.sqlite")
    first = make_centre(original)
    first.close()
    copy = tmp_path / "usb" / "a.sqlite"
    copy.parent.mkdir()
    shutil.copy(original, copy)
    copied = open_register(str(copy))
    assert copied.site_id != first.site_id
    assert copied.new_site_reason is not None
    assert first.site_id in copied.site().retired_site_ids
    copied.close()
    reopened = open_register(original)
    assert reopened.site_id == first.site_id
    reopened.close()


def test_restoring_an_older_copy_takes_a_new_site(tmp_path: Path) -> None:
    location = tmp_path / "a.sqlite"
    first = make_centre(str(location))
    first.close()
    backup = tmp_path / "backup.sqlite"
    shutil.copy(location, backup)
    _write_something(str(location), "G1")
    shutil.copy(backup, location)  # the coordinator restores last week's copy
    for suffix in ("-wal", "-shm"):
        Path(f"{location}{suffix}").unlink(missing_ok=True)
    restored = open_register(str(location))
    assert restored.site_id != first.site_id
    assert "restored" in (restored.new_site_reason or "")
    restored.close()
    # Writing after the restore continues under the new site, numbered from 1.
    _write_something(str(location), "G2")
    again = open_register(str(location))
    assert again.new_site_reason is None and again.site().last_seq == 1
    again.close()
