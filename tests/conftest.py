"""Fixtures shared by every test: an isolated data dir, headless Qt, and a throwaway
PostgreSQL 15 server.

PostgreSQL: ``postgres_url`` starts one cluster per test session (initdb into a temp dir,
``pg_ctl start`` on 127.0.0.1 and a free port, about a second) unless SIJILL_TEST_PG_URL
names a server to use instead; ``pg_database_url`` gives each test its own empty database
in it. Without the server binaries the PostgreSQL tests are skipped, except under CI
(CI set), where they fail: CI must really run them.
"""

from __future__ import annotations

import getpass
import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from glob import glob
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    import psycopg

# Forced, not defaulted: a desktop session's own QT_QPA_PLATFORM (wayland, xcb) would pop
# windows and change behaviour. Set before any test module imports Qt.
os.environ["QT_QPA_PLATFORM"] = "offscreen"

PG_FIXTURES = {"postgres_url", "pg_database_url"}


@pytest.fixture(autouse=True)
def _isolated_sijill_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Send every test's data dir to its own tmp dir, never the user's real one."""
    monkeypatch.setenv("SIJILL_HOME", str(tmp_path / "sijill-home"))
    # A developer's SIJILL_DB would otherwise point tests at their real database.
    monkeypatch.delenv("SIJILL_DB", raising=False)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test that uses the server `postgres`, so `-m "not postgres"` works."""
    for item in items:
        if PG_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.postgres)


def _cannot_run(reason: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (CI is set: PostgreSQL tests must run there)")
    pytest.skip(reason)


def _find_pg_bin() -> Path | None:
    """The folder holding initdb and pg_ctl: PATH first, then Debian's versioned dirs."""
    initdb = shutil.which("initdb")
    if initdb and shutil.which("pg_ctl"):
        return Path(initdb).resolve().parent
    for candidate in sorted(glob("/usr/lib/postgresql/*/bin"), reverse=True):
        if (Path(candidate) / "initdb").exists() and (Path(candidate) / "pg_ctl").exists():
            return Path(candidate)
    return None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _run(cmd: list[str], as_user: str | None, cwd: Path) -> None:
    """Run a server command, as `as_user` when given (initdb refuses to run as root)."""
    if as_user:
        cmd = ["runuser", "-u", as_user, "--", *cmd]
    result = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed:\n{result.stdout}{result.stderr}")


@pytest.fixture
def no_keyring() -> Iterator[None]:
    """A computer with no keyring (a bare Linux, a service account), whatever the keyring of
    the machine running the tests: the register's keys then open with a passphrase."""
    import keyring
    from keyring.backends import fail

    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    yield
    keyring.set_keyring(previous)


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """SQLAlchemy URL of a database on the session's PostgreSQL server."""
    given = os.environ.get("SIJILL_TEST_PG_URL")
    if given:
        yield given
        return

    bin_dir = _find_pg_bin()
    if bin_dir is None:
        _cannot_run(
            "PostgreSQL server binaries (initdb, pg_ctl) not found: "
            "run scripts/setup-system.sh or set SIJILL_TEST_PG_URL"
        )
    as_root = hasattr(os, "geteuid") and os.geteuid() == 0
    if as_root:
        import pwd  # POSIX only, hence here

        try:
            postgres = pwd.getpwnam("postgres")
        except KeyError:
            _cannot_run("running as root and there is no 'postgres' user to run initdb as")
    user = "postgres" if as_root else getpass.getuser()

    # tempfile, not tmp_path_factory: pytest's dirs are 0700 under root's, and the
    # postgres user must reach this one. The path stays short for the socket's 107 chars.
    base = Path(tempfile.mkdtemp(prefix="sijill-pg-"))
    data, sockets, log = base / "data", base / "sock", base / "server.log"
    sockets.mkdir()
    if as_root:
        for path in (base, sockets):
            os.chown(path, postgres.pw_uid, postgres.pw_gid)
    run_as = "postgres" if as_root else None
    initdb, pg_ctl = str(bin_dir / "initdb"), str(bin_dir / "pg_ctl")
    port = _free_port()
    server = f"-c fsync=off -c listen_addresses=127.0.0.1 -p {port} -k {sockets}"
    try:
        # Trust auth on loopback only; no fsync, no locale: a disposable, fast cluster.
        init = ["-D", str(data), "-U", user, "--auth=trust", "-E", "UTF8", "--no-locale", "-N"]
        _run([initdb, *init], run_as, base)
        try:
            _run(
                [pg_ctl, "start", "-w", "-D", str(data), "-l", str(log), "-o", server], run_as, base
            )
        except RuntimeError as error:
            server_log = log.read_text(errors="replace") if log.exists() else ""
            raise RuntimeError(f"{error}\nserver log:\n{server_log}") from None
        _create_database(f"postgresql+psycopg://{user}@127.0.0.1:{port}/postgres", "sijill_test")
        yield f"postgresql+psycopg://{user}@127.0.0.1:{port}/sijill_test"
    finally:
        # postmaster.pid, not "did start succeed": a start that timed out may still be up.
        if (data / "postmaster.pid").exists():
            _run([pg_ctl, "stop", "-w", "-D", str(data), "-m", "fast"], run_as, base)
        shutil.rmtree(base, ignore_errors=True)


def _admin_connect(url: str) -> psycopg.Connection:
    """An autocommit psycopg connection (CREATE/DROP DATABASE refuse transactions)."""
    import psycopg
    from sqlalchemy.engine import make_url

    conninfo = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    return psycopg.connect(conninfo, autocommit=True)


def _create_database(url: str, name: str) -> None:
    from psycopg import sql

    with _admin_connect(url) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


@pytest.fixture
def pg_database_url(postgres_url: str) -> Iterator[str]:
    """URL of a fresh, empty database of its own for one test, dropped afterwards."""
    from psycopg import sql
    from sqlalchemy.engine import make_url

    name = f"sijill_t_{uuid.uuid4().hex[:12]}"
    _create_database(postgres_url, name)
    try:
        yield make_url(postgres_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with _admin_connect(postgres_url) as conn:
            # FORCE: a connection the test left open must not keep the database alive.
            conn.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )
