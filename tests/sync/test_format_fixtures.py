"""Bundles written by every released format version still import (SYNC.md, test 4).

Each folder under fixtures/ holds one version's bundle from a small centre, the
delegation's test keys that open it, and what the import must give. A fresh delegation
register of today's Sijill takes the old keys, trusts the old centre and imports it.
"""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest
from sqlalchemy import select

from app.models import Beneficiary, LocalKey
from app.services import keys
from app.services.centres import initialise_delegation
from app.services.register import open_register
from app.sync.import_ import import_bundle

FIXTURES = sorted((Path(__file__).parent / "fixtures").glob("format-*"))


def _bytes(text: str | None) -> bytes | None:
    return None if text is None else base64.b64decode(text)


def test_every_format_has_a_fixture() -> None:
    from app.sync.bundle import FORMAT_VERSION

    assert [f.name for f in FIXTURES][-1] == f"format-{FORMAT_VERSION}"


@pytest.mark.parametrize("folder", FIXTURES, ids=[f.name for f in FIXTURES])
@pytest.mark.usefixtures("no_keyring")
def test_an_old_bundle_imports(folder: Path, tmp_path: Path) -> None:
    expected = json.loads((folder / "expected.json").read_text(encoding="utf-8"))
    register = open_register(str(tmp_path / "delegation.sqlite"))
    try:
        with register.unit_of_work() as uow:
            initialise_delegation(uow, province_code=expected["province"])
            stored = expected["local_key"]
            uow.session.add(
                LocalKey(
                    key_id=stored["key_id"],
                    sign_public=_bytes(stored["sign_public"]),
                    box_public=_bytes(stored["box_public"]),
                    sealed_private=_bytes(stored["sealed_private"]),
                    protection=stored["protection"],
                    salt=_bytes(stored["salt"]),
                    kdf_ops=stored["kdf_ops"],
                    kdf_mem=stored["kdf_mem"],
                    created_ms=stored["created_ms"],
                )
            )
        with register.unit_of_work() as uow:
            unlocked = keys.unlock(uow, passphrase=expected["passphrase"])
            keys.trust(uow, keys.read_identity_file((folder / "centre.id").read_bytes()))
            imported = import_bundle(uow, keys=unlocked, path=folder / "bundle.sjl")
        assert imported.applied == expected["changes"] and imported.conflicts == 0
        with register.unit_of_work(read_only=True) as uow:
            names = sorted(
                f"{row.given_name_ar} {row.family_name_ar}"
                for row in uow.session.scalars(select(Beneficiary))
            )
        assert names == expected["beneficiaries"]
    finally:
        register.close()
