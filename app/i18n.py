"""Translation and locale formatting: the one place text meets a language.

Messages are written in English in the code and translated through one gettext catalog
(``resources/i18n/<lang>/LC_MESSAGES/sijill.po``). A compiled ``.mo`` is used when it is
up to date; otherwise the ``.po`` is compiled in memory with Babel, so a fresh checkout
speaks Arabic without a build step. Dates and numbers are formatted with Babel's
Moroccan locales (``ar_MA`` gives the Moroccan month names and Western digits).
"""

from __future__ import annotations

import datetime as dt
import gettext
import io
from pathlib import Path

from babel.dates import format_date as _babel_format_date
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal

from app.config import RESOURCES

DOMAIN = "sijill"
LOCALE_DIR = RESOURCES / "i18n"
LANGUAGES = ("ar", "fr")
DEFAULT_LANGUAGE = "ar"
_BABEL_LOCALES = {"ar": "ar_MA", "fr": "fr_MA"}
_RTL = {"ar"}

_current = DEFAULT_LANGUAGE
_translations: dict[str, gettext.NullTranslations] = {}


def _load(language: str) -> gettext.NullTranslations:
    folder = LOCALE_DIR / language / "LC_MESSAGES"
    po_path, mo_path = folder / f"{DOMAIN}.po", folder / f"{DOMAIN}.mo"
    if mo_path.exists() and (
        not po_path.exists() or mo_path.stat().st_mtime >= po_path.stat().st_mtime
    ):
        with mo_path.open("rb") as handle:
            return gettext.GNUTranslations(handle)
    if not po_path.exists():
        return gettext.NullTranslations()
    with po_path.open("rb") as handle:
        catalog = read_po(handle, locale=language)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


def translations(language: str) -> gettext.NullTranslations:
    """The catalog of one language, loaded once."""
    if language not in _translations:
        _translations[language] = _load(language)
    return _translations[language]


def set_language(language: str) -> None:
    """Make ``language`` the one `_` translates into from now on."""
    if language not in LANGUAGES:
        raise ValueError(f"unsupported language {language!r}")
    global _current
    _current = language


def current_language() -> str:
    return _current


def is_rtl(language: str | None = None) -> bool:
    return (language or _current) in _RTL


def _(message: str) -> str:
    """Translate ``message`` into the current language."""
    return translations(_current).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return translations(_current).ngettext(singular, plural, n)


def N_(message: str) -> str:  # noqa: N802 - the gettext convention
    """Mark ``message`` for extraction without translating it yet."""
    return message


def ltr(text: str) -> str:
    """Keep a code, date or season ("2025-2026") left to right inside Arabic text.

    After Arabic letters, the bidi algorithm turns digits into Arabic numbers and leaves
    the hyphen neutral, so "2025-2026" would read "2026-2025"; a left-to-right isolate
    (LRI … PDI) keeps it whole.
    """
    return f"\u2066{text}\u2069"


def isolated(text: str) -> str:
    """A name set inside a sentence, whatever its direction (an Arabic name in a French
    sentence, a Latin one in an Arabic sentence): a first-strong isolate (FSI … PDI)
    keeps its own order and does not reorder the sentence around it."""
    return f"\u2068{text}\u2069"


def babel_locale(language: str | None = None) -> str:
    return _BABEL_LOCALES[language or _current]


def format_date(value: dt.date, *, language: str | None = None, style: str = "long") -> str:
    """A date as a person of that language reads it: ``18 يوليوز 2025``, ``18 juillet 2025``."""
    return _babel_format_date(value, style, locale=babel_locale(language))


def format_datetime(value: dt.datetime, *, language: str | None = None) -> str:
    """A moment in this computer's time zone, day and minute: ``18 يوليوز 2025، 14:05``."""
    local = value.astimezone() if value.tzinfo else value
    return f"{format_date(local.date(), language=language)} {local:%H:%M}"


def format_number(value: int, *, language: str | None = None) -> str:
    return format_decimal(value, locale=babel_locale(language))


def catalog_path(language: str) -> Path:
    return LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"
