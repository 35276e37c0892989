"""A PDF's pages as pictures (app/pdf/pages.py): counted, sized and drawn by PDFium, from
PDFs made with ReportLab, checked against poppler's own reading of the same file."""

from __future__ import annotations

import io
import math
import re
import subprocess
from pathlib import Path

import pypdfium2
import pytest
from reportlab.lib.pagesizes import A4, A5, landscape
from reportlab.pdfgen.canvas import Canvas

from app.pdf import fonts
from app.pdf.pages import PageImage, open_pdf, scale_for_dpi

# A black square this far from the top left corner of each page, in points.
SQUARE = (36.0, 36.0, 72.0)
# A pixel darker than this (of 255) holds ink.
INK = 160


def _pdf(*sizes: tuple[float, float], rotate: int = 0) -> bytes:
    """One page of each size, a black square near the top left corner of each."""
    buffer = io.BytesIO()
    canvas = Canvas(buffer, invariant=True)
    for width, height in sizes:
        canvas.setPageSize((width, height))
        canvas.setPageRotation(rotate)
        x, y, side = SQUARE
        canvas.rect(x, height - y - side, side, side, stroke=0, fill=1)
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _drawn_page() -> bytes:
    """A landscape page of text and a grid, in the bundled fonts, as documents are."""
    fonts.register_fonts()
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=landscape(A4), invariant=True)
    canvas.setFont("SijillLatin-Bold", 22)
    canvas.drawString(60, 520, "Feuille de présence mensuelle")
    canvas.setFont("SijillArabic", 18)
    canvas.drawRightString(780, 480, "ﻭﺭﻗﺔ ﺍﻟﺤﻀﻮﺭ")
    for row in range(12):
        canvas.line(60, 440 - 25 * row, 780, 440 - 25 * row)
    for column in range(9):
        canvas.line(60 + 90 * column, 440, 60 + 90 * column, 165)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _pixel(image: PageImage, x: int, y: int) -> tuple[int, int, int]:
    at = y * image.stride + 4 * x
    red, green, blue = image.pixels[at : at + 3]
    return red, green, blue


def _poppler_sizes(path: Path, pages: int) -> list[tuple[float, float]]:
    info = subprocess.run(
        ["pdfinfo", "-f", "1", "-l", str(pages), str(path)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    found = re.findall(r"Page\s+\d+ size:\s+([\d.]+) x ([\d.]+) pts", info)
    return [(float(w), float(h)) for w, h in found]


def _poppler_picture(data: bytes, folder: Path, *, dpi: int) -> tuple[int, int, bytes]:
    """Width, height and grey pixels of the first page as pdftoppm draws it."""
    path = folder / "page.pdf"
    path.write_bytes(data)
    subprocess.run(
        ["pdftoppm", "-r", str(dpi), "-gray", "-f", "1", "-l", "1", str(path), str(folder / "p")],
        check=True,
    )
    fields = next(folder.glob("p*.pgm")).read_bytes().split(maxsplit=4)
    width, height = int(fields[1]), int(fields[2])
    return width, height, fields[4][-width * height :]


def _ink_agrees(ours: PageImage, width: int, grey: bytes) -> float:
    """The share of dark pixels, in either picture, with a dark pixel within one pixel in
    the other (the two libraries smooth edges a little differently)."""
    mine = {
        (x, y)
        for y in range(ours.height)
        for x in range(ours.width)
        if sum(_pixel(ours, x, y)) < 3 * INK
    }
    theirs = {(i % width, i // width) for i, value in enumerate(grey) if value < INK}
    assert len(mine) > 100 and len(theirs) > 100

    def near(dots: set[tuple[int, int]], other: set[tuple[int, int]]) -> int:
        return sum(
            1
            for x, y in dots
            if any((x + dx, y + dy) in other for dx in (-1, 0, 1) for dy in (-1, 0, 1))
        )

    return (near(mine, theirs) + near(theirs, mine)) / (len(mine) + len(theirs))


def test_pages_are_counted_and_sized_as_poppler_reads_them(tmp_path: Path) -> None:
    data = _pdf(A4, landscape(A4), A5)
    path = tmp_path / "three.pdf"
    path.write_bytes(data)
    with open_pdf(data) as pdf:
        count, sizes = len(pdf), pdf.sizes()
    assert count == 3
    assert [s.landscape for s in sizes] == [False, True, False]
    for size, (width, height) in zip(sizes, _poppler_sizes(path, 3), strict=True):
        assert size.width == pytest.approx(width, abs=0.5)
        assert size.height == pytest.approx(height, abs=0.5)


def test_a_page_turned_a_quarter_is_sized_and_drawn_as_poppler_draws_it(
    tmp_path: Path,
) -> None:
    data = _pdf(landscape(A4), rotate=90)
    with open_pdf(data) as pdf:
        size = pdf.size(0)
        ours = pdf.render(0, scale=scale_for_dpi(36))
    width, height, grey = _poppler_picture(data, tmp_path, dpi=36)
    assert size.landscape == (width > height)
    assert (ours.width, ours.height) == (width, height)
    assert _ink_agrees(ours, width, grey) > 0.95


def test_a_page_is_drawn_at_the_resolution_asked_the_right_way_up() -> None:
    with open_pdf(_pdf(A4, landscape(A4))) as pdf:
        portrait = pdf.render(0, scale=scale_for_dpi(72))
        wide = pdf.render(1, scale=scale_for_dpi(144))
    # 1 pixel a point at 72 dpi, 2 at 144 (a part of a pixel makes a whole one).
    assert (portrait.width, portrait.height) == (math.ceil(A4[0]), math.ceil(A4[1]))
    assert (wide.width, wide.height) == (math.ceil(2 * A4[1]), math.ceil(2 * A4[0]))
    assert portrait.stride >= 4 * portrait.width
    assert len(portrait.pixels) == portrait.stride * portrait.height
    x, y, side = SQUARE
    inside = (int(x + side / 2), int(y + side / 2))
    assert _pixel(portrait, *inside) == (0, 0, 0)
    # Mirrored or upside down, the square would be at another corner.
    assert _pixel(portrait, portrait.width - inside[0], inside[1]) == (255, 255, 255)
    assert _pixel(portrait, inside[0], portrait.height - inside[1]) == (255, 255, 255)
    assert _pixel(wide, 2 * inside[0], 2 * inside[1]) == (0, 0, 0)
    assert _pixel(wide, wide.width // 2, wide.height // 2) == (255, 255, 255)


def test_a_page_is_drawn_where_poppler_draws_it(tmp_path: Path) -> None:
    """Text in the bundled fonts and a grid: PDFium's picture and pdftoppm's agree on
    where the ink is."""
    data = _drawn_page()
    with open_pdf(data) as pdf:
        ours = pdf.render(0, scale=scale_for_dpi(30))
    width, height, grey = _poppler_picture(data, tmp_path, dpi=30)
    assert (ours.width, ours.height) == (width, height)
    assert _ink_agrees(ours, width, grey) > 0.95


def test_bytes_that_are_not_a_pdf_are_refused() -> None:
    with pytest.raises(pypdfium2.PdfiumError), open_pdf(b"%PDF-1.4 this is not a PDF"):
        pass
