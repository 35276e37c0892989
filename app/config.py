"""Where Sijill keeps its files, how a database location is spelled, and today's date.

The data directory comes from platformdirs (per user, per OS) unless SIJILL_HOME says
otherwise, which tests and portable installs use. A database is named either by a file
path (SQLite) or by an SQLAlchemy URL (``postgresql+psycopg://…`` at a delegation).
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import platformdirs

APP_NAME = "Sijill"
DB_FILENAME = "sijill.sqlite"

PROJECT_ROOT = Path(__file__).resolve().parent.parent
RESOURCES = PROJECT_ROOT / "resources"


def data_dir() -> Path:
    """The folder holding this user's database, backups and install identity."""
    override = os.environ.get("SIJILL_HOME")
    path = Path(override) if override else Path(platformdirs.user_data_dir(APP_NAME, False))
    path.mkdir(parents=True, exist_ok=True)
    return path


def default_database() -> str:
    """The database used when neither --db nor SIJILL_DB names one."""
    return os.environ.get("SIJILL_DB") or str(data_dir() / DB_FILENAME)


def database_url(location: str) -> str:
    """Turn a file path or a URL into an SQLAlchemy URL."""
    if "://" in location:
        return location
    return f"sqlite:///{Path(location).expanduser().resolve()}"


def today() -> dt.date:
    """Today, or SIJILL_TODAY (YYYY-MM-DD) for reproducible tests, demos and screenshots."""
    fixed = os.environ.get("SIJILL_TODAY")
    return dt.date.fromisoformat(fixed) if fixed else dt.date.today()
