"""The three actions on a document made when asked for: preview it, print it, save it as
a PDF.

The Documents screen's printed documents and its certificates offer them alike: the same
three buttons (the preview the main one) with the same keys, the same box for the
document's language, the same windows. What makes the PDF stays with its owner (a
document drawn, certificates issued); ``DocumentActions`` holds the buttons, in a row,
and where the PDF went last: the preview, the print output and the save dialog.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import QComboBox, QFileDialog, QFormLayout, QHBoxLayout, QPushButton, QWidget

from app.i18n import current_language, ltr
from app.ui.tasks import TaskRunner
from app.ui.widgets.pdf_preview import PdfOutput, PreviewDialog, pdf_file_dialog

PREVIEW_KEYS = "Enter"
PRINT_KEYS = "Ctrl+P"
SAVE_KEYS = "Ctrl+S"
LANGUAGE_NAMES = {"ar": "العربية", "fr": "Français"}


def language_box(name: str) -> QComboBox:
    """The languages a document can be made in, the window's own chosen."""
    box = QComboBox()
    box.setObjectName(name)
    for code, language in LANGUAGE_NAMES.items():
        box.addItem(language, code)
    box.setCurrentIndex(box.findData(current_language()))
    return box


def choices_form() -> QFormLayout:
    """The form of what a document covers: each label beside its box, the boxes at their
    own width rather than the card's."""
    form = QFormLayout()
    form.setVerticalSpacing(10)
    form.setHorizontalSpacing(16)
    form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
    return form


def let_go(runner: TaskRunner, preview: PreviewDialog) -> None:
    """Close a preview and delete it once the pages it asked the worker to draw have come
    back (the worker answers in order): deleted sooner, their arrival would paint on
    pages that are gone."""
    preview.hide()
    runner.run(lambda: None, on_done=lambda _none: preview.deleteLater())


class DocumentActions:
    """The preview, print and save buttons of a document, and the windows its PDF went
    to last."""

    def __init__(
        self,
        runner: TaskRunner,
        owner: QWidget,
        *,
        preview: Callable[[], None],
        print_: Callable[[], None],
        save: Callable[[], None],
    ) -> None:
        self._runner, self._owner = runner, owner
        #: The latest preview, save dialog and print output.
        self.preview: PreviewDialog | None = None
        self.save_dialog: QFileDialog | None = None
        self.output: PdfOutput | None = None
        self.preview_button = QPushButton()
        self.preview_button.setObjectName("primary")
        self.print_button = QPushButton()
        self.save_button = QPushButton()
        self.buttons = (self.preview_button, self.print_button, self.save_button)
        self.row = QHBoxLayout()
        self.row.setSpacing(8)
        for button, act in zip(self.buttons, (preview, print_, save), strict=True):
            button.clicked.connect(act)
            self.row.addWidget(button)
        self.row.addStretch(1)

    def retranslate_ui(self, *, preview: str, print_: str, save: str) -> None:
        """The buttons' words (which say what they do: only preview, or issue first) and
        their keys, in tool tips."""
        for button, text, keys in zip(
            self.buttons,
            (preview, print_, save),
            (PREVIEW_KEYS, PRINT_KEYS, SAVE_KEYS),
            strict=True,
        ):
            button.setText(text)
            button.setToolTip(ltr(keys))

    def set_enabled(self, enabled: bool) -> None:
        for button in self.buttons:
            button.setEnabled(enabled)

    @property
    def enabled(self) -> bool:
        return self.preview_button.isEnabled()

    def show_preview(self, data: bytes, *, title: str, file_name: str) -> None:
        """The preview window of ``data``, in place of the one shown before."""
        if self.preview is not None:
            let_go(self._runner, self.preview)
        self.preview = PreviewDialog(
            self._runner, data, title=title, file_name=file_name, parent=self._owner
        )
        self.preview.open()

    def print_(
        self,
        data: bytes,
        *,
        pages: int,
        title: str,
        file_name: str,
        printed: Callable[[int], None] | None = None,
    ) -> None:
        """The print dialog for ``data`` (``pages`` long); ``printed`` hears how many
        sheets went to the printer."""
        self.output = PdfOutput(
            self._runner, data, parent=self._owner, title=title, file_name=file_name
        )
        if printed is not None:
            self.output.printed.connect(printed)
        self.output.print_(pages=pages)

    def ask_where(self, *, file_name: str, then: Callable[[Path], None]) -> None:
        """Ask where to save the document (``file_name`` offered), then call ``then`` with
        the path chosen; nothing when the person gives up."""
        dialog = pdf_file_dialog(self._owner, file_name=file_name)
        dialog.fileSelected.connect(lambda path: then(Path(path)))
        self.save_dialog = dialog
        dialog.open()
