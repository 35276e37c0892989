"""`sijill bundle export --reference`: one file from the delegation for all its centres,
with the shared reference data and the keys it revoked, and nothing of any one centre."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import select

from app.i18n import _
from app.models import Programme
from app.services.centres import ensure_season
from app.services.keys import read_identity_file
from app.services.register import open_register
from tests.integration.conftest import Result, init_args

PASSPHRASE = "a long enough passphrase"


def _init_centre(run: Callable[..., Result], db: list[str], code: str) -> None:
    made = run(*db, *init_args(code))
    assert made.code == 0, made.err


@pytest.fixture
def province(
    run_cli: Callable[..., Result], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> dict[str, list[str]]:
    """A delegation; two centres; and a laptop of the first centre that will be stolen,
    trusted by its sister laptop and by the delegation. Returns each one's --db args."""
    monkeypatch.setenv("SIJILL_PASSPHRASE", PASSPHRASE)
    run = run_cli
    dbs = {
        name: ["--db", str(tmp_path / f"{name}.sqlite")]
        for name in ("delegation", "taza", "other", "stolen")
    }
    assert run(*dbs["delegation"], "init", "--delegation", "--province", "03.561").code == 0
    _init_centre(run, dbs["taza"], "ETF-TAZA-01")
    _init_centre(run, dbs["stolen"], "ETF-TAZA-01")
    _init_centre(run, dbs["other"], "ETF-TAZA-02")
    assert run(*dbs["taza"], "demo", "--beneficiaries", "12").code == 0
    for name, db in dbs.items():
        assert run(*db, "keys", "export", "-o", str(tmp_path / f"{name}.id")).code == 0
    for centre in ("taza", "other", "stolen"):
        assert run(*dbs[centre], "keys", "trust", str(tmp_path / "delegation.id")).code == 0
        assert run(*dbs["delegation"], "keys", "trust", str(tmp_path / f"{centre}.id")).code == 0
    assert run(*dbs["taza"], "keys", "trust", str(tmp_path / "stolen.id")).code == 0
    assert run(*dbs["stolen"], "keys", "trust", str(tmp_path / "taza.id")).code == 0
    # The delegation holds the first centre's records.
    up = tmp_path / "taza-up.sjl"
    assert run(*dbs["taza"], "bundle", "export", "-o", str(up)).code == 0
    assert run(*dbs["delegation"], "bundle", "import", str(up)).code == 0
    return dbs


def test_a_reference_bundle_carries_the_catalogue_and_the_revoked_keys(
    run_cli: Callable[..., Result], tmp_path: Path, province: dict[str, list[str]]
) -> None:
    run, dbs = run_cli, province
    delegation = open_register(dbs["delegation"][1])
    with delegation.unit_of_work() as uow:
        ensure_season(uow, "2027-2028")
        programme = uow.session.scalars(select(Programme).order_by(Programme.code)).first()
        programme.planned_hours = 321
        code = programme.code
    delegation.close()
    # The delegation trusts two laptops of ETF-TAZA-01: it revokes the stolen one's key.
    stolen_key = read_identity_file((tmp_path / "stolen.id").read_bytes()).key_id
    assert run(*dbs["delegation"], "keys", "revoke", stolen_key).code == 0

    reference = tmp_path / "reference.sjl"
    written = run(*dbs["delegation"], "bundle", "export", "--reference", "-o", str(reference))
    assert written.code == 0, written.err
    header = json.loads(run("bundle", "inspect", str(reference), "--json").out)
    # Sealed to every centre laptop the delegation still trusts: not to the stolen one.
    assert header["kind"] == "reference" and len(header["recipients"]) == 2
    assert stolen_key not in header["recipients"]

    for centre in ("taza", "other"):
        imported = run(*dbs[centre], "bundle", "import", str(reference))
        assert imported.code == 0, imported.err
        tables = json.loads(run(*dbs[centre], "dump", "--json").out)["tables"]
        assert "2027-2028" in {row["label"] for row in tables["season"]}
        (changed,) = [row for row in tables["programme"] if row["code"] == code]
        assert changed["planned_hours"] == 321
    # Nothing of one centre reaches another.
    other = json.loads(run(*dbs["other"], "dump", "--json").out)["tables"]
    assert other.get("beneficiary", []) == []
    # The sister laptop heard of the theft: the stolen laptop's bundles are refused there.
    taza_keys = json.loads(run(*dbs["taza"], "keys", "list", "--json").out)
    assert [k["revoked"] for k in taza_keys if k["key_id"] == stolen_key] == [True]
    sent = tmp_path / "from-stolen.sjl"
    assert run(*dbs["stolen"], "bundle", "export", "--to", "ETF-TAZA-01", "-o", str(sent)).code == 0
    refused = run(*dbs["taza"], "bundle", "import", str(sent))
    assert refused.code == 3 and "ETF-TAZA-01" in refused.err
    # A second import of the reference bundle is a no-op.
    again = run(*dbs["taza"], "bundle", "import", str(reference))
    assert again.out.strip() == _("Already imported: nothing to do.")


def test_only_a_delegation_writes_reference_bundles(
    run_cli: Callable[..., Result], tmp_path: Path, province: dict[str, list[str]]
) -> None:
    refused = run_cli(
        *province["taza"], "bundle", "export", "--reference", "-o", str(tmp_path / "r.sjl")
    )
    assert refused.code == 3
    assert _("Only a delegation writes reference bundles.") in refused.err
    assert not (tmp_path / "r.sjl").exists()
