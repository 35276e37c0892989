"""The child process of the start-up figure: start, paint the first window, say when.

``python -m benchmarks.window_start bare`` shows an empty PySide6 main window (the
baseline); ``python -m benchmarks.window_start sijill DB`` starts Sijill's main window on
the register DB. Each prints "painted" on its first paint of the window, then
"filled" (Sijill only) once the start screen shows the register's figures, and leaves at
once: the parent times the lines as they arrive.
"""

from __future__ import annotations

import os
import sys

os.environ["QT_QPA_PLATFORM"] = "offscreen"

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication, QMainWindow, QWidget


class _FirstPaint(QObject):
    def __init__(self, then: object) -> None:
        super().__init__()
        self._then = then
        self._seen = False

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.Paint and not self._seen:
            self._seen = True
            print("painted", flush=True)
            self._then()
        return False


def _watch(window: QWidget, then: object) -> _FirstPaint:
    watcher = _FirstPaint(then)
    window.installEventFilter(watcher)
    return watcher


def bare() -> None:
    app = QApplication([sys.argv[0]])
    window = QMainWindow()
    window.resize(1280, 800)
    _keep = _watch(window, lambda: os._exit(0))
    window.show()
    app.exec()


def sijill(location: str) -> None:
    # What `sijill-desktop` does (app.ui.application.run_gui), watched.
    from app.ui.application import after_first_paint, open_window

    window = open_window(screen="home", language="ar", offscreen=True)
    _keep = _watch(window, lambda: None)

    def load() -> None:
        from app.ui.workspace import open_workspace

        workspace = open_workspace(window, location=location, follow_saved_language=False)
        home = window.screens["home"]
        # "Filled": the start screen received the register's figures; "flagged": then
        # who may be dropping out (it reads the month's attendance, and comes after).
        shown, flagged_shown = home._show, home._show_risk

        def filled(data: object) -> None:
            shown(data)
            print("filled", flush=True)

        def flagged(data: object) -> None:
            flagged_shown(data)
            print("flagged", flush=True)
            os._exit(0)

        home._show, home._show_risk = filled, flagged
        workspace.context.runner.failed.connect(lambda _message: os._exit(1))

    after_first_paint(window, load)
    window.show()
    QApplication.instance().exec()


if __name__ == "__main__":
    if sys.argv[1] == "bare":
        bare()
    else:
        sijill(sys.argv[2])
