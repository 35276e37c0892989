"""Starting the desktop application, or rendering one screen to a PNG and leaving.

``sijill gui --screenshot`` draws offscreen (no display needed): it opens the register,
waits until every screen's data has arrived, shows the asked screen, grabs the window
(and the first-run dialog, on a blank register) and saves the picture.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from PySide6.QtGui import QPainter, QPixmap
from PySide6.QtWidgets import QApplication, QMessageBox

from app.i18n import DEFAULT_LANGUAGE, _
from app.services import preferences
from app.ui.context import UiContext
from app.ui.fonts import load_fonts
from app.ui.main_window import MainWindow, apply_language
from app.ui.style import STYLESHEET
from app.ui.tasks import TaskRunner
from app.ui.translator import Translators

WINDOW_SIZE = (1280, 800)


def create_application(*, offscreen: bool) -> QApplication:
    if offscreen:
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    app = QApplication.instance() or QApplication([sys.argv[0]])
    app.setApplicationName("Sijill")
    load_fonts()
    app.setStyleSheet(STYLESHEET)
    return app


def _grab(window: MainWindow) -> QPixmap:
    picture = window.grab()
    dialog = window.first_run
    if dialog is not None and dialog.isVisible():
        # Offscreen, a dialog is its own top-level surface: paint it over the window.
        painter = QPainter(picture)
        inside = dialog.grab()
        painter.drawPixmap(
            (picture.width() - inside.width()) // 2,
            (picture.height() - inside.height()) // 2,
            inside,
        )
        painter.end()
    return picture


def run_gui(*, location: str, screen: str, screenshot: Path | None, language: str | None) -> int:
    """Open the main window on ``screen``; with ``screenshot``, save it and exit."""
    app = create_application(offscreen=screenshot is not None)
    translators = Translators()
    apply_language(language or DEFAULT_LANGUAGE, translators)
    runner = TaskRunner()
    context = UiContext(runner)
    window = MainWindow(context, translators)
    window.resize(*WINDOW_SIZE)
    window.show_screen(screen)
    window.show()

    def cannot_open(error: BaseException) -> None:
        QMessageBox.critical(
            window,
            _("The register cannot be opened"),
            _("Cannot open the database {db}: {reason}").format(db=location, reason=error),
        )
        window.close()

    def opened() -> None:
        if language is None:
            runner.with_uow(
                preferences.saved_language,
                on_done=lambda saved: saved and window.change_language(saved),
            )

    runner.register_opened.connect(opened)
    runner.open(location, on_error=cannot_open)
    if screenshot is None:
        code = app.exec()
        runner.shutdown()
        return code
    runner.wait_idle()
    window.show_screen(screen)
    runner.wait_idle()
    screenshot.parent.mkdir(parents=True, exist_ok=True)
    saved = _grab(window).save(str(screenshot))
    runner.shutdown()
    return 0 if saved else 1
