"""The bundled fonts for PDFs, and the split of a line into runs per font.

Noto Sans Arabic UI has the Arabic presentation forms (what arabic-reshaper emits) and
digits but no Latin letters; Noto Sans has Latin but no Arabic. Like the screens
(app/ui/fonts.py), a line is drawn in the font of the document's language, and each run of
characters that font lacks is drawn in the other one, so a French word in an Arabic cell
(or an Arabic name on a French sheet) never vanishes. Both fonts are embedded as subsets.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from app.config import RESOURCES

FONT_DIR = RESOURCES / "fonts"
_FILES = {
    "SijillArabic": "NotoSansArabicUI-Regular.ttf",
    "SijillArabic-Bold": "NotoSansArabicUI-Bold.ttf",
    "SijillLatin": "NotoSans-Regular.ttf",
    "SijillLatin-Bold": "NotoSans-Bold.ttf",
}
# Characters that take the font of the run they sit in rather than starting a new run:
# fewer runs, and a space between two Arabic words stays in the Arabic font.
_NEUTRAL = frozenset(" \u00a0")


@dataclass(frozen=True)
class Run:
    font: str
    text: str


@functools.cache
def register_fonts() -> dict[str, frozenset[int]]:
    """Register the fonts with ReportLab (once); return the code points each one has."""
    covered: dict[str, frozenset[int]] = {}
    for name, filename in _FILES.items():
        font = TTFont(name, str(FONT_DIR / filename))
        pdfmetrics.registerFont(font)
        covered[name] = frozenset(font.face.charToGlyph)
    return covered


def font_names(*, rtl: bool, bold: bool) -> tuple[str, str]:
    """The first and the fallback font of a document's language."""
    suffix = "-Bold" if bold else ""
    arabic, latin = f"SijillArabic{suffix}", f"SijillLatin{suffix}"
    return (arabic, latin) if rtl else (latin, arabic)


def runs(text: str, *, rtl: bool, bold: bool = False) -> list[Run]:
    """``text`` (already in visual order) cut into runs, each in a font that has its glyphs."""
    covered = register_fonts()
    first, fallback = font_names(rtl=rtl, bold=bold)
    pieces: list[Run] = []
    current, start = "", 0
    for index, char in enumerate(text):
        if char in _NEUTRAL and current:
            continue
        code = ord(char)
        font = first if code in covered[first] or code not in covered[fallback] else fallback
        if font != current:
            if current:
                pieces.append(Run(current, text[start:index]))
            current, start = font, index
    if current:
        pieces.append(Run(current, text[start:]))
    return pieces


def width(text: str, size: float, *, rtl: bool, bold: bool = False) -> float:
    """The printed width of ``text`` (visual order) at ``size`` points."""
    return sum(
        pdfmetrics.stringWidth(run.text, run.font, size) for run in runs(text, rtl=rtl, bold=bold)
    )
