"""The bundled fonts, loaded at start so the look never depends on the laptop's fonts.

Noto Sans Arabic UI for Arabic with Noto Sans as its Latin companion (Arabic-only fonts
lack Latin letters and arrows); the order of the two follows the language, so digits and
punctuation come from the font of the language being read.
"""

from __future__ import annotations

from PySide6.QtGui import QFont, QFontDatabase

from app.config import RESOURCES

FONT_DIR = RESOURCES / "fonts"
ARABIC_FAMILY = "Noto Sans Arabic UI"
LATIN_FAMILY = "Noto Sans"
BASE_POINT_SIZE = 10


def load_fonts() -> list[str]:
    """Register every bundled font with Qt; return the families found."""
    families: list[str] = []
    for path in sorted(FONT_DIR.glob("*.ttf")):
        font_id = QFontDatabase.addApplicationFont(str(path))
        if font_id >= 0:
            families.extend(QFontDatabase.applicationFontFamilies(font_id))
    return sorted(set(families))


def application_font(*, rtl: bool) -> QFont:
    font = QFont()
    font.setFamilies([ARABIC_FAMILY, LATIN_FAMILY] if rtl else [LATIN_FAMILY, ARABIC_FAMILY])
    font.setPointSize(BASE_POINT_SIZE)
    return font
