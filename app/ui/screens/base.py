"""The base of every screen: a title, retranslation, and refresh on the changes it shows."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from app.i18n import _
from app.ui.context import UiContext
from app.ui.navigation import SCREEN_TITLES


class Screen(QWidget):
    """A page of the main window.

    Subclasses set ``key`` (the name used by ``sijill gui --screen``), ``shows`` (the
    kinds of records whose changes make it refresh), build their widgets, and implement
    ``title``, ``retranslate_ui`` and ``refresh``.
    """

    key = ""
    shows: frozenset[str] = frozenset()

    def __init__(self, context: UiContext) -> None:
        super().__init__()
        self.context = context
        self._stale = True
        context.records_changed.connect(self._on_records_changed)

    def title(self) -> str:
        return _(SCREEN_TITLES[self.key])

    def retranslate_ui(self) -> None:
        raise NotImplementedError

    def refresh(self) -> None:
        """Ask the services for what this screen shows (results arrive asynchronously)."""

    def activate(self) -> None:
        """The screen became visible: refresh it if something it shows has changed."""
        if self._stale:
            self._stale = False
            self.refresh()

    def mark_stale(self) -> None:
        self._stale = True
        if self.isVisible():
            self.activate()

    def report_failure(self, error: BaseException) -> None:
        """Something other than a refusal of what was typed went wrong (the register cannot
        be written, say): the main window tells the person."""
        self.context.runner.failed.emit(str(error) or error.__class__.__name__)

    def _on_records_changed(self, kinds: frozenset[str]) -> None:
        if kinds & self.shows:
            self.mark_stale()
