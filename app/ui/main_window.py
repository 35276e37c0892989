"""The main window's frame: navigation, the screen stack, menus with shortcuts, status bar.

The frame is light on purpose: it imports no screen and nothing of the database layer,
so the window is painted at once; the workspace (``app.ui.workspace``) then loads the
screens and the register behind it and installs them. Right-to-left in Arabic: Qt mirrors
the whole layout (navigation on the right) from the application's layout direction,
which follows the language.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QMainWindow,
    QStackedWidget,
    QWidget,
)

from app.i18n import _, current_language, is_rtl, set_language
from app.ui.fonts import application_font
from app.ui.navigation import SCREEN_KEYS, SCREEN_TITLES
from app.ui.translator import Translators

if TYPE_CHECKING:
    from app.ui.first_run import FirstRunDialog
from app.ui.screens.base import Screen


def apply_language(language: str, translators: Translators) -> None:
    """Switch the application's language, direction and font order."""
    set_language(language)
    translators.install(language)
    app = QApplication.instance()
    rtl = is_rtl(language)
    app.setLayoutDirection(
        Qt.LayoutDirection.RightToLeft if rtl else Qt.LayoutDirection.LeftToRight
    )
    app.setFont(application_font(rtl=rtl))


class MainWindow(QMainWindow):
    #: The person chose another language (the code): the workspace saves the choice.
    language_switched = Signal(str)
    #: The person asked for a new beneficiary form (menu or Ctrl+N).
    new_beneficiary_requested = Signal()

    def __init__(self, translators: Translators) -> None:
        super().__init__()
        self.translators = translators
        self.screens: dict[str, Screen] = {}
        self.first_run: FirstRunDialog | None = None
        #: Asked before the window closes; False keeps it open (unsaved typing).
        self.may_close: Callable[[], bool] = lambda: True
        #: Whether screens may ask for data yet (the register is open and set up).
        self.ready = False
        self.navigation = QListWidget()
        self.navigation.setObjectName("navigation")
        self.navigation.setFixedWidth(190)
        self.stack = QStackedWidget()
        for _key in SCREEN_KEYS:
            self.navigation.addItem("")
            self.stack.addWidget(QWidget())  # a blank page until the screens are loaded
        self.navigation.currentRowChanged.connect(self._navigate)
        central = QWidget()
        layout = QHBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.navigation)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)
        self.centre_label, self.season_label, self.sync_label = QLabel(), QLabel(), QLabel()
        for label in (self.centre_label, self.season_label, self.sync_label):
            self.statusBar().addPermanentWidget(label)
        self._build_menus()
        self.retranslate_ui()

    # -- menus ---------------------------------------------------------------------------

    def _build_menus(self) -> None:
        self.register_menu = self.menuBar().addMenu("")
        self.new_action = QAction(self)
        self.new_action.setShortcut(QKeySequence.StandardKey.New)
        self.new_action.triggered.connect(self.new_beneficiary_requested)
        self.quit_action = QAction(self)
        self.quit_action.setShortcut(QKeySequence("Ctrl+Q"))
        self.quit_action.triggered.connect(self.close)
        self.register_menu.addActions([self.new_action, self.quit_action])
        self.go_menu = self.menuBar().addMenu("")
        self.go_actions: list[QAction] = []
        for number, key in enumerate(SCREEN_KEYS, start=1):
            action = QAction(self)
            action.setShortcut(QKeySequence(f"Ctrl+{number}"))
            action.triggered.connect(lambda _checked=False, k=key: self.show_screen(k))
            self.go_actions.append(action)
        self.go_menu.addActions(self.go_actions)
        self.language_menu = self.menuBar().addMenu("")
        for code, name in (("ar", "العربية"), ("fr", "Français")):
            action = QAction(name, self)
            action.triggered.connect(lambda _checked=False, c=code: self.change_language(c))
            self.language_menu.addAction(action)

    def retranslate_ui(self) -> None:
        self.setWindowTitle(_("Sijill — the register of the centre"))
        for row, key in enumerate(SCREEN_KEYS):
            title = _(SCREEN_TITLES[key])
            self.navigation.item(row).setText(title)
            self.go_actions[row].setText(title)
        for screen in self.screens.values():
            screen.retranslate_ui()
        self.register_menu.setTitle(_("&Register"))
        self.new_action.setText(_("New beneficiary"))
        self.quit_action.setText(_("Quit"))
        self.go_menu.setTitle(_("&Go to"))
        self.language_menu.setTitle(_("&Language"))
        if self.first_run is not None:
            self.first_run.retranslate_ui()

    # -- screens -------------------------------------------------------------------------

    def install(self, screens: Mapping[str, Screen]) -> None:
        """Put the loaded screens in place of the blank pages."""
        for key, screen in screens.items():
            index = SCREEN_KEYS.index(key)
            blank = self.stack.widget(index)
            self.stack.insertWidget(index, screen)
            self.stack.removeWidget(blank)
            blank.deleteLater()
            self.screens[key] = screen
        self.stack.setCurrentIndex(self.navigation.currentRow())

    def show_screen(self, key: str) -> None:
        self.navigation.setCurrentRow(SCREEN_KEYS.index(key))

    def current_screen(self) -> Screen | None:
        return self.screens.get(SCREEN_KEYS[self.stack.currentIndex()])

    def activate_current(self) -> None:
        """Let the screen in view load its data, once the register is ready."""
        screen = self.current_screen()
        if self.ready and screen is not None:
            screen.activate()

    def _navigate(self, row: int) -> None:
        self.stack.setCurrentIndex(row)
        self.activate_current()

    # -- language and status -------------------------------------------------------------

    def change_language(self, language: str) -> None:
        if language == current_language():
            return
        apply_language(language, self.translators)
        self.retranslate_ui()
        self.language_switched.emit(language)

    def set_status(self, *, centre: str, season: str, sync: str) -> None:
        self.centre_label.setText(centre)
        self.season_label.setText(season)
        self.sync_label.setText(sync)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt's name
        if self.may_close():
            event.accept()
        else:
            event.ignore()
