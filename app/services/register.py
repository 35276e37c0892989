"""Opening the register: engine, migrations, and this replica's identity.

Every database has a random ``site_id`` that numbers its changes. A database that was
copied to another place or restored from an older backup must take a new one, or its
change numbers would be reused and silently dropped by the delegation (SYNC.md). To
notice, this install keeps, outside the database, the site id and the last change
number it saw for each database location (``installs.json`` in the data directory).
"""

from __future__ import annotations

import json
import os
import secrets
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session as OrmSession
from sqlalchemy.orm import sessionmaker

from app.config import data_dir, database_url
from app.models import Site
from app.models.database import create_database_engine, migrate
from app.services.clock import physical_ms
from app.services.unit_of_work import UnitOfWork

REGISTRY_FILE = "installs.json"


def _registry_path() -> Path:
    return data_dir() / REGISTRY_FILE


def _read_registry() -> dict[str, dict]:
    try:
        return json.loads(_registry_path().read_text(encoding="utf-8"))
    except (FileNotFoundError, json.JSONDecodeError):
        return {}


def _write_registry(entries: dict[str, dict]) -> None:
    path = _registry_path()
    temp = path.with_suffix(f".{os.getpid()}.tmp")
    temp.write_text(json.dumps(entries, indent=1, sort_keys=True), encoding="utf-8")
    os.replace(temp, path)


@dataclass
class Register:
    """An open register database and this replica's identity in it."""

    url: str
    engine: Engine
    read_engine: Engine
    sessions: sessionmaker[OrmSession]
    read_sessions: sessionmaker[OrmSession]
    site_id: str
    backup: Path | None = None
    new_site_reason: str | None = None
    _key: str = field(default="", repr=False)
    # Where this register's clock reads the time (milliseconds): the laptop's, unless a
    # test sets a skewed one.
    physical_clock: Callable[[], int] = physical_ms

    def unit_of_work(self, *, read_only: bool = False) -> UnitOfWork:
        """A unit of work for one user action (use with ``with``); a ``read_only`` one
        never waits for a writer and refuses to record a change."""
        return UnitOfWork(self, read_only=read_only)

    @contextmanager
    def reading(self) -> Iterator[OrmSession]:
        """A session for queries only."""
        session = self.read_sessions()
        try:
            yield session
        finally:
            session.close()

    def site(self) -> Site:
        with self.reading() as session:
            site = session.get(Site, self.site_id)
            assert site is not None
            session.expunge(site)
            return site

    def remember_seq(self, last_seq: int) -> None:
        """Note, outside the database, the last change number this site has used."""
        entries = _read_registry()
        entries[self._key] = {"site_id": self.site_id, "last_seq": last_seq}
        _write_registry(entries)

    def close(self) -> None:
        self.engine.dispose()
        self.read_engine.dispose()


def _location_key(engine: Engine) -> str:
    return engine.url.render_as_string(hide_password=True)


def _ensure_site(session: OrmSession, key: str) -> tuple[str, str | None]:
    """Return this database's site id, renewing it if the database was copied or restored.

    The second value says why a new site id was taken (None when it was kept).
    """
    site = session.scalars(select(Site)).first()
    known = _read_registry().get(key)
    reason = None
    if site is None:
        site = Site(site_id=secrets.token_hex(16), kind="unset", last_seq=0)
        session.add(site)
    elif known is None:
        reason = "this database was created elsewhere or moved here"
    elif known["site_id"] != site.site_id:
        reason = "another database was copied over this one"
    elif known["last_seq"] > site.last_seq:
        reason = "this database was restored from an older copy"
    if reason is not None:
        retired = [s for s in site.retired_site_ids.split(",") if s]
        new_id = secrets.token_hex(16)
        # The primary key changes: update in place so the row keeps its clocks.
        site.retired_site_ids = ",".join([*retired, site.site_id])
        site.site_id = new_id
        site.last_seq = 0
    session.commit()
    return site.site_id, reason


def open_register(location: str, *, upgrade: bool = True) -> Register:
    """Open (creating if needed) the register at a path or URL, migrated to head."""
    url = database_url(location)
    if url.startswith("sqlite:///"):
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    engine = create_database_engine(url)
    backup = migrate(engine) if upgrade else None
    sessions = sessionmaker(engine, expire_on_commit=False)
    reader = create_database_engine(url, for_writing=False) if url.startswith("sqlite") else engine
    read_sessions = sessionmaker(reader, expire_on_commit=False)
    key = _location_key(engine)
    with sessions() as session:
        site_id, reason = _ensure_site(session, key)
        last_seq = session.get(Site, site_id).last_seq
    register = Register(
        url=url,
        engine=engine,
        read_engine=reader,
        sessions=sessions,
        read_sessions=read_sessions,
        site_id=site_id,
        backup=backup,
        new_site_reason=reason,
        _key=key,
    )
    register.remember_seq(last_seq)
    return register
