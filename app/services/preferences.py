"""Preferences of the person using this computer (kept in this database, never synced)."""

from __future__ import annotations

from app.i18n import LANGUAGES
from app.services.context import get_setting, put_setting
from app.services.unit_of_work import UnitOfWork

LANGUAGE = "language"


def saved_language(uow: UnitOfWork) -> str | None:
    value = get_setting(uow.session, LANGUAGE)
    return value if value in LANGUAGES else None


def save_language(uow: UnitOfWork, language: str) -> None:
    put_setting(uow.session, LANGUAGE, language)
