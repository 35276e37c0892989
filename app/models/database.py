"""Engines and migrations: open a database, bring its schema to head, safely.

SQLite connections get foreign keys, WAL and a busy timeout on every connect. Before a
migration touches an existing SQLite file, a backup copy is taken with SQLite's online
backup API, so a failed or unwanted upgrade can always be undone by hand.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, create_engine, event, inspect, text

from app.models.migrations import HEAD

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def _on_sqlite_connect(dbapi_connection, _record) -> None:  # noqa: ANN001 - DB-API objects
    # Let SQLAlchemy's "begin" event issue BEGIN itself (pysqlite's implicit BEGIN is lazy).
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    # Larger pages for a new file (an existing one keeps its own): fewer, shallower index
    # pages; a delegation importing a million marks spends about 15% less in SQLite.
    cursor.execute("PRAGMA page_size=16384")
    cursor.execute("PRAGMA journal_mode=WAL")
    # NORMAL is durable in WAL mode across application crashes; only an OS crash or
    # power cut can lose the last commits, never corrupt the file.
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


def _on_sqlite_begin_write(connection) -> None:  # noqa: ANN001
    # IMMEDIATE takes the write lock up front: two writers queue (busy_timeout) instead of
    # both reading the same last change number and colliding at commit.
    connection.exec_driver_sql("BEGIN IMMEDIATE")


def _on_sqlite_begin_read(connection) -> None:  # noqa: ANN001
    # Readers never wait for a writer: in WAL mode they read the last committed state.
    connection.exec_driver_sql("BEGIN")


def create_database_engine(url: str, *, for_writing: bool = True) -> Engine:
    """An engine for ``url`` with the per-connection settings Sijill relies on.

    On SQLite, the engine ``for_writing`` starts every transaction holding the write lock;
    the other one only reads and never blocks behind a writer.
    """
    if url.startswith("sqlite"):
        engine = create_engine(url)
        event.listen(engine, "connect", _on_sqlite_connect)
        begin = _on_sqlite_begin_write if for_writing else _on_sqlite_begin_read
        event.listen(engine, "begin", begin)
        return engine
    return create_engine(url, pool_pre_ping=True)


# Alembic is imported where it is used: it costs a tenth of a second, and a register that
# is already at head (every start but the first after an update) only needs the revision.


def alembic_config(engine: Engine | None = None) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    if engine is not None:
        config.attributes["engine"] = engine
    return config


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def current_revision(engine: Engine) -> str | None:
    """The schema revision the database is at; None for a database with no schema yet."""
    with engine.connect() as connection:
        if not inspect(connection).has_table("alembic_version"):
            return None
        return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()


def sqlite_path(engine: Engine) -> Path | None:
    if engine.dialect.name != "sqlite" or not engine.url.database:
        return None
    return Path(engine.url.database)


def backup_sqlite(engine: Engine, *, label: str) -> Path | None:
    """Copy the SQLite file to ``backups/`` beside it; return the copy's path."""
    source = sqlite_path(engine)
    if source is None or not source.exists():
        return None
    folder = source.parent / "backups"
    folder.mkdir(exist_ok=True)
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    target = folder / f"{source.stem}-{stamp}-{label}{source.suffix}"
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)
    return target


def migrate(engine: Engine) -> Path | None:
    """Upgrade the schema to head; back up first if the database already held data.

    Returns the backup path when one was taken.
    """
    current = current_revision(engine)
    if current == HEAD:
        return None
    head = head_revision()
    backup = backup_sqlite(engine, label=f"before-{head[:8]}") if current else None
    from alembic import command

    command.upgrade(alembic_config(engine), "head")
    return backup
