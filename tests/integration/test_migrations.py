"""Migrations build exactly the models, on SQLite and PostgreSQL, back up before upgrading,
and can each be undone."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, func, select, text

from app.config import database_url
from app.models import Base, TerritoryUnit
from app.models import database as database_module
from app.models.database import (
    alembic_config,
    create_database_engine,
    current_revision,
    head_revision,
    migrate,
)
from app.services.demo import create_demo
from app.services.register import open_register
from tests.integration.conftest import TODAY, make_centre


def _pending_diff(engine: Engine) -> list:
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return compare_metadata(context, Base.metadata)


def _check_fresh_database(url: str) -> None:
    engine = create_database_engine(url)
    assert migrate(engine) is None  # nothing to back up in a new database
    assert current_revision(engine) == head_revision()
    assert _pending_diff(engine) == []
    with engine.connect() as connection:
        levels = dict(
            connection.execute(
                select(TerritoryUnit.level, func.count()).group_by(TerritoryUnit.level)
            ).all()
        )
        names = dict(connection.execute(select(TerritoryUnit.code, TerritoryUnit.name_fr)).all())
    assert levels["region"] == 12
    assert levels["province"] + levels["prefecture"] == 75
    assert names["01.511"] == "Tanger-Assilah"
    assert names["03.561"] == "Taza"
    assert names["11.321"] == "Laâyoune"
    engine.dispose()


def test_the_head_constant_is_the_newest_migration() -> None:
    assert head_revision() == database_module.HEAD


def test_upgrade_head_matches_the_models_on_sqlite(tmp_path: Path) -> None:
    _check_fresh_database(f"sqlite:///{tmp_path / 'fresh.sqlite'}")


def test_upgrade_head_matches_the_models_on_postgresql(pg_database_url: str) -> None:
    _check_fresh_database(pg_database_url)


def _counts(engine: Engine) -> dict[str, int]:
    with engine.connect() as connection:
        return {
            table: connection.execute(text(f"SELECT count(*) FROM {table}")).scalar_one()
            for table in ("beneficiary", "enrolment", "attendance", "session", "change_log")
        }


def _undone_and_done_again(location: str) -> None:
    """Each migration undone in turn, down to the first, on a centre with its people and
    marks; then all done again: the schema matches the models, every record is there."""
    from alembic import command
    from alembic.script import ScriptDirectory

    register = open_register(location)
    create_demo(register, seed=2, beneficiaries=40, months=3, today=TODAY)
    register.close()
    engine = create_database_engine(database_url(location))
    before = _counts(engine)
    config = alembic_config(engine)
    newest_first = [r.revision for r in ScriptDirectory.from_config(config).walk_revisions()]
    for earlier in newest_first[1:]:
        command.downgrade(config, earlier)
        assert current_revision(engine) == earlier
    command.upgrade(config, "head")
    assert current_revision(engine) == head_revision()
    assert _pending_diff(engine) == []
    assert _counts(engine) == before
    assert before["attendance"] > 0
    engine.dispose()


def test_each_migration_can_be_undone_on_sqlite(tmp_path: Path) -> None:
    _undone_and_done_again(str(tmp_path / "centre.sqlite"))


def test_each_migration_can_be_undone_on_postgresql(pg_database_url: str) -> None:
    _undone_and_done_again(pg_database_url)


NEXT_REVISION = '''"""A later schema change, for the test."""
from alembic import op
import sqlalchemy as sa

revision = "9999"
down_revision = "{head}"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table("later_table", sa.Column("id", sa.Integer, primary_key=True))


def downgrade() -> None:
    op.drop_table("later_table")
'''


def test_an_upgrade_backs_up_the_database_first(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    location = tmp_path / "centre.sqlite"
    make_centre(str(location)).close()
    # A newer Sijill: the same migrations plus one.
    newer = tmp_path / "migrations"
    shutil.copytree(database_module.MIGRATIONS, newer)
    (newer / "versions" / "9999_later.py").write_text(
        NEXT_REVISION.format(head=head_revision()), encoding="utf-8"
    )
    old_head = head_revision()
    monkeypatch.setattr(database_module, "MIGRATIONS", newer)
    monkeypatch.setattr(database_module, "HEAD", "9999")

    engine = create_database_engine(f"sqlite:///{location}")
    backup = migrate(engine)
    assert current_revision(engine) == "9999"
    engine.dispose()

    assert backup is not None and backup.parent == tmp_path / "backups"
    with sqlite3.connect(backup) as copy:
        assert copy.execute("select version_num from alembic_version").fetchone()[0] == old_head
        assert copy.execute("select count(*) from centre").fetchone()[0] == 1
