"""Alembic migrations of the register's schema (``versions/``), run by ``database.migrate``.

``HEAD`` names the newest revision, so that opening a register that is already up to date
never has to load Alembic; a test keeps it equal to the head of ``versions/``.
"""

HEAD = "0004"
