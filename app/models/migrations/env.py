"""Alembic environment: migrations run on the engine handed over by ``database.migrate``.

``render_as_batch`` lets ALTERs work on SQLite (table copy) and still emit plain ALTERs
on PostgreSQL.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from app.config import database_url, default_database
from app.models import Base
from app.models.database import create_database_engine

config = context.config
engine = config.attributes.get("engine")
if engine is None:
    # Command-line use (`alembic -c …`): the same database the app would open.
    url = config.get_main_option("sqlalchemy.url") or database_url(default_database())
    engine = create_database_engine(url) if url else create_engine("sqlite://")

with engine.begin() as connection:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=True,
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()
