"""Fixtures for the desktop application's tests: the real window on a real register.

``gui`` builds what ``app.ui.application.run_gui`` builds (application, translators,
language, task runner, context, main window) on a freshly initialised SQLite register,
and waits until every screen's first data has arrived. Message boxes are replaced by a
recorder: a modal box would block an offscreen test forever.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QApplication, QMessageBox

from app import i18n
from app.ui.application import WINDOW_SIZE, create_application
from app.ui.main_window import MainWindow, apply_language
from app.ui.translator import Translators
from app.ui.workspace import open_workspace
from tests.integration.conftest import TODAY, make_centre

from .driving import Gui


@pytest.fixture
def register_location(tmp_path: Path) -> str:
    """Where the window's register is: a fresh SQLite file, unless a test module says
    otherwise (a PostgreSQL database, say)."""
    return str(tmp_path / "centre.sqlite")


@pytest.fixture
def gui(
    request: pytest.FixtureRequest,
    qtbot: Any,
    register_location: str,
    monkeypatch: pytest.MonkeyPatch,
) -> Iterator[Gui]:
    """The main window on an initialised register, in ``ar`` unless parametrised."""
    language = getattr(request, "param", "ar")
    monkeypatch.setenv("SIJILL_TODAY", TODAY.isoformat())
    location = register_location
    make_centre(location).close()

    boxes: list[tuple[str, str, str]] = []
    for kind, answer in (
        ("warning", QMessageBox.StandardButton.Ok),
        ("critical", QMessageBox.StandardButton.Ok),
        ("information", QMessageBox.StandardButton.Ok),
        ("question", QMessageBox.StandardButton.Cancel),
    ):
        monkeypatch.setattr(
            QMessageBox,
            kind,
            staticmethod(
                lambda _parent, title, text, *_args, k=kind, a=answer: (
                    boxes.append((k, title, text)) or a
                )
            ),
        )

    before = i18n.current_language()
    app = create_application(offscreen=True)
    translators = Translators()
    apply_language(language, translators)
    window = MainWindow(translators)
    window.resize(*WINDOW_SIZE)
    window.show()
    workspace = open_workspace(window, location=location, follow_saved_language=False)
    runner, context = workspace.context.runner, workspace.context
    running = Gui(app, window, runner, context, language, boxes)
    running.wait()
    try:
        yield running
    finally:
        running.wait()
        # hide(), not close(): closing asks about unsaved typing in a modal box.
        window.hide()
        window.deleteLater()
        runner.shutdown()
        apply_language(before, translators)
        # Really gone before the next test: a living old window would be restyled and
        # retranslated along with the new one.
        QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
