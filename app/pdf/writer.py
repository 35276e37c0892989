"""A ReportLab canvas that lays out text in the document's direction.

Every document (attendance sheets, certificates, summaries) measures ``x`` from the start
edge of the page, so one layout serves Arabic (right to left) and French (left to right);
each line is shaped and reordered (app/pdf/arabic_text.py) and drawn in runs of the font
that has its glyphs (app/pdf/fonts.py), shrunk to fit rather than clipped.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import BinaryIO

from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

from app.i18n import N_, is_rtl, translations
from app.pdf import arabic_text, fonts

PAGE = N_("Page {page} of {pages}")


class PageWriter:
    """A canvas that draws text in the document's direction: ``x`` is measured from the
    start edge of the page, so one layout serves both right-to-left and left-to-right."""

    def __init__(self, canvas: Canvas, *, language: str) -> None:
        self.canvas = canvas
        self.rtl = is_rtl(language)
        self.t: Callable[[str], str] = translations(language).gettext
        self.page_width = 0.0

    def new_page(self, size: tuple[float, float]) -> None:
        self.canvas.setPageSize(size)
        self.page_width = size[0]

    def page_x(self, x: float, width: float) -> float:
        """The page's left coordinate of a box at ``x`` from the start edge."""
        return self.page_width - x - width if self.rtl else x

    def text(
        self,
        text: str,
        *,
        x: float,
        y: float,
        width: float,
        size: float,
        bold: bool = False,
        align: str = "start",
        min_size: float = 5.0,
    ) -> None:
        """One line in the box [x, x + width) from the start edge, baseline ``y``; shrunk
        to fit rather than clipped, since a name cut short is a wrong name."""
        if not text:
            return
        shown = arabic_text.visual(text, rtl=self.rtl)
        drawn = fonts.width(shown, size, rtl=self.rtl, bold=bold)
        if drawn > width and drawn > 0:
            size = max(min_size, size * width / drawn)
            drawn = fonts.width(shown, size, rtl=self.rtl, bold=bold)
        left = self.page_x(x, width)
        if align == "centre":
            left += (width - drawn) / 2
        elif (align == "start") == self.rtl:
            left += width - drawn
        for run in fonts.runs(shown, rtl=self.rtl, bold=bold):
            self.canvas.setFont(run.font, size)
            self.canvas.drawString(left, y, run.text)
            left += self.canvas.stringWidth(run.text, run.font, size)

    def lines(
        self,
        text: str,
        *,
        x: float,
        middle: float,
        width: float,
        size: float,
        bold: bool = False,
        align: str = "start",
    ) -> None:
        """``text`` wrapped on two lines at most, centred vertically on ``middle``: the
        column heads are wider than their columns."""
        wrapped = arabic_text.wrap(
            text,
            fits=lambda line: (
                fonts.width(arabic_text.visual(line, rtl=self.rtl), size, rtl=self.rtl, bold=bold)
                <= width
            ),
        )
        if len(wrapped) > 2:
            wrapped = [text]
        leading = size * 1.15
        baseline = middle + (len(wrapped) - 1) * leading / 2 - size * 0.35
        for line in wrapped:
            self.text(line, x=x, y=baseline, width=width, size=size, bold=bold, align=align)
            baseline -= leading

    def box(self, *, x: float, y: float, width: float, height: float, grey: float = 1) -> None:
        if grey < 1:
            self.canvas.setFillGray(grey)
            self.canvas.rect(self.page_x(x, width), y, width, height, stroke=1, fill=1)
            self.canvas.setFillGray(0)
        else:
            self.canvas.rect(self.page_x(x, width), y, width, height, stroke=1, fill=0)

    def end_page(self, *, page: int, pages: int, x: float, y: float, width: float) -> None:
        """Number the page ("Page 2 of 5", centred in [x, x + width), baseline ``y``)
        and close it."""
        self.text(
            self.t(PAGE).format(page=page, pages=pages),
            x=x,
            y=y,
            width=width,
            size=7,
            align="centre",
        )
        self.canvas.showPage()


def document_canvas(output: BinaryIO, *, language: str, title: str) -> Canvas:
    """A canvas for one of Sijill's documents, A4 until a page says otherwise.

    ``invariant``: no creation date or random id, so the same records print the same
    bytes (tests compare them; a reprint is the same file). The initial font, set on
    every page, is a bundled one: otherwise Helvetica is left in the file, unembedded,
    though nothing is written in it.
    """
    first_font, _fallback = fonts.font_names(rtl=is_rtl(language), bold=False)
    fonts.register_fonts()
    canvas = Canvas(
        output,
        pagesize=A4,
        invariant=True,
        pageCompression=1,
        initialFontName=first_font,
        lang=language,
    )
    canvas.setTitle(title)
    canvas.setCreator("Sijill")
    return canvas
