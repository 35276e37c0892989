"""What every screen is given: the task runner, today's date, the change signal, and the
passphrase of the register's keys once typed.

A write returns what it changed; the screen that wrote announces it with
``records_changed`` (the names of the kinds of records touched) and every other screen
refreshes only if it shows those records.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from app.config import today

if TYPE_CHECKING:
    from app.ui.tasks import TaskRunner


class UiContext(QObject):
    #: Kinds of records that changed, e.g. {"beneficiary", "enrolment"}.
    records_changed = Signal(frozenset)
    #: The language changed; every widget retranslates.
    language_changed = Signal(str)
    #: A screen asks the main window to show another screen (by its key).
    navigation_requested = Signal(str)

    def __init__(self, runner: TaskRunner) -> None:
        super().__init__()
        self.runner = runner
        #: The passphrase of the register's keys, once typed, for the rest of the session:
        #: the Sync screen and the certificates ask for it once between them
        #: (``widgets.key_passphrase``).
        self.key_passphrase: str | None = None

    @staticmethod
    def today() -> dt.date:
        return today()

    def announce(self, *kinds: str) -> None:
        self.records_changed.emit(frozenset(kinds))
