"""The preview window, driven with the keyboard: pages shown in their orientation, moved
through and zoomed; printed to a PDF file through the real print dialog (pages, copies,
orientation checked with poppler); a copy saved; the PDF handed to the system's viewer."""

from __future__ import annotations

import io
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QObject, Qt, QUrl, Slot
from PySide6.QtGui import QDesktopServices
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QLineEdit,
    QRadioButton,
    QSpinBox,
)
from reportlab.lib.pagesizes import A4, A5, landscape
from reportlab.pdfgen.canvas import Canvas

from app.i18n import _, format_number, ngettext
from app.services.progress import Cancelled, Progress
from app.ui.widgets.pdf_preview import PdfPreview, PreviewDialog, print_pages

from .driving import Gui

# Portrait, landscape, and a smaller portrait page: each printed on A4 its own way round.
SIZES = (A4, landscape(A4), A5)


def three_pages() -> bytes:
    """Three pages, each with its number as a row of black squares near its top left."""
    buffer = io.BytesIO()
    canvas = Canvas(buffer, invariant=True)
    for number, (width, height) in enumerate(SIZES, start=1):
        canvas.setPageSize((width, height))
        for square in range(number):
            canvas.rect(40 + 60 * square, height - 90, 50, 50, stroke=0, fill=1)
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def pdf_pages(path: Path) -> list[tuple[float, float]]:
    """(width, height) in points of each page of ``path``, as poppler reads them."""
    info = subprocess.run(
        ["pdfinfo", "-f", "1", "-l", "999", str(path)], capture_output=True, text=True, check=True
    ).stdout
    count = int(re.search(r"^Pages:\s+(\d+)", info, re.MULTILINE)[1])
    sizes = [
        (float(w), float(h))
        for w, h in re.findall(r"Page\s+\d+ size:\s+([\d.]+) x ([\d.]+) pts", info)
    ]
    assert len(sizes) == count
    return sizes


def squares_on(path: Path, page: int) -> int:
    """How many black squares are printed in the top band of ``page`` (from 1)."""
    out = path.with_suffix("")
    subprocess.run(
        ["pdftoppm", "-r", "20", "-gray", "-f", str(page), "-l", str(page), str(path), str(out)],
        check=True,
    )
    fields = next(path.parent.glob(f"{out.name}*.pgm")).read_bytes().split(maxsplit=4)
    width = int(fields[1])
    grey = fields[4][-width * int(fields[2]) :]
    # Along a line through the squares' middles, 65 points under the top (18 pixels at
    # 20 dpi for 65 pt), count the dark runs.
    row = grey[18 * width : 19 * width]
    dark = [value < 100 for value in row]
    for unlink in path.parent.glob(f"{out.name}*.pgm"):
        unlink.unlink()
    return sum(1 for i, ink in enumerate(dark) if ink and (i == 0 or not dark[i - 1]))


def print_to_file(
    gui: Gui,
    dialog: Any,
    path: Path,
    *,
    pages: tuple[int, int] | None = None,
    copies: int = 1,
    collate: bool = True,
) -> None:
    """Fill in the real print dialog as a person would (a PDF file as the printer, the
    pages, the copies), accept it, and wait for the printing to finish."""
    printers = dialog.findChild(QComboBox, "printers")
    printers.setCurrentIndex(printers.count() - 1)  # the last entry prints to a file
    dialog.findChild(QLineEdit, "filename").setText(str(path))
    if pages is not None:
        dialog.findChild(QRadioButton, "printRange").setChecked(True)
        dialog.findChild(QSpinBox, "from").setValue(pages[0])
        dialog.findChild(QSpinBox, "to").setValue(pages[1])
    dialog.findChild(QSpinBox, "copies").setValue(copies)
    dialog.findChild(QCheckBox, "collate").setChecked(collate)
    dialog.accept()
    gui.wait()


def settle(gui: Gui, preview: PdfPreview) -> None:
    """Wait until the pages in view are drawn."""
    for _turn in range(500):
        gui.wait()
        if not preview.drawing:
            return
        QTest.qWait(10)
    raise AssertionError("the preview did not finish drawing")


def save_as(gui: Gui, dialog: QFileDialog, path: Path) -> None:
    """Type ``path`` in the save dialog's name box and accept, as a person would."""
    dialog.findChild(QLineEdit, "fileNameEdit").setText(str(path))
    dialog.accept()
    gui.wait()


def open_preview(gui: Gui, data: bytes) -> PreviewDialog:
    dialog = PreviewDialog(
        gui.runner, data, title="Test", file_name="test document.pdf", parent=gui.window
    )
    dialog.open()
    # Its keys are shortcuts of the active window: a window manager makes the dialog
    # shown active, the offscreen platform only when asked.
    dialog.activateWindow()
    assert QTest.qWaitForWindowActive(dialog)
    settle(gui, dialog.preview)
    return dialog


def _key(
    gui: Gui, dialog: PreviewDialog, key: Qt.Key, modifiers: Any = Qt.KeyboardModifier.NoModifier
) -> None:
    QTest.keyClick(dialog.preview, key, modifiers)
    settle(gui, dialog.preview)


def _page_label(page: int, pages: int) -> str:
    return _("Page {page} of {pages}").format(page=format_number(page), pages=format_number(pages))


def test_the_pages_are_shown_in_their_orientation_and_moved_through_by_keyboard(
    gui: Gui,
) -> None:
    dialog = open_preview(gui, three_pages())
    preview = dialog.preview
    assert preview.page_count == 3
    assert dialog.page_label.text() == _page_label(1, 3)
    shown = [(page.width(), page.height()) for page in preview.pages]
    assert [w > h for w, h in shown] == [False, True, False]
    # Fitted to the width: the landscape page (the widest) fills the view's width.
    room = preview.viewport().width() - 2 * 16
    assert abs(shown[1][0] - room) <= 1
    # Sizes keep the pages' proportions: A5 is half of A4 in area.
    assert shown[2][0] == pytest.approx(shown[0][0] * A5[0] / A4[0], abs=1)
    first = preview.pages[0].image
    assert first is not None
    assert (first.width(), first.height()) == pytest.approx(shown[0], abs=1)
    assert dialog.print_button.isEnabled()

    _key(gui, dialog, Qt.Key.Key_PageDown)
    gui.wait()
    assert preview.current_page == 2
    assert dialog.page_label.text() == _page_label(2, 3)
    assert preview.pages[1].image is not None, "the page brought into view is drawn"
    _key(gui, dialog, Qt.Key.Key_PageDown)
    _key(gui, dialog, Qt.Key.Key_PageDown)  # no page after the last
    assert preview.current_page == 3
    _key(gui, dialog, Qt.Key.Key_PageUp)
    assert preview.current_page == 2
    _key(gui, dialog, Qt.Key.Key_Home)
    assert preview.current_page == 1
    _key(gui, dialog, Qt.Key.Key_End)
    assert preview.current_page == 3
    _key(gui, dialog, Qt.Key.Key_PageUp)
    assert preview.current_page == 2

    width = preview.pages[0].width()
    _key(gui, dialog, Qt.Key.Key_Plus, Qt.KeyboardModifier.ControlModifier)
    gui.wait()
    assert preview.pages[0].width() > width
    assert preview.current_page == 2, "the page being read stays in view"
    assert preview.pages[1].image is not None
    assert preview.pages[1].image.width() == preview.pages[1].width(), "drawn again, sharp"
    _key(gui, dialog, Qt.Key.Key_Minus, Qt.KeyboardModifier.ControlModifier)
    _key(gui, dialog, Qt.Key.Key_Minus, Qt.KeyboardModifier.ControlModifier)
    assert preview.pages[0].width() < width
    _key(gui, dialog, Qt.Key.Key_0, Qt.KeyboardModifier.ControlModifier)
    assert preview.pages[0].width() == width

    _key(gui, dialog, Qt.Key.Key_Escape)
    assert not dialog.isVisible()


def test_printing_draws_every_page_its_own_way_round(gui: Gui, tmp_path: Path) -> None:
    dialog = open_preview(gui, three_pages())
    _key(gui, dialog, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    printing = dialog.output.print_dialog
    assert printing is not None and printing.isVisible()
    out = tmp_path / "printed.pdf"
    print_to_file(gui, printing, out)
    sizes = pdf_pages(out)
    assert len(sizes) == 3
    # On A4 paper, the landscape page printed across.
    assert [w > h for w, h in sizes] == [False, True, False]
    assert all(max(s) == pytest.approx(A4[1], abs=1) for s in sizes)
    assert [squares_on(out, page) for page in (1, 2)] == [1, 2]
    sent = ngettext("{n} page sent to the printer.", "{n} pages sent to the printer.", 3)
    assert dialog.status.text() == sent.format(n=format_number(3))


def test_printing_honours_the_pages_and_copies_chosen(gui: Gui, tmp_path: Path) -> None:
    dialog = open_preview(gui, three_pages())
    dialog.print_()
    collated = tmp_path / "collated.pdf"
    print_to_file(gui, dialog.output.print_dialog, collated, pages=(2, 3), copies=2)
    assert [w > h for w, h in pdf_pages(collated)] == [True, False, True, False]
    assert [squares_on(collated, page) for page in (1, 3)] == [2, 2]

    dialog.print_()
    grouped = tmp_path / "grouped.pdf"
    print_to_file(gui, dialog.output.print_dialog, grouped, pages=(1, 2), copies=2, collate=False)
    assert [w > h for w, h in pdf_pages(grouped)] == [False, False, True, True]


def test_a_copy_is_saved_as_the_same_bytes(gui: Gui, tmp_path: Path) -> None:
    data = three_pages()
    dialog = open_preview(gui, data)
    _key(gui, dialog, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    saving = dialog.output.save_dialog
    assert saving is not None and saving.isVisible()
    assert saving.selectedFiles()[0].endswith("test document.pdf"), "the name is suggested"
    target = tmp_path / "copy.pdf"
    save_as(gui, saving, target)
    assert target.read_bytes() == data
    assert str(target) in dialog.status.text()


class _Viewer(QObject):
    """Stands in the system's place for file:// links, through Qt's own hook."""

    def __init__(self) -> None:
        super().__init__()
        self.opened: list[QUrl] = []

    @Slot(QUrl)
    def show(self, url: QUrl) -> None:
        self.opened.append(url)


def test_the_system_viewer_is_given_the_pdf(gui: Gui) -> None:
    data = three_pages()
    dialog = open_preview(gui, data)
    viewer = _Viewer()
    QDesktopServices.setUrlHandler("file", viewer, "show")
    try:
        dialog.viewer_button.click()
        gui.wait()
    finally:
        QDesktopServices.unsetUrlHandler("file")
    assert len(viewer.opened) == 1
    opened = Path(viewer.opened[0].toLocalFile())
    assert opened.name == "test document.pdf"
    assert opened.read_bytes() == data


def test_a_print_stopped_halfway_leaves_no_half_file(gui: Gui, tmp_path: Path) -> None:
    from PySide6.QtPrintSupport import QPrinter

    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    out = tmp_path / "half.pdf"
    printer.setOutputFileName(str(out))
    # Stopped once the first page is drawn, as the Cancel button would.
    progress = Progress(on_step=lambda done, _total: progress.cancel() if done == 1 else None)
    with pytest.raises(Cancelled):
        print_pages(three_pages(), printer, [0, 1, 2], progress)
    assert not out.exists()

    whole = Progress()
    assert print_pages(three_pages(), printer, [0, 1, 2], whole) == 3
    assert len(pdf_pages(out)) == 3
    assert (whole.done, whole.total) == (3, 3)
