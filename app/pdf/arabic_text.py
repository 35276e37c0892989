"""Arabic on paper: letters joined (arabic-reshaper) and put in visual order (python-bidi).

ReportLab draws glyphs left to right as given. So each line is first cut in logical order
(wrapping), then reshaped into presentation forms and reordered for display, one line at a
time: reordering a whole paragraph before cutting it would print its lines bottom-up.
ReportLab's own shaping (``shaping=1``) is not used: it joins letters but keeps words left
to right, and its text does not extract (docs: TECH-NOTES "Arabic in PDFs").
"""

from __future__ import annotations

import re
from collections.abc import Callable

import arabic_reshaper

# The top-level ``bidi.get_display`` of python-bidi 0.6 does not mirror brackets.
from bidi.algorithm import get_display

from app.services.text import has_arabic

# Direction marks and embeddings steer the reordering; once it is done they have no glyph.
_CONTROLS = re.compile("[\u200e\u200f\u202a-\u202e]")
# python-bidi's algorithm module knows embeddings but not isolates (it fails on them), and
# app.i18n.ltr()/isolated() write isolates: each becomes the embedding that does the same
# here. A first-strong isolate (FSI) takes the direction of its first strong letter.
_FIRST_STRONG = re.compile("\u2068([^\u2069]*)\u2069")
_ISOLATES = str.maketrans({"\u2066": "\u202a", "\u2067": "\u202b", "\u2069": "\u202c"})


def _embedding(match: re.Match[str]) -> str:
    rtl = next((has_arabic(char) for char in match[1] if char.isalpha()), False)
    return ("\u202b" if rtl else "\u202a") + match[1] + "\u202c"


def visual(line: str, *, rtl: bool) -> str:
    """One line in the order its glyphs are drawn, left to right, Arabic letters joined."""
    logical = _FIRST_STRONG.sub(_embedding, line).translate(_ISOLATES)
    shown = get_display(arabic_reshaper.reshape(logical), base_dir="R" if rtl else "L")
    return _CONTROLS.sub("", shown)


def wrap(text: str, *, fits: Callable[[str], bool]) -> list[str]:
    """``text`` cut at spaces into lines (logical order) for which ``fits`` holds; a word
    too long for a line gets a line of its own."""
    lines: list[str] = []
    current = ""
    for word in text.split():
        candidate = f"{current} {word}" if current else word
        if current and not fits(candidate):
            lines.append(current)
            current = word
        else:
            current = candidate
    if current:
        lines.append(current)
    return lines
