"""Driving the real window from a test: the running application, and typing any text."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget

from app.services.beneficiaries import BeneficiaryInput, register_beneficiary
from app.services.records import BeneficiaryRecord
from app.services.unit_of_work import UnitOfWork
from app.ui.context import UiContext
from app.ui.main_window import MainWindow
from app.ui.tasks import TaskRunner
from tests.integration.conftest import TODAY

T = TypeVar("T")


@dataclass
class Gui:
    """The running application of one test."""

    app: QApplication
    window: MainWindow
    runner: TaskRunner
    context: UiContext
    language: str
    #: (kind, title, text) of every message box the application tried to show.
    message_boxes: list[tuple[str, str, str]] = field(default_factory=list)

    def wait(self) -> None:
        assert self.runner.wait_idle(10), "background work did not finish"

    def ask(self, work: Callable[[UnitOfWork], T]) -> T:
        """Run a service call on the application's worker thread and return its result."""
        answers: list[T] = []
        errors: list[BaseException] = []
        self.runner.with_uow(work, on_done=answers.append, on_error=errors.append)
        self.wait()
        if errors:
            raise errors[0]
        assert answers, "the service call did not answer"
        return answers[0]

    def show(self, screen: str) -> Any:
        self.window.show_screen(screen)
        self.wait()
        return self.window.screens[screen]

    def add_person(self, given: str, family: str = "العلوي", **extra: str) -> BeneficiaryRecord:
        data = BeneficiaryInput(
            family_name_ar=family,
            given_name_ar=given,
            sex=extra.pop("sex", "F"),
            birth_date=extra.pop("birth_date", "1995-01-01"),
            **extra,
        )
        return self.ask(lambda uow: register_beneficiary(uow, data, today=TODAY))


def type_text(widget: QWidget, text: str) -> None:
    """Type any text, Arabic included, one key event carrying each character.

    ``qtbot.keyClicks`` aborts the process on non-ASCII text (TECH-NOTES).
    """
    widget.setFocus()
    for char in text:
        QTest.sendKeyEvent(
            QTest.KeyAction.Click, widget, Qt.Key.Key_unknown, char, Qt.KeyboardModifier.NoModifier
        )
