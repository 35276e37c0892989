"""Folding names so that the ways people actually type them find each other.

Arabic: presentation forms to letters (NFKC), tashkeel and tatweel removed, hamza carriers
folded (أ إ آ ٱ → ا, ؤ → و, ئ → ي), ة → ه, ى → ي. Latin: case and accents folded. So
"احمد" finds "أحمد", "فاطمه" finds "فاطمة", "mohamed" finds "MOHAMED", "hélène" "HELENE".
"""

from __future__ import annotations

import re
import unicodedata

_ARABIC_FOLD = str.maketrans(
    {
        "أ": "ا",
        "إ": "ا",
        "آ": "ا",
        "ٱ": "ا",
        "ؤ": "و",
        "ئ": "ي",
        "ة": "ه",
        "ى": "ي",
        "ـ": None,  # tatweel
        "\u200c": None,  # zero-width non-joiner
        "\u200d": None,  # zero-width joiner
        "\u200e": None,  # left-to-right mark
        "\u200f": None,  # right-to-left mark
    }
)
_ARABIC_LETTER = re.compile(r"[\u0621-\u064A\u066E-\u06D3\u06FA-\u06FF]")
_LATIN_LETTER = re.compile(r"[A-Za-z\u00C0-\u024F]")
_WORD = re.compile(r"\w+")
TOKEN_MAX = 120


def fold(text: str) -> str:
    """The search form of ``text``: compare folded with folded."""
    text = unicodedata.normalize("NFKC", text).translate(_ARABIC_FOLD)
    decomposed = unicodedata.normalize("NFD", text.casefold())
    # Combining marks cover both Latin accents and Arabic tashkeel (U+064B–U+065F, U+0670).
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return unicodedata.normalize("NFC", stripped)


def words(text: str | None) -> list[str]:
    """The folded words of ``text``, in order, each cut to the index's width."""
    if not text:
        return []
    return [w[:TOKEN_MAX] for w in _WORD.findall(fold(text))]


def has_arabic(text: str) -> bool:
    return bool(_ARABIC_LETTER.search(text))


def has_latin(text: str) -> bool:
    return bool(_LATIN_LETTER.search(text))


def clean_spaces(text: str | None) -> str:
    """Trim and collapse runs of white space; '' for None."""
    return " ".join((text or "").split())
