"""`sijill keys`, `sijill bundle` and `sijill sync status`: a centre and its delegation
enrol each other and exchange bundles through files, as on a USB stick."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from app.i18n import _
from tests.integration.conftest import Result, init_args

PASSPHRASE = "a long enough passphrase"


@pytest.fixture
def enrolled(
    run_cli: Callable[..., Result], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Callable[..., Result]:
    """A centre (the default database) and a delegation (--db delegation.sqlite) that
    trust each other; returns run_cli."""
    monkeypatch.setenv("SIJILL_PASSPHRASE", PASSPHRASE)
    delegation = ["--db", str(tmp_path / "delegation.sqlite")]
    init = run_cli(*init_args())
    assert init.code == 0, init.err
    assert run_cli("demo", "--beneficiaries", "20").code == 0
    made = run_cli(*delegation, "init", "--delegation", "--province", "03.561")
    assert made.code == 0, made.err
    assert "تازة" in made.out
    centre_export = run_cli("keys", "export", "-o", str(tmp_path / "centre.id"))
    delegation_export = run_cli(*delegation, "keys", "export", "-o", str(tmp_path / "del.id"))
    assert centre_export.code == delegation_export.code == 0
    trusted = run_cli("keys", "trust", str(tmp_path / "del.id"))
    assert trusted.code == 0, trusted.err
    # The fingerprint printed on trusting is the one the other side printed on exporting.
    assert delegation_export.out.strip() in trusted.out
    assert run_cli(*delegation, "keys", "trust", str(tmp_path / "centre.id")).code == 0
    return run_cli


def test_a_round_trip_through_files(enrolled: Callable[..., Result], tmp_path: Path) -> None:
    run = enrolled
    delegation = ["--db", str(tmp_path / "delegation.sqlite")]
    bundle = tmp_path / "to-delegation.sjl"
    sent = run("bundle", "export", "-o", str(bundle))
    assert sent.code == 0, sent.err
    inspected = run("bundle", "inspect", str(bundle), "--json")
    assert inspected.code == 0
    header = json.loads(inspected.out)
    assert header["kind"] == "delta" and header["sender"]["code"] == "ETF-TAZA-01"
    assert len(header["recipients"]) == 1
    first = run(*delegation, "bundle", "import", str(bundle))
    assert first.code == 0, first.err
    again = run(*delegation, "bundle", "import", str(bundle))
    assert again.code == 0 and again.out.strip() == _("Already imported: nothing to do.")
    reply = tmp_path / "reply.sjl"
    assert run(*delegation, "bundle", "export", "--to", "ETF-TAZA-01", "-o", str(reply)).code == 0
    assert run("bundle", "import", str(reply)).code == 0
    status = json.loads(run("sync", "status", "--json").out)
    (peer,) = status["peers"]
    assert peer["role"] == "delegation" and peer["pending"] == 0
    assert peer["confirmed"] == status["own_changes"] > 0
    centre_dump = json.loads(run("dump", "--json").out)["tables"]
    delegation_dump = json.loads(run(*delegation, "dump", "--json").out)["tables"]
    assert centre_dump["beneficiary"] == delegation_dump["beneficiary"]
    assert centre_dump["attendance"] == delegation_dump["attendance"]


@pytest.mark.parametrize("damage", ["truncate", "flip", "garbage"])
def test_a_bad_bundle_is_refused_with_one_line(
    enrolled: Callable[..., Result], tmp_path: Path, damage: str
) -> None:
    run = enrolled
    delegation = ["--db", str(tmp_path / "delegation.sqlite")]
    bundle = tmp_path / "to-delegation.sjl"
    assert run("bundle", "export", "-o", str(bundle)).code == 0
    data = bytearray(bundle.read_bytes())
    if damage == "truncate":
        data = data[: len(data) // 2]
    elif damage == "flip":
        data[len(data) // 2] ^= 0x10
    else:
        data = bytearray(b"not a bundle at all")
    bundle.write_bytes(bytes(data))
    before = run(*delegation, "dump", "--json").out
    refused = run(*delegation, "bundle", "import", str(bundle))
    assert refused.code == 3
    assert len(refused.err.strip().splitlines()) == 1 and refused.err.startswith("sijill: ")
    assert run(*delegation, "dump", "--json").out == before


def test_a_recipient_must_be_known(enrolled: Callable[..., Result], tmp_path: Path) -> None:
    refused = enrolled("bundle", "export", "--to", "ETF-NOWHERE", "-o", str(tmp_path / "x.sjl"))
    assert refused.code == 3 and "ETF-NOWHERE" in refused.err
    assert not (tmp_path / "x.sjl").exists()


def test_keys_need_the_passphrase(
    enrolled: Callable[..., Result], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SIJILL_PASSPHRASE", "not the passphrase")
    refused = enrolled("bundle", "export", "-o", str(tmp_path / "x.sjl"))
    assert refused.code == 3
    assert _("The passphrase does not open the register's keys.") in refused.err


def test_a_delegation_on_postgresql(
    run_cli: Callable[..., Result],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    pg_database_url: str,
) -> None:
    """The delegation consolidating on PostgreSQL: two centres in, a reply out."""
    monkeypatch.setenv("SIJILL_PASSPHRASE", PASSPHRASE)
    delegation = ["--db", pg_database_url]
    assert run_cli(*delegation, "init", "--delegation", "--province", "03.561").code == 0
    assert run_cli(*delegation, "keys", "export", "-o", str(tmp_path / "del.id")).code == 0
    dumps = {}
    for code in ("ETF-TAZA-01", "ETF-TAZA-02"):
        centre = ["--db", str(tmp_path / f"{code}.sqlite")]
        made = run_cli(*centre, *init_args(code, name=f"مركز {code}"))
        assert made.code == 0, made.err
        assert run_cli(*centre, "demo", "--beneficiaries", "15", "--seed", code[-1]).code == 0
        assert run_cli(*centre, "keys", "trust", str(tmp_path / "del.id")).code == 0
        assert run_cli(*centre, "keys", "export", "-o", str(tmp_path / f"{code}.id")).code == 0
        assert run_cli(*delegation, "keys", "trust", str(tmp_path / f"{code}.id")).code == 0
        bundle = tmp_path / f"{code}.sjl"
        assert run_cli(*centre, "bundle", "export", "-o", str(bundle)).code == 0
        imported = run_cli(*delegation, "bundle", "import", str(bundle))
        assert imported.code == 0, imported.err
        reply = tmp_path / f"{code}-reply.sjl"
        assert run_cli(*delegation, "bundle", "export", "--to", code, "-o", str(reply)).code == 0
        assert run_cli(*centre, "bundle", "import", str(reply)).code == 0
        dumps[code] = json.loads(run_cli(*centre, "dump", "--json").out)["tables"]
    consolidated = json.loads(run_cli(*delegation, "dump", "--json").out)["tables"]
    for table in ("beneficiary", "enrolment", "attendance", "study_group"):
        union = sorted(
            dumps["ETF-TAZA-01"][table] + dumps["ETF-TAZA-02"][table], key=lambda r: r["id"]
        )
        assert consolidated[table] == union, table
