"""Fixtures for tests on a real database: an initialised centre, and the CLI in-process."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from app.cli.main import main
from app.services.centres import initialise_centre
from app.services.register import Register, open_register

TODAY = dt.date(2026, 11, 22)


def init_args(code: str = "ETF-TAZA-01", *, name: str = "مركز الأمل") -> list[str]:
    """`sijill init` of an education and training centre of the province of Taza."""
    return [
        "init",
        "--centre-code",
        code,
        "--centre-name",
        name,
        "--kind",
        "education_training",
        "--province",
        "03.561",
    ]


@dataclass(frozen=True)
class Result:
    code: int
    out: str
    err: str


def make_centre(location: str) -> Register:
    register = open_register(location)
    with register.unit_of_work() as uow:
        initialise_centre(
            uow,
            code="ETF-TAZA-01",
            name="مركز التربية والتكوين الأمل",
            kind="education_training",
            province_code="03.561",
            today=TODAY,
        )
    return register


@pytest.fixture
def register(tmp_path: Path) -> Iterator[Register]:
    reg = make_centre(str(tmp_path / "centre.sqlite"))
    yield reg
    reg.close()


@pytest.fixture
def run_cli(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> Callable[..., Result]:
    """Run `sijill ARGS` in this process against one database; returns code, out, err."""
    monkeypatch.setenv("SIJILL_TODAY", TODAY.isoformat())
    monkeypatch.setenv("SIJILL_DB", str(tmp_path / "cli.sqlite"))

    def run(*args: str) -> Result:
        capsys.readouterr()
        try:
            code = main(list(args))
        except SystemExit as exit_:
            code = int(exit_.code or 0)
        captured = capsys.readouterr()
        return Result(code, captured.out, captured.err)

    return run
