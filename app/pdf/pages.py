"""A PDF's pages as pictures: how many, their sizes, and each one drawn to pixels.

The in-app preview and printing draw pages with PDFium (pypdfium2, 4 MB) rather than
QtPdf, which would bring the 175 MB PySide6-Addons into the installer. Nothing here knows
Qt: a page comes out as plain RGBX pixels that the window turns into an image.

PDFium is not safe to use from two threads at once, and a document must be closed on the
thread that used it: open a PDF with ``open_pdf`` in a ``with`` block on one thread (the
window's single worker thread), use it there, and let the block close it.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import pypdfium2

POINTS_PER_INCH = 72.0


@dataclass(frozen=True)
class PageSize:
    """A page as it is shown, rotation applied, in points (1/72 inch)."""

    width: float
    height: float

    @property
    def landscape(self) -> bool:
        return self.width > self.height


@dataclass(frozen=True)
class PageImage:
    """A page drawn to pixels: RGBX, one byte a channel (the fourth unused), rows of
    ``stride`` bytes from the top of the page."""

    width: int
    height: int
    stride: int
    pixels: bytes


class PdfPages:
    """An open PDF: its pages' sizes and pictures (see the module's note on threads)."""

    def __init__(self, document: pypdfium2.PdfDocument) -> None:
        self._document = document

    def __len__(self) -> int:
        return len(self._document)

    def sizes(self) -> tuple[PageSize, ...]:
        return tuple(self.size(index) for index in range(len(self)))

    def size(self, index: int) -> PageSize:
        page = self._document[index]
        try:
            # PDFium gives the size as shown: a page turned a quarter comes out turned.
            width, height = page.get_size()
            return PageSize(width, height)
        finally:
            page.close()

    def render(self, index: int, *, scale: float) -> PageImage:
        """Page ``index`` (from 0) at ``scale`` pixels a point: 300 dpi is 300 / 72."""
        page = self._document[index]
        try:
            bitmap = page.render(scale=scale, prefer_bgrx=True, rev_byteorder=True)
            try:
                return PageImage(bitmap.width, bitmap.height, bitmap.stride, bytes(bitmap.buffer))
            finally:
                bitmap.close()
        finally:
            page.close()


@contextmanager
def open_pdf(data: bytes) -> Iterator[PdfPages]:
    """The PDF in ``data``, open for the ``with`` block (pypdfium2 raises PdfiumError on
    bytes that are not a PDF)."""
    document = pypdfium2.PdfDocument(data)
    try:
        yield PdfPages(document)
    finally:
        document.close()


def scale_for_dpi(dpi: float) -> float:
    """The ``render`` scale that draws a page at ``dpi`` dots per inch."""
    return dpi / POINTS_PER_INCH
