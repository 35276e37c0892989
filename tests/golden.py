"""Golden-image checks of printed documents: a layout regression fails the tests.

Each page of a PDF is rendered by poppler (``pdftoppm``, grey, low resolution) and compared
with an approved PNG under tests/golden/. Pages may differ by a little antialiasing, never
by a moved block: the check counts pixels that changed by more than a faint grey and fails
past a small share of the page. ``SIJILL_APPROVE_IMAGES=1`` writes the current pages as the
approved ones, after someone has looked at them. A failure leaves the current page and a
difference image beside the test's temporary folder, named in the message.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
from pathlib import Path

from PIL import Image, ImageChops

GOLDEN = Path(__file__).parent / "golden"
RESOLUTION = 40  # dots per inch: enough to see a moved line, small enough to keep in git
CHANGED = 64  # a pixel changed by more than this (of 255) is a real difference
TOLERANCE = 0.004  # share of a page's pixels that may change


def render_pages(pdf: bytes, folder: Path) -> list[Path]:
    """The pages of ``pdf`` as grey PNGs in ``folder``, in order."""
    source = folder / "document.pdf"
    source.write_bytes(pdf)
    subprocess.run(
        ["pdftoppm", "-r", str(RESOLUTION), "-gray", "-png", str(source), str(folder / "page")],
        check=True,
    )
    # pdftoppm pads the page number to the width of the last one: sort by the number.
    return sorted(folder.glob("page-*.png"), key=lambda p: int(p.stem.rsplit("-", 1)[1]))


def _changed_share(current: Image.Image, approved: Image.Image) -> tuple[float, Image.Image]:
    difference = ImageChops.difference(current.convert("L"), approved.convert("L"))
    histogram = difference.histogram()
    changed = sum(histogram[CHANGED + 1 :])
    return changed / (difference.width * difference.height), difference


def assert_pages_match(pdf: bytes, name: str, *, tolerance: float = TOLERANCE) -> None:
    """Every page of ``pdf`` looks like the approved ``tests/golden/{name}-{n}.png``."""
    folder = Path(tempfile.mkdtemp(prefix=f"golden-{name}-"))
    pages = render_pages(pdf, folder)
    approved = sorted(GOLDEN.glob(f"{name}-*.png"), key=lambda p: int(p.stem.rsplit("-", 1)[1]))
    if os.environ.get("SIJILL_APPROVE_IMAGES") == "1":
        for old in approved:
            old.unlink()
        for number, page in enumerate(pages, start=1):
            Image.open(page).save(GOLDEN / f"{name}-{number}.png", optimize=True)
        return
    assert approved, f"no approved pages for {name!r}: look at them, then SIJILL_APPROVE_IMAGES=1"
    assert len(pages) == len(approved), (
        f"{name}: {len(pages)} pages, approved {len(approved)} (pages in {folder})"
    )
    for number, (page, golden) in enumerate(zip(pages, approved, strict=True), start=1):
        current, expected = Image.open(page), Image.open(golden)
        assert current.size == expected.size, (
            f"{name} page {number}: size {current.size}, approved {expected.size} ({page})"
        )
        share, difference = _changed_share(current, expected)
        if share > tolerance:
            diff_path = folder / f"difference-{number}.png"
            difference.point(lambda v: 255 if v > CHANGED else 0).save(diff_path)
            raise AssertionError(
                f"{name} page {number}: {share:.2%} of the page changed (tolerance "
                f"{tolerance:.2%}); current {page}, difference {diff_path}"
            )
