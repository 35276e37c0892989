"""A printed document seen before it is printed: the preview window, printing, saving.

``PdfPreview`` shows a PDF's pages one under another, fitted to the width or zoomed; pages
are drawn by PDFium (``app.pdf.pages``) on the worker thread, only those in view and at
the size they are shown, so a document of a hundred pages costs what its visible pages
cost. ``PdfOutput`` prints a PDF (each page drawn at the printer's resolution, up to
300 dpi, in the orientation of the page, honouring the pages and copies chosen), saves a
copy, or hands it to the system's PDF viewer. ``PreviewDialog`` puts the two together
with the keys a coordinator uses: PgUp/PgDn, Ctrl+plus/minus, Ctrl+P, Ctrl+S, Esc.

The print dialog's module (QtPrintSupport) is imported when something is printed.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from PySide6.QtCore import QObject, QRect, QRectF, QSize, QStandardPaths, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import (
    QColor,
    QDesktopServices,
    QImage,
    QKeyEvent,
    QKeySequence,
    QPageLayout,
    QPainter,
    QPaintEvent,
    QResizeEvent,
    QShortcut,
)
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.i18n import _, format_number, ltr, ngettext
from app.pdf import save_atomically
from app.services.progress import Progress
from app.ui.style import LINE
from app.ui.tasks import TaskRunner
from app.ui.widgets.field_messages import error_label
from app.ui.widgets.record_table import muted_label

if TYPE_CHECKING:
    from PySide6.QtPrintSupport import QPrintDialog, QPrinter

    from app.pdf.pages import PageImage, PageSize

# Qt's logical pixels are 1/96 inch: at 100 % a page is shown at its printed size.
PIXELS_PER_POINT = 96 / 72
ZOOMS = (0.25, 0.33, 0.5, 0.67, 0.75, 0.9, 1.0, 1.1, 1.25, 1.5, 1.75, 2.0, 2.5, 3.0)
PAGE_SPACING = 16
MAX_PRINT_DPI = 300
BACKDROP = "#e4e1da"
# Keys, written out rather than Qt's native text (its Arabic translation drops the "+").
PRINT_KEYS = "Ctrl+P"
SAVE_KEYS = "Ctrl+S"
ZOOM_IN_KEYS = ("Ctrl++", "Ctrl+=")
ZOOM_OUT_KEYS = "Ctrl+-"
FIT_KEYS = "Ctrl+0"


def to_image(page: PageImage, *, ratio: float = 1.0) -> QImage:
    """A page drawn by PDFium as a QImage of its own (any thread may call this)."""
    image = QImage(
        page.pixels, page.width, page.height, page.stride, QImage.Format.Format_RGBX8888
    ).copy()  # the copy owns its pixels; ``page.pixels`` may go
    image.setDevicePixelRatio(ratio)
    return image


def _render(data: bytes, pages: Sequence[int], *, scale: float, ratio: float) -> dict[int, QImage]:
    """Worker thread: ``pages`` of ``data`` at ``scale`` logical pixels a point."""
    from app.pdf.pages import open_pdf

    with open_pdf(data) as pdf:
        return {i: to_image(pdf.render(i, scale=scale * ratio), ratio=ratio) for i in pages}


def page_sizes(data: bytes) -> tuple[PageSize, ...]:
    """Worker thread: the sizes of the pages of ``data``."""
    from app.pdf.pages import open_pdf

    with open_pdf(data) as pdf:
        return pdf.sizes()


class _Page(QWidget):
    """One page: white paper at its shown size, its picture once drawn."""

    def __init__(self, size: PageSize) -> None:
        super().__init__()
        self.size_in_points = size
        self.image: QImage | None = None
        self.drawn_at = 0.0  # the scale of ``image``

    def set_scale(self, scale: float) -> None:
        self.setFixedSize(
            QSize(
                round(self.size_in_points.width * scale), round(self.size_in_points.height * scale)
            )
        )

    def paintEvent(self, _event: QPaintEvent) -> None:  # noqa: N802 - Qt's name
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor("white"))
        if self.image is not None:
            painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
            painter.drawImage(QRectF(self.rect()), self.image)
        painter.setPen(QColor(LINE))
        painter.drawRect(self.rect().adjusted(0, 0, -1, -1))
        painter.end()


class PdfPreview(QScrollArea):
    """A PDF's pages one under another; PgUp/PgDn move a page, Home/End to the ends."""

    #: The pages are laid out: how many there are.
    loaded = Signal(int)
    #: The page most in view changed: (its number from 1, the number of pages).
    page_changed = Signal(int, int)
    #: The zoom changed: the size shown as a share of the printed size (1.0 = 100 %).
    zoom_changed = Signal(float)

    def __init__(self, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("pdfPreview")
        self._runner = runner
        self._data = b""
        self.pages: list[_Page] = []
        self._fit = True
        self._scale = PIXELS_PER_POINT
        self._current = 0
        self._serial = 0
        self._drawing = False
        self._again = False
        self.setWidgetResizable(True)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
        sheet = QWidget()
        sheet.setObjectName("pdfBackdrop")
        sheet.setStyleSheet(f"QWidget#pdfBackdrop {{ background: {BACKDROP}; }}")
        self._column = QVBoxLayout(sheet)
        self._column.setContentsMargins(PAGE_SPACING, PAGE_SPACING, PAGE_SPACING, PAGE_SPACING)
        self._column.setSpacing(PAGE_SPACING)
        self._column.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.setWidget(sheet)
        self._later = QTimer(self)
        self._later.setSingleShot(True)
        self._later.setInterval(40)
        self._later.timeout.connect(self._draw_in_view)
        self.verticalScrollBar().valueChanged.connect(self._scrolled)
        self.horizontalScrollBar().valueChanged.connect(lambda _v: self._later.start())

    # -- the document --------------------------------------------------------------------

    def show_pdf(self, data: bytes) -> None:
        """Show ``data``; its pages' sizes are read on the worker thread."""
        self._data = data
        self._serial += 1
        serial = self._serial

        def sized(sizes: tuple[PageSize, ...]) -> None:
            if serial == self._serial:
                self._lay_out(sizes)

        self._runner.run(lambda: page_sizes(data), on_done=sized)

    def _lay_out(self, sizes: tuple[PageSize, ...]) -> None:
        for page in self.pages:
            self._column.removeWidget(page)
            page.deleteLater()
        self.pages = [_Page(size) for size in sizes]
        for page in self.pages:
            self._column.addWidget(page, 0, Qt.AlignmentFlag.AlignHCenter)
        self._current = 0
        self._apply_scale(self._fit_scale() if self._fit else self._scale, keep=False)
        self.loaded.emit(len(self.pages))
        self.page_changed.emit(1 if self.pages else 0, len(self.pages))

    @property
    def page_count(self) -> int:
        return len(self.pages)

    @property
    def drawing(self) -> bool:
        """Whether pages in view are still to be drawn (tests and screenshots wait)."""
        return self._later.isActive() or self._drawing

    @property
    def current_page(self) -> int:
        """The page most in view, from 1 (0 while nothing is shown)."""
        return self._current + 1 if self.pages else 0

    # -- zoom ----------------------------------------------------------------------------

    @property
    def zoom(self) -> float:
        return self._scale / PIXELS_PER_POINT

    def zoom_in(self) -> None:
        self.set_zoom(next((z for z in ZOOMS if z > self.zoom + 0.005), ZOOMS[-1]))

    def zoom_out(self) -> None:
        self.set_zoom(next((z for z in reversed(ZOOMS) if z < self.zoom - 0.005), ZOOMS[0]))

    def set_zoom(self, zoom: float) -> None:
        self._fit = False
        self._apply_scale(zoom * PIXELS_PER_POINT)

    def fit_width(self) -> None:
        self._fit = True
        self._apply_scale(self._fit_scale())

    def _fit_scale(self) -> float:
        widest = max((p.size_in_points.width for p in self.pages), default=0.0)
        room = self.viewport().width() - 2 * PAGE_SPACING
        return max(room, 50) / widest if widest else self._scale

    def _apply_scale(self, scale: float, *, keep: bool = True) -> None:
        """Show the pages at ``scale``; the page in view stays in view."""
        bar = self.verticalScrollBar()
        page = self.pages[self._current] if self.pages else None
        within = (bar.value() - page.y()) / max(page.height(), 1) if page and keep else 0.0
        self._scale = scale
        self._serial += 1
        for each in self.pages:
            each.set_scale(scale)
        self.widget().adjustSize()
        self.widget().layout().activate()
        if page is not None:
            bar.setValue(page.y() + round(within * page.height()) if keep else 0)
        self.zoom_changed.emit(self.zoom)
        self._later.start()

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        if self._fit and self.pages:
            self._apply_scale(self._fit_scale())
        else:
            self._later.start()

    # -- moving through the pages --------------------------------------------------------

    def go_to(self, number: int) -> None:
        """Bring page ``number`` (from 1) to the top of the view."""
        if not self.pages:
            return
        page = self.pages[min(max(number, 1), len(self.pages)) - 1]
        self.verticalScrollBar().setValue(page.y() - PAGE_SPACING // 2)
        self._scrolled()

    def next_page(self) -> None:
        self.go_to(self.current_page + 1)

    def previous_page(self) -> None:
        self.go_to(self.current_page - 1)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt's name
        moves: dict[int, Callable[[], None]] = {
            Qt.Key.Key_PageDown: self.next_page,
            Qt.Key.Key_PageUp: self.previous_page,
            Qt.Key.Key_Home: lambda: self.go_to(1),
            Qt.Key.Key_End: lambda: self.go_to(self.page_count),
        }
        move = moves.get(event.key())
        if move is not None and not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier:
            move()
        else:
            super().keyPressEvent(event)

    def _scrolled(self) -> None:
        if not self.pages:
            return
        # The page whose top has passed the upper third of the view is the one being read.
        mark = self.verticalScrollBar().value() + self.viewport().height() // 3
        current = 0
        for index, page in enumerate(self.pages):
            if page.y() <= mark:
                current = index
        if current != self._current:
            self._current = current
            self.page_changed.emit(current + 1, len(self.pages))
        self._later.start()

    # -- drawing the pages in view -------------------------------------------------------

    def _in_view(self) -> list[int]:
        """The pages in view, and those a screen above or below it (drawn ahead)."""
        top = self.verticalScrollBar().value()
        height = self.viewport().height()
        area = QRect(0, top - height, self.widget().width(), 3 * height)
        return [i for i, page in enumerate(self.pages) if page.geometry().intersects(area)]

    def _draw_in_view(self) -> None:
        if self._drawing:
            self._again = True
            return
        wanted = self._in_view()
        # Pictures far from view are let go: a long document costs what is in view.
        for index, page in enumerate(self.pages):
            if index not in wanted:
                page.image = None
        scale, ratio = self._scale, self.devicePixelRatioF()
        missing = [
            i for i in wanted if self.pages[i].image is None or self.pages[i].drawn_at != scale
        ]
        if not missing:
            return
        self._drawing = True
        serial, data = self._serial, self._data

        def drawn(images: dict[int, QImage]) -> None:
            self._drawing = False
            if serial == self._serial:
                for index, image in images.items():
                    self.pages[index].image = image
                    self.pages[index].drawn_at = scale
                    self.pages[index].update()
            if self._again or serial != self._serial:
                self._again = False
                self._draw_in_view()

        def failed(error: BaseException) -> None:
            self._drawing = False
            self._runner.failed.emit(str(error) or error.__class__.__name__)

        self._runner.run(
            lambda: _render(data, missing, scale=scale, ratio=ratio), on_done=drawn, on_error=failed
        )


# -- printing and saving -------------------------------------------------------------------


def chosen_pages(printer: QPrinter, *, count: int, current: int) -> list[int]:
    """The pages (from 0) the print dialog asked for, each copy the printer cannot make
    itself included, in the order they go to the printer."""
    from PySide6.QtPrintSupport import QPrinter

    numbers = list(range(1, count + 1))
    if printer.printRange() == QPrinter.PrintRange.PageRange:
        ranges = printer.pageRanges()
        if not ranges.isEmpty():
            numbers = [n for n in numbers if ranges.contains(n)]
    elif printer.printRange() == QPrinter.PrintRange.CurrentPage and 1 <= current <= count:
        numbers = [current]
    if printer.pageOrder() == QPrinter.PageOrder.LastPageFirst:
        numbers.reverse()
    # Most printers make the copies themselves; a PDF file (and some drivers) cannot.
    copies = 1 if printer.supportsMultipleCopies() else max(printer.copyCount(), 1)
    if printer.collateCopies():
        numbers = numbers * copies
    else:
        numbers = [n for n in numbers for _copy in range(copies)]
    return [n - 1 for n in numbers]


class OutputFailed(Exception):
    """Printing or saving did not work; the message says why, in the person's language."""


def print_pages(data: bytes, printer: QPrinter, pages: Sequence[int], progress: Progress) -> int:
    """Worker thread: draw ``pages`` (from 0) of ``data`` on ``printer``, each in its own
    orientation and at the printer's resolution (up to 300 dpi); returns the pages sent.
    A cancelled job is aborted, and a PDF file half written is removed."""
    from PySide6.QtPrintSupport import QPrinter

    from app.pdf.pages import open_pdf, scale_for_dpi

    scale = scale_for_dpi(min(printer.resolution(), MAX_PRINT_DPI))
    printer.setFullPage(True)  # the PDF's pages carry their own margins
    painter = QPainter()
    finished = False
    try:
        with open_pdf(data) as pdf:
            for done, index in enumerate(pages):
                progress.step(done, len(pages))
                size = pdf.size(index)
                printer.setPageOrientation(
                    QPageLayout.Orientation.Landscape
                    if size.landscape
                    else QPageLayout.Orientation.Portrait
                )
                if done == 0:
                    if not painter.begin(printer):
                        raise OutputFailed(_("The printer cannot be used."))
                else:
                    printer.newPage()
                image = to_image(pdf.render(index, scale=scale))
                paper = printer.paperRect(QPrinter.Unit.DevicePixel)
                # The picture fills the paper, its proportions kept, centred.
                fit = min(paper.width() / image.width(), paper.height() / image.height())
                width, height = image.width() * fit, image.height() * fit
                target = QRectF(
                    paper.x() + (paper.width() - width) / 2,
                    paper.y() + (paper.height() - height) / 2,
                    width,
                    height,
                )
                painter.drawImage(target, image)
            progress.step(len(pages), len(pages))
            finished = True
    finally:
        if painter.isActive():
            if not finished:
                printer.abort()
            painter.end()
        pdf_file = printer.outputFormat() == QPrinter.OutputFormat.PdfFormat
        if not finished and pdf_file and printer.outputFileName():
            # A PDF cannot be aborted: Qt writes what was drawn; take the half of it away.
            Path(printer.outputFileName()).unlink(missing_ok=True)
    return len(pages)


def pdf_file_dialog(parent: QWidget, *, file_name: str) -> QFileDialog:
    """The dialog asking where to save a PDF, in the folder used last (else Documents),
    gone once closed; the caller connects ``fileSelected`` and opens it."""
    folder = PdfOutput.last_folder or Path(
        QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    )
    if not folder.is_dir():  # a laptop without a Documents folder, a folder since removed
        folder = Path.home()
    dialog = QFileDialog(parent, _("Save as PDF"), str(folder / file_name), _("PDF files (*.pdf)"))
    dialog.setObjectName("savePdf")
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
    dialog.setFileMode(QFileDialog.FileMode.AnyFile)
    dialog.setDefaultSuffix("pdf")
    dialog.fileSelected.connect(lambda path: PdfOutput.remember_folder(Path(path).parent))
    dialog.finished.connect(dialog.deleteLater)
    return dialog


def cannot_write(path: Path, error: BaseException) -> str:
    """What to tell a person whose file could not be written."""
    reason = error.strerror if isinstance(error, OSError) and error.strerror else str(error)
    return _("The file {file} cannot be written: {reason}.").format(file=path, reason=reason)


class PdfOutput(QObject):
    """Printing ``data``, saving a copy of it, or opening it in the system's viewer."""

    #: A copy was saved: its path.
    saved = Signal(str)
    #: The pages were sent to the printer: how many sheets.
    printed = Signal(int)
    #: Printing or saving did not work: what to tell the person.
    failed = Signal(str)

    #: Where the last PDF was saved in this session: the next one is offered there.
    last_folder: ClassVar[Path | None] = None

    def __init__(
        self, runner: TaskRunner, data: bytes, *, parent: QWidget, title: str, file_name: str
    ) -> None:
        # No Qt parent: whoever keeps it (and a job printing it) keeps it alive, and the
        # PDF it holds goes with the last of them.
        super().__init__()
        self._runner = runner
        self._parent = parent
        self.data = data
        self.title = title
        self.file_name = file_name
        self.saved_path: Path | None = None
        self.print_dialog: QPrintDialog | None = None
        self.save_dialog: QFileDialog | None = None

    @classmethod
    def remember_folder(cls, folder: Path) -> None:
        cls.last_folder = folder

    # -- printing ------------------------------------------------------------------------

    def print_(self, *, pages: int, current: int = 0) -> None:
        """Open the print dialog (pages 1 to ``pages``; ``current`` is the page in view,
        0 when none); the chosen pages are printed in the background."""
        from PySide6.QtPrintSupport import QAbstractPrintDialog, QPrintDialog, QPrinter

        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName(self.title)
        dialog = QPrintDialog(printer, self._parent)
        dialog.setObjectName("print")
        dialog.setWindowTitle(_("Print {document}").format(document=self.title))
        dialog.setMinMax(1, pages)
        options = QAbstractPrintDialog.PrintDialogOption
        dialog.setOption(options.PrintPageRange)
        dialog.setOption(options.PrintCollateCopies)
        dialog.setOption(options.PrintCurrentPage, current > 0)
        dialog.accepted.connect(lambda: self._print(printer, count=pages, current=current))
        dialog.finished.connect(dialog.deleteLater)
        self.print_dialog = dialog
        QDialog.open(dialog)  # QPrintDialog.open wants a slot to call; the signal is connected

    def _print(self, printer: QPrinter, *, count: int, current: int) -> None:
        order = chosen_pages(printer, count=count, current=current)
        data = self.data
        self._runner.run_job(
            lambda progress: print_pages(data, printer, order, progress),
            title=_("Printing {document}…").format(document=self.title),
            parent=self._parent,
            on_done=self.printed.emit,
        )

    # -- saving --------------------------------------------------------------------------

    def save_copy(self) -> None:
        """Ask where, then write the PDF there (in the background)."""
        dialog = pdf_file_dialog(self._parent, file_name=self.file_name)
        dialog.fileSelected.connect(lambda path: self.save_to(Path(path)))
        self.save_dialog = dialog
        dialog.open()

    def save_to(self, path: Path) -> None:
        data = self.data

        def written(_result: None) -> None:
            self.saved_path = path
            self.saved.emit(str(path))

        self._runner.run(
            lambda: save_atomically(path, data),
            on_done=written,
            on_error=lambda error: self.failed.emit(cannot_write(path, error)),
        )

    # -- the system's viewer -------------------------------------------------------------

    def open_in_viewer(self) -> None:
        """Show the PDF in the system's viewer: the copy saved, else one written to a
        temporary folder for it."""
        if self.saved_path is not None and self.saved_path.exists():
            self._open(self.saved_path)
            return
        data, name = self.data, self.file_name

        def write() -> Path:
            path = Path(tempfile.mkdtemp(prefix="sijill-")) / name
            save_atomically(path, data)
            return path

        self._runner.run(
            write,
            on_done=self._open,
            on_error=lambda error: self.failed.emit(cannot_write(Path(name), error)),
        )

    def _open(self, path: Path) -> None:
        if not QDesktopServices.openUrl(QUrl.fromLocalFile(str(path))):
            self.failed.emit(_("No program to show PDF files was found on this computer."))


class PreviewDialog(QDialog):
    """A document on screen before it is printed, with its print and save buttons."""

    def __init__(
        self,
        runner: TaskRunner,
        data: bytes,
        *,
        title: str,
        file_name: str,
        parent: QWidget,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("preview")
        self.title = title
        self.output = PdfOutput(runner, data, parent=self, title=title, file_name=file_name)
        self.output.saved.connect(self._saved)
        self.output.printed.connect(self._printed)
        self.output.failed.connect(self._failed)
        self.preview = PdfPreview(runner)
        self.preview.loaded.connect(self._loaded)
        self.preview.page_changed.connect(self._page_changed)
        self.preview.zoom_changed.connect(self._zoom_changed)

        self.print_button = QPushButton()
        self.print_button.setObjectName("primary")
        self.print_button.clicked.connect(self.print_)
        self.save_button = QPushButton()
        self.save_button.clicked.connect(self.output.save_copy)
        self.viewer_button = QPushButton()
        self.viewer_button.clicked.connect(self.output.open_in_viewer)
        self.zoom_out_button = QToolButton()
        self.zoom_out_button.setText("−")
        self.zoom_out_button.clicked.connect(self.preview.zoom_out)
        self.zoom_label = QLabel()
        self.zoom_label.setMinimumWidth(56)
        self.zoom_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.zoom_in_button = QToolButton()
        self.zoom_in_button.setText("+")
        self.zoom_in_button.clicked.connect(self.preview.zoom_in)
        self.fit_button = QToolButton()
        self.fit_button.clicked.connect(self.preview.fit_width)
        self.page_label = QLabel()
        self.page_label.setObjectName("cardTitle")
        self.close_button = QPushButton()
        self.close_button.clicked.connect(self.reject)
        self.keys_hint = muted_label()
        self.status = muted_label()
        self.error = error_label()

        for keys, act in (
            (PRINT_KEYS, self.print_),
            (SAVE_KEYS, self.output.save_copy),
            *((keys, self.preview.zoom_in) for keys in ZOOM_IN_KEYS),
            (ZOOM_OUT_KEYS, self.preview.zoom_out),
            (FIT_KEYS, self.preview.fit_width),
            ("PgDown", self.preview.next_page),
            ("PgUp", self.preview.previous_page),
        ):
            QShortcut(QKeySequence(keys), self, activated=act)

        tools = QHBoxLayout()
        tools.setSpacing(8)
        tools.addWidget(self.print_button)
        tools.addWidget(self.save_button)
        tools.addWidget(self.viewer_button)
        tools.addStretch(1)
        tools.addWidget(self.page_label)
        tools.addSpacing(24)
        tools.addWidget(self.zoom_out_button)
        tools.addWidget(self.zoom_label)
        tools.addWidget(self.zoom_in_button)
        tools.addWidget(self.fit_button)
        foot = QHBoxLayout()
        notes = QVBoxLayout()
        notes.setSpacing(2)
        notes.addWidget(self.status)
        notes.addWidget(self.error)
        notes.addWidget(self.keys_hint)
        foot.addLayout(notes, 1)
        foot.addWidget(self.close_button, 0, Qt.AlignmentFlag.AlignBottom)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 14, 16, 12)
        layout.setSpacing(10)
        layout.addLayout(tools)
        layout.addWidget(self.preview, 1)
        layout.addLayout(foot)
        self.setTabOrder(self.preview, self.print_button)
        self.print_button.setEnabled(False)
        self.resize(parent.window().size() * 0.92)
        self.retranslate_ui()
        self.preview.show_pdf(data)

    def retranslate_ui(self) -> None:
        self.setWindowTitle(self.title)
        self.print_button.setText(_("Print…"))
        self.print_button.setToolTip(ltr(PRINT_KEYS))
        self.save_button.setText(_("Save a copy…"))
        self.save_button.setToolTip(ltr(SAVE_KEYS))
        self.viewer_button.setText(_("Open in the PDF viewer"))
        self.zoom_out_button.setToolTip(_("Smaller ({keys})").format(keys=ltr(ZOOM_OUT_KEYS)))
        self.zoom_in_button.setToolTip(_("Larger ({keys})").format(keys=ltr(ZOOM_IN_KEYS[0])))
        self.fit_button.setText(_("Fit width"))
        self.fit_button.setToolTip(ltr(FIT_KEYS))
        self.close_button.setText(_("Close"))
        self.close_button.setToolTip(ltr("Esc"))
        self.keys_hint.setText(
            _(
                "{pages}: previous or next page · {zoom}: zoom · {print}: print · "
                "{save}: save a copy · {close}: close"
            ).format(
                pages=ltr("PgUp / PgDn"),
                zoom=ltr("Ctrl + / Ctrl −"),
                print=ltr(PRINT_KEYS),
                save=ltr(SAVE_KEYS),
                close=ltr("Esc"),
            )
        )
        self._page_changed(self.preview.current_page, self.preview.page_count)
        self._zoom_changed(self.preview.zoom)
        if not self.preview.page_count:
            self.status.setText(_("Preparing the preview…"))

    def _loaded(self, pages: int) -> None:
        self.print_button.setEnabled(pages > 0)
        self.status.setText(
            ngettext("The document has {n} page.", "The document has {n} pages.", pages).format(
                n=format_number(pages)
            )
        )
        self.preview.setFocus()

    def _page_changed(self, page: int, pages: int) -> None:
        self.page_label.setText(
            _("Page {page} of {pages}").format(page=format_number(page), pages=format_number(pages))
            if pages
            else ""
        )

    def _zoom_changed(self, zoom: float) -> None:
        self.zoom_label.setText(ltr(f"{format_number(round(zoom * 100))} %"))

    def print_(self) -> None:
        if self.preview.page_count:
            self.output.print_(pages=self.preview.page_count, current=self.preview.current_page)

    def _saved(self, path: str) -> None:
        self.error.hide()
        self.status.setText(_("Saved in {file}.").format(file=path))

    def _printed(self, sheets: int) -> None:
        self.error.hide()
        self.status.setText(
            ngettext(
                "{n} page sent to the printer.", "{n} pages sent to the printer.", sheets
            ).format(n=format_number(sheets))
        )

    def _failed(self, message: str) -> None:
        self.error.setText(message)
        self.error.show()
