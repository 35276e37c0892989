"""The `sijill` command: what a script or an administrator sees, exit codes included."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.integration.conftest import TODAY, Result, init_args

INIT = init_args("ETF-01")
FATIMA = [
    "beneficiaries",
    "add",
    "--family-name-ar",
    "العلوي",
    "--given-name-ar",
    "فاطمة",
    "--family-name-latin",
    "Alaoui",
    "--given-name-latin",
    "Fatima",
    "--sex",
    "F",
    "--birth-date",
    "1995-04-12",
    "--cin",
    "K123456",
    "--phone",
    "+212 661-234567",
]


@pytest.fixture
def centre(run_cli: Callable[..., Result]) -> Callable[..., Result]:
    """A CLI whose database holds a centre, Fatima, and a sewing group she is enrolled in."""
    assert run_cli(*INIT).code == 0
    assert run_cli(*FATIMA).code == 0
    assert (
        run_cli(
            "groups",
            "add",
            "--programme",
            "EFT-COU",
            "--name",
            "خياطة 1",
            "--days",
            "mon,wed,fri",
            "--hours",
            "09:00-12:00",
            "--capacity",
            "2",
        ).code
        == 0
    )
    assert run_cli("enrol", "--group", "خياطة 1", "--date", "2026-09-14", "K123456").code == 0
    return run_cli


def test_a_whole_flow_through_the_cli(centre: Callable[..., Result]) -> None:
    added = centre(*FATIMA[:-4], "--cin", "AB654321", "--json")
    assert added.code == 0
    record = json.loads(added.out)
    assert record["family_name_latin"] == "ALAOUI" and record["cin"] == "AB654321"

    found = json.loads(centre("beneficiaries", "search", "فاطمه", "--json").out)
    assert {p["cin"] for p in found} == {"K123456", "AB654321"}
    assert json.loads(centre("beneficiaries", "search", "k1234", "--json").out)[0]["phone"] == (
        "0661234567"
    )

    programmes = json.loads(centre("programmes", "list", "--json").out)
    assert {"EFT-COU", "EFT-ALP"} <= {p["code"] for p in programmes}

    marked = centre(
        "attendance",
        "mark",
        "--group",
        "خياطة 1",
        "--date",
        "2026-11-11",
        "--status",
        "present",
        "K123456",
    )
    assert marked.code == 0 and "present" in marked.out
    listed = json.loads(centre("groups", "list", "--json").out)
    assert [(g["name"], g["enrolled"], g["days"]) for g in listed] == [
        ("خياطة 1", 1, ["mon", "wed", "fri"])
    ]


def test_an_enrolment_ends_with_its_outcome(centre: Callable[..., Result]) -> None:
    ended = centre(
        "enrolments",
        "end",
        "--group",
        "خياطة 1",
        "--outcome",
        "dropped",
        "--date",
        "2026-11-20",
        "--reason",
        "وجدت عملا",
        "K123456",
    )
    assert ended.code == 0 and "dropped" in ended.out
    enrolment = json.loads(centre("dump", "--json").out)["tables"]["enrolment"][0]
    assert (enrolment["status"], enrolment["end_date"], enrolment["reason"]) == (
        "dropped",
        "2026-11-20",
        "وجدت عملا",
    )
    assert json.loads(centre("groups", "list", "--json").out)[0]["enrolled"] == 0


def test_dump_is_byte_identical_twice(centre: Callable[..., Result]) -> None:
    first, second = centre("dump", "--json"), centre("dump", "--json")
    assert first.code == 0 and first.out == second.out
    tables = json.loads(first.out)["tables"]
    assert len(tables["beneficiary"]) == 1 and "sort_key" not in tables["beneficiary"][0]
    assert len(tables["territory_unit"]) == 87


BAD_INPUTS = [
    (
        [
            "enrolments",
            "end",
            "--group",
            "خياطة 1",
            "--outcome",
            "dropped",
            "--date",
            "2026-11-20",
            "K123456",
        ],
        "--reason",
    ),
    (
        [
            "enrolments",
            "end",
            "--group",
            "خياطة 1",
            "--outcome",
            "completed",
            "--date",
            "2026-09-01",
            "K123456",
        ],
        "--date",
    ),  # before she was enrolled
    (
        [
            "beneficiaries",
            "add",
            "--family-name-ar",
            "Alaoui",
            "--given-name-ar",
            "فاطمة",
            "--sex",
            "F",
            "--birth-date",
            "1990-01-01",
        ],
        "--family-name-ar",
    ),
    (
        [
            "beneficiaries",
            "add",
            "--family-name-ar",
            "العلوي",
            "--given-name-ar",
            "فاطمة",
            "--sex",
            "X",
            "--birth-date",
            "1990-01-01",
        ],
        "--sex",
    ),
    (
        [
            "beneficiaries",
            "add",
            "--family-name-ar",
            "العلوي",
            "--given-name-ar",
            "فاطمة",
            "--sex",
            "F",
            "--birth-date",
            "2030-01-01",
        ],
        "--birth-date",
    ),
    (
        [
            "beneficiaries",
            "add",
            "--family-name-ar",
            "العلوي",
            "--given-name-ar",
            "فاطمة",
            "--sex",
            "F",
            "--birth-date",
            "12/03/1990",
        ],
        "--birth-date",
    ),
    (
        [
            "beneficiaries",
            "add",
            "--family-name-ar",
            "العلوي",
            "--given-name-ar",
            "فاطمة",
            "--sex",
            "F",
            "--birth-date",
            "1990-01-01",
            "--cin",
            "123",
        ],
        "--cin",
    ),
    (
        [
            "beneficiaries",
            "add",
            "--family-name-ar",
            "العلوي",
            "--given-name-ar",
            "فاطمة",
            "--sex",
            "F",
            "--birth-date",
            "1990-01-01",
            "--phone",
            "12345",
        ],
        "--phone",
    ),
    (
        [
            "beneficiaries",
            "add",
            "--family-name-ar",
            "العلوي",
            "--given-name-ar",
            "سلمى",
            "--sex",
            "F",
            "--birth-date",
            "1990-01-01",
            "--cin",
            "k123456",
        ],
        "K123456",
    ),
    (
        [
            "beneficiaries",
            "add",
            "--family-name-ar",
            "العلوي",
            "--given-name-ar",
            "سلمى",
            "--sex",
            "F",
            "--birth-date",
            "2019-01-01",
        ],
        "--guardian-name",
    ),
    (["groups", "add", "--programme", "NOPE", "--name", "G", "--days", "mon"], "--programme"),
    (["groups", "add", "--programme", "EFT-COU", "--name", "G", "--days", "lun"], "--days"),
    (
        [
            "groups",
            "add",
            "--programme",
            "EFT-COU",
            "--name",
            "G",
            "--days",
            "mon",
            "--hours",
            "12:00-09:00",
        ],
        "--hours",
    ),
    (
        [
            "groups",
            "add",
            "--programme",
            "EFT-COU",
            "--name",
            "G",
            "--days",
            "mon",
            "--capacity",
            "-3",
        ],
        "--capacity",
    ),
    (["groups", "add", "--programme", "EFT-COU", "--name", "خياطة 1", "--days", "mon"], "--name"),
    (["enrol", "--group", "nope", "K123456"], "--group"),
    (["enrol", "--group", "خياطة 1", "K123456"], "--beneficiary"),
    (["enrol", "--group", "خياطة 1", "Z999999"], "Z999999"),
    (["enrol", "--group", "خياطة 1", "--date", "2031-01-01", "K123456"], "--date"),
    (
        [
            "attendance",
            "mark",
            "--group",
            "خياطة 1",
            "--date",
            "2026-11-19",
            "--status",
            "present",
            "K123456",
        ],
        "--date",
    ),  # a Thursday: the group does not meet
    (
        [
            "attendance",
            "mark",
            "--group",
            "خياطة 1",
            "--date",
            "2026-11-30",
            "--status",
            "present",
            "K123456",
        ],
        "--date",
    ),  # in the future
    (
        [
            "attendance",
            "mark",
            "--group",
            "خياطة 1",
            "--date",
            "2026-11-18",
            "--status",
            "present",
            "K123456",
        ],
        "--date",
    ),  # Independence Day
    (
        [
            "attendance",
            "mark",
            "--group",
            "خياطة 1",
            "--date",
            "2026-11-11",
            "--status",
            "sick",
            "K123456",
        ],
        "--status",
    ),
    (
        [
            "attendance",
            "mark",
            "--group",
            "خياطة 1",
            "--date",
            "2026-09-09",
            "--status",
            "present",
            "K123456",
        ],
        "--beneficiary",
    ),  # before her enrolment
    (INIT, "init"),
]


@pytest.mark.parametrize(
    ("args", "named"), BAD_INPUTS, ids=[" ".join(a[:2]) + f" {n}" for a, n in BAD_INPUTS]
)
def test_bad_input_exits_3_with_one_line_and_writes_nothing(
    centre: Callable[..., Result], args: list[str], named: str
) -> None:
    before = centre("dump", "--json").out
    result = centre(*args)
    assert result.code == 3
    lines = result.err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("sijill: ")
    if named != "init":
        assert named in lines[0]
    assert result.out == ""
    assert centre("dump", "--json").out == before


def test_a_full_group_refuses_the_whole_batch(centre: Callable[..., Result]) -> None:
    for cin, given in (("K2", "سلمى"), ("K3", "نادية")):
        assert (
            centre(
                "beneficiaries",
                "add",
                "--family-name-ar",
                "بنعلي",
                "--given-name-ar",
                given,
                "--sex",
                "F",
                "--birth-date",
                "1990-01-01",
                "--cin",
                cin,
            ).code
            == 0
        )
    before = centre("dump", "--json").out
    result = centre("enrol", "--group", "خياطة 1", "K2", "K3")  # capacity 2, one place left
    assert result.code == 3 and "2" in result.err
    assert centre("dump", "--json").out == before


def test_messages_follow_the_language(centre: Callable[..., Result]) -> None:
    arabic = centre("groups", "add", "--programme", "NOPE", "--name", "G", "--days", "mon")
    french = centre(
        "--lang", "fr", "groups", "add", "--programme", "NOPE", "--name", "G", "--days", "mon"
    )
    assert arabic.err != french.err
    assert "NOPE" in arabic.err and "NOPE" in french.err


def test_usage_errors_exit_2(run_cli: Callable[..., Result]) -> None:
    assert run_cli("beneficiaries", "add", "--sex", "F").code == 2
    assert run_cli("no-such-command").code == 2


def test_commands_before_init_say_so(run_cli: Callable[..., Result]) -> None:
    result = run_cli("groups", "list")
    assert result.code == 3 and "sijill init" in result.err


def test_the_installed_command_runs_without_qt(tmp_path: Path) -> None:
    """A real process: exit codes as a shell sees them, and no Qt loaded by the CLI."""
    env = {
        **os.environ,
        "SIJILL_HOME": str(tmp_path),
        "SIJILL_TODAY": TODAY.isoformat(),
        "SIJILL_DB": str(tmp_path / "r.sqlite"),
    }
    probe = (
        "import sys, runpy; sys.argv=['sijill', *sys.argv[1:]];\n"
        "from app.cli.main import main\ncode = main()\n"
        "assert 'PySide6' not in sys.modules, 'the CLI imported Qt'\nsys.exit(code)"
    )
    ok = subprocess.run(
        [sys.executable, "-c", probe, *INIT], env=env, capture_output=True, text=True, check=False
    )
    assert ok.returncode == 0, ok.stderr
    again = subprocess.run(
        [sys.executable, "-c", probe, *INIT], env=env, capture_output=True, text=True, check=False
    )
    assert again.returncode == 3 and again.stderr.count("\n") == 1


def test_the_same_flow_on_postgresql(run_cli: Callable[..., Result], pg_database_url: str) -> None:
    db = ["--db", pg_database_url]
    assert run_cli(*db, *INIT).code == 0
    assert run_cli(*db, *FATIMA).code == 0
    assert (
        run_cli(
            *db, "groups", "add", "--programme", "EFT-COU", "--name", "G1", "--days", "mon,wed"
        ).code
        == 0
    )
    assert run_cli(*db, "enrol", "--group", "G1", "--date", "2026-09-14", "K123456").code == 0
    assert (
        run_cli(
            *db,
            "attendance",
            "mark",
            "--group",
            "G1",
            "--date",
            "2026-11-11",
            "--status",
            "absent",
            "K123456",
        ).code
        == 0
    )
    found = json.loads(run_cli(*db, "beneficiaries", "search", "فاطم", "--json").out)
    assert [p["cin"] for p in found] == ["K123456"]
    assert run_cli(*db, *FATIMA).code == 3  # duplicate CIN, same message path as SQLite
    first, second = run_cli(*db, "dump", "--json"), run_cli(*db, "dump", "--json")
    assert first.out == second.out
    assert json.loads(first.out)["tables"]["attendance"][0]["status"] == "absent"


def test_events_and_follow_up_on_postgresql(
    run_cli: Callable[..., Result], pg_database_url: str
) -> None:
    """The events and follow-up queries (grouping, latest news per person) on PostgreSQL."""
    db = ["--db", pg_database_url]
    assert run_cli(*db, *INIT).code == 0
    assert run_cli(*db, *FATIMA).code == 0
    added = run_cli(
        *db,
        "events",
        "add",
        "--kind",
        "seminar",
        "--title-ar",
        "ندوة حول الصحة",
        "--date",
        "2026-11-12",
    )
    assert added.code == 0
    event = added.out.strip()
    assert run_cli(*db, "events", "participants", "add", "--event", event, "K123456").code == 0
    assert (
        run_cli(
            *db,
            "events",
            "guests",
            "add",
            "--event",
            event,
            "--name",
            "نادية بنعلي",
            "--role",
            "speaker",
        ).code
        == 0
    )
    listed = json.loads(run_cli(*db, "events", "list", "--json").out)
    assert [e["title_ar"] for e in listed] == ["ندوة حول الصحة"]
    assert (
        run_cli(
            *db, "groups", "add", "--programme", "EFT-COU", "--name", "G1", "--days", "mon,wed"
        ).code
        == 0
    )
    assert run_cli(*db, "enrol", "--group", "G1", "--date", "2026-09-14", "K123456").code == 0
    assert (
        run_cli(
            *db,
            "enrolments",
            "end",
            "--group",
            "G1",
            "--outcome",
            "completed",
            "--date",
            "2026-11-16",
            "K123456",
        ).code
        == 0
    )
    assert (
        run_cli(
            *db,
            "followups",
            "add",
            "--beneficiary",
            "K123456",
            "--outcome",
            "cooperative",
            "--date",
            "2026-11-20",
        ).code
        == 0
    )
    assert (
        run_cli(
            *db,
            "followups",
            "add",
            "--beneficiary",
            "K123456",
            "--outcome",
            "job",
            "--date",
            "2026-11-01",
        ).code
        == 3
    )  # before the training ended
    assert json.loads(run_cli(*db, "followups", "due", "--json").out) == []
