"""Starting the desktop application, or rendering one screen to a PNG and leaving.

The window's frame is painted first, before the screens and the database layer behind
them are even imported (a good half-second on a cheap laptop), so the coordinator sees
Sijill open at once; the workspace then loads and fills it.

``sijill gui --screenshot`` draws offscreen (no display needed): it opens the register,
waits until every screen's data has arrived, shows the asked screen, grabs the window
(and the first-run dialog, on a blank register) and saves the picture.
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtGui import QPainter, QPixmap
from PySide6.QtWidgets import QApplication, QWidget

from app.config import default_database
from app.i18n import DEFAULT_LANGUAGE, LANGUAGES
from app.ui.fonts import load_fonts
from app.ui.main_window import MainWindow, apply_language
from app.ui.navigation import SCREEN_KEYS
from app.ui.style import STYLESHEET
from app.ui.translator import Translators

if TYPE_CHECKING:
    from app.ui.workspace import Workspace

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


class _FirstPaint(QObject):
    """Calls back once, from the event loop, right after the window's first paint."""

    def __init__(self, window: QWidget, callback: Callable[[], object]) -> None:
        super().__init__(window)
        self._callback = callback
        window.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.Paint:
            watched.removeEventFilter(self)
            QTimer.singleShot(0, self._callback)
        return False


def after_first_paint(window: QWidget, callback: Callable[[], object]) -> None:
    """Run ``callback`` once the window has been painted a first time."""
    _FirstPaint(window, callback)


def open_window(*, screen: str, language: str | None, offscreen: bool) -> MainWindow:
    """The application and its window's frame, on ``screen``, not shown yet."""
    create_application(offscreen=offscreen)
    translators = Translators()
    apply_language(language or DEFAULT_LANGUAGE, translators)
    window = MainWindow(translators)
    window.resize(*WINDOW_SIZE)
    window.show_screen(screen)
    return window


def freeze_start_up() -> None:
    """What start-up built (modules, screens) lives as long as the window: set it apart
    from the garbage collector's full passes, which otherwise walk it again and again and
    made the odd search keystroke wait 60-230 ms at 100,000 people."""
    gc.freeze()


def run_gui(*, location: str, screen: str, screenshot: Path | None, language: str | None) -> int:
    """Open the main window on ``screen``; with ``screenshot``, save it and exit."""
    window = open_window(screen=screen, language=language, offscreen=screenshot is not None)

    def load() -> Workspace:
        from app.ui.workspace import open_workspace  # the screens and the register

        return open_workspace(window, location=location, follow_saved_language=language is None)

    if screenshot is None:
        loaded: list[Workspace] = []

        def start() -> None:
            loaded.append(load())
            freeze_start_up()

        after_first_paint(window, start)
        window.show()
        code = QApplication.instance().exec()
        for workspace in loaded:
            workspace.context.runner.shutdown()
        return code
    window.show()
    runner = load().context.runner
    runner.wait_idle()
    window.show_screen(screen)
    runner.wait_idle()
    screenshot.parent.mkdir(parents=True, exist_ok=True)
    saved = _grab(window).save(str(screenshot))
    runner.shutdown()
    return 0 if saved else 1


def main(argv: list[str] | None = None) -> int:
    """``sijill-desktop``: the desktop application alone, without the command line's
    commands (and their imports) in front of it."""
    parser = argparse.ArgumentParser(prog="sijill-desktop")
    parser.add_argument("--db", metavar="PATH_OR_URL")
    parser.add_argument("--lang", choices=LANGUAGES)
    parser.add_argument("--screen", choices=SCREEN_KEYS, default="home")
    args = parser.parse_args(argv)
    return run_gui(
        location=args.db or default_database(),
        screen=args.screen,
        screenshot=None,
        language=args.lang or os.environ.get("SIJILL_LANG"),
    )
