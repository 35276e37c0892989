"""`sijill duplicates merge` and `sijill duplicates list --status merged`: a coordinator
merges two records of one woman from the command line; a wrong id, a closed pair or a
record that is not one of the two is refused with exit 3 and changes nothing; records
left pointing at a removed person are counted under the list."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from pathlib import Path

import pytest

from app.i18n import ngettext
from app.services import duplicates
from app.services.beneficiaries import remove_beneficiary
from app.services.register import open_register
from tests.integration.conftest import Result, init_args


@pytest.fixture
def pair(run_cli: Callable[..., Result], tmp_path: Path) -> dict[str, str]:
    """A centre with one woman registered twice, and the possible duplicate an import
    would have found."""
    init = run_cli(*init_args())
    assert init.code == 0, init.err
    ids = {}
    for key, family, more in (
        ("first", "العلوي", ["--address", "حي السلام"]),
        ("second", "العلوى", ["--cin", "K123456", "--phone", "0611223344"]),
        ("stranger", "التازي", []),
    ):
        added = run_cli(
            "beneficiaries",
            "add",
            "--family-name-ar",
            family,
            "--given-name-ar",
            "فاطمة",
            "--sex",
            "F",
            "--birth-date",
            "1990-05-01",
            *more,
            "--json",
        )
        assert added.code == 0, added.err
        ids[key] = json.loads(added.out)["id"]
    register = open_register(str(tmp_path / "cli.sqlite"))
    try:
        with register.unit_of_work() as uow:
            assert duplicates.find_candidates(uow, [uuid.UUID(ids["first"])]) == 1
    finally:
        register.close()
    (found,) = json.loads(run_cli("duplicates", "list", "--json").out)
    ids["pair"] = found["id"]
    return ids


def test_merge_from_the_command_line(run_cli: Callable[..., Result], pair: dict[str, str]) -> None:
    merged = run_cli("duplicates", "merge", pair["pair"], "--keep", pair["first"])
    assert merged.code == 0, merged.err
    assert pair["first"] in merged.out and pair["second"] in merged.out
    assert json.loads(run_cli("duplicates", "list", "--json").out) == []
    (closed,) = json.loads(run_cli("duplicates", "list", "--status", "merged", "--json").out)
    assert closed["status"] == "merged" and closed["kept_id"] == pair["first"]
    listed = run_cli("duplicates", "list", "--status", "merged").out
    assert pair["first"] in listed.splitlines()[0].split("\t")[-1], "the kept one is named"
    people = {
        row["id"]: row for row in json.loads(run_cli("dump", "--json").out)["tables"]["beneficiary"]
    }
    kept, removed = people[pair["first"]], people[pair["second"]]
    assert (kept["cin"], kept["phone"], kept["address"]) == ("K123456", "0611223344", "حي السلام")
    assert removed["cl"] % 2 == 0
    (found,) = json.loads(run_cli("beneficiaries", "search", "K123456", "--json").out)
    assert found["id"] == pair["first"]


@pytest.mark.parametrize(
    ("candidate", "keep", "field"),
    [
        ("0123456789abcdef", "first", "--id"),
        ("pair", "stranger", "--keep"),
        ("pair", "nobody", "--keep"),
    ],
)
def test_a_wrong_merge_exits_3_and_changes_nothing(
    run_cli: Callable[..., Result], pair: dict[str, str], candidate: str, keep: str, field: str
) -> None:
    before = run_cli("dump", "--json").out
    refused = run_cli(
        "duplicates", "merge", pair.get(candidate, candidate), "--keep", pair.get(keep, keep)
    )
    assert refused.code == 3
    assert refused.err.startswith(f"sijill: {field}: ") and refused.out == ""
    assert run_cli("dump", "--json").out == before


def test_a_closed_pair_is_not_merged_again(
    run_cli: Callable[..., Result], pair: dict[str, str]
) -> None:
    assert run_cli("duplicates", "merge", pair["pair"], "--keep", pair["second"]).code == 0
    before = run_cli("dump", "--json").out
    again = run_cli("duplicates", "merge", pair["pair"], "--keep", pair["first"])
    assert again.code == 3 and "--id" in again.err
    assert run_cli("dump", "--json").out == before
    assert run_cli("duplicates", "dismiss", pair["pair"]).code == 3


def test_records_of_a_removed_person_are_counted_under_the_list(
    run_cli: Callable[..., Result], pair: dict[str, str], tmp_path: Path
) -> None:
    group = run_cli("groups", "add", "--programme", "EFT-COU", "--name", "G1", "--days", "mon")
    assert group.code == 0, group.err
    assert run_cli("enrol", "--group", "G1", pair["stranger"]).code == 0
    quiet = run_cli("duplicates", "list")
    assert quiet.code == 0 and quiet.err == ""
    register = open_register(str(tmp_path / "cli.sqlite"))
    try:
        with register.unit_of_work() as uow:
            remove_beneficiary(uow, uuid.UUID(pair["stranger"]))
    finally:
        register.close()
    listed = run_cli("duplicates", "list")
    assert listed.code == 0
    assert listed.out.count("\t") == 3, "the pair's line alone on the output"
    assert listed.err.strip() == ngettext(
        "{n} record points at a person who was removed.",
        "{n} records point at a person who was removed.",
        1,
    ).format(n=1)
