"""The main window: navigation, the screens, menus with shortcuts, and the status bar.

Right-to-left in Arabic: Qt mirrors the whole layout (navigation on the right) from the
application's layout direction, which follows the language.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QMainWindow,
    QMessageBox,
    QStackedWidget,
    QWidget,
)

from app.i18n import _, current_language, is_rtl, isolated, ltr, set_language
from app.services import centres, preferences
from app.services.errors import InputRejected
from app.services.overview import (
    Identity,
    TerritoryRecord,
    identity,
    is_initialised,
    list_provinces,
)
from app.services.unit_of_work import UnitOfWork
from app.ui.context import UiContext, today
from app.ui.first_run import FirstRunDialog
from app.ui.fonts import application_font
from app.ui.screens.base import Screen
from app.ui.screens.beneficiaries import BeneficiariesScreen
from app.ui.screens.events import EventsScreen
from app.ui.screens.groups import GroupsScreen
from app.ui.screens.home import HomeScreen
from app.ui.screens.settings import SettingsScreen
from app.ui.screens.simple import AttendanceScreen, DocumentsScreen
from app.ui.screens.sync import SyncScreen
from app.ui.translator import Translators

SCREENS: tuple[type[Screen], ...] = (
    HomeScreen,
    BeneficiariesScreen,
    GroupsScreen,
    AttendanceScreen,
    EventsScreen,
    DocumentsScreen,
    SyncScreen,
    SettingsScreen,
)
SCREEN_KEYS = tuple(screen.key for screen in SCREENS)
DEMO_SIZE = 300


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
    def __init__(self, context: UiContext, translators: Translators) -> None:
        super().__init__()
        self.context = context
        self.translators = translators
        self.first_run: FirstRunDialog | None = None
        self.navigation = QListWidget()
        self.navigation.setObjectName("navigation")
        self.navigation.setFixedWidth(190)
        self.stack = QStackedWidget()
        self.screens: dict[str, Screen] = {}
        for screen_class in SCREENS:
            screen = screen_class(context)
            self.screens[screen.key] = screen
            self.stack.addWidget(screen)
            self.navigation.addItem("")
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
        self._identity: Identity | None = None
        self._build_menus()

        context.navigation_requested.connect(self.show_screen)
        context.language_changed.connect(self.change_language)
        context.records_changed.connect(self._records_changed)
        context.runner.register_opened.connect(self._register_opened)
        context.runner.failed.connect(self._failed)
        self.retranslate_ui()

    # -- menus ---------------------------------------------------------------------------

    def _build_menus(self) -> None:
        self.register_menu = self.menuBar().addMenu("")
        self.new_action = QAction(self)
        self.new_action.setShortcut(QKeySequence.StandardKey.New)
        self.new_action.triggered.connect(self._new_beneficiary)
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
        self.language_actions = {}
        for code, name in (("ar", "العربية"), ("fr", "Français")):
            action = QAction(name, self)
            action.triggered.connect(lambda _checked=False, c=code: self.change_language(c))
            self.language_actions[code] = action
            self.language_menu.addAction(action)

    def retranslate_ui(self) -> None:
        self.setWindowTitle(_("Sijill — the register of the centre"))
        for row, screen in enumerate(self.screens.values()):
            self.navigation.item(row).setText(screen.title())
            screen.retranslate_ui()
        self.register_menu.setTitle(_("&Register"))
        self.new_action.setText(_("New beneficiary"))
        self.quit_action.setText(_("Quit"))
        self.go_menu.setTitle(_("&Go to"))
        for action, screen in zip(self.go_actions, self.screens.values(), strict=True):
            action.setText(screen.title())
        self.language_menu.setTitle(_("&Language"))
        self._fill_status()
        if self.first_run is not None:
            self.first_run.retranslate_ui()

    # -- navigation ----------------------------------------------------------------------

    def show_screen(self, key: str) -> None:
        self.navigation.setCurrentRow(SCREEN_KEYS.index(key))

    def current_screen(self) -> Screen:
        return self.screens[SCREEN_KEYS[self.stack.currentIndex()]]

    def _navigate(self, row: int) -> None:
        self.stack.setCurrentIndex(row)
        if self.context.runner.register is not None and self._identity is not None:
            self.current_screen().activate()

    def _new_beneficiary(self) -> None:
        self.show_screen("beneficiaries")
        screen = self.screens["beneficiaries"]
        assert isinstance(screen, BeneficiariesScreen)
        screen.new_person()

    # -- language ------------------------------------------------------------------------

    def change_language(self, language: str) -> None:
        if language == current_language():
            return
        apply_language(language, self.translators)
        self.retranslate_ui()
        if self.context.runner.register is not None:
            self.context.runner.with_uow(lambda uow: preferences.save_language(uow, language))

    # -- the register --------------------------------------------------------------------

    def _register_opened(self) -> None:
        def check(uow: UnitOfWork) -> tuple[bool, list[TerritoryRecord]]:
            ready = is_initialised(uow)
            return ready, ([] if ready else list_provinces(uow))

        self.context.runner.with_uow(check, on_done=self._checked, read_only=True)

    def _checked(self, result: tuple[bool, list[TerritoryRecord]]) -> None:
        ready, provinces = result
        if ready:
            self._load_identity()
            return
        self.first_run = FirstRunDialog(provinces, self)
        self.first_run.finished.connect(self._first_run_done)
        self.first_run.open()

    def _first_run_done(self, result: int) -> None:
        dialog = self.first_run
        assert dialog is not None
        if result == FirstRunDialog.DEMO:
            # Imported here: its name lists are only needed on a blank register.
            from app.services.demo import create_demo

            self.first_run = None
            self.context.runner.run_job(
                lambda progress: create_demo(
                    self.context.runner.register,
                    seed=1,
                    beneficiaries=DEMO_SIZE,
                    months=10,
                    today=today(),
                    progress=progress.step,
                ),
                title=_("Preparing the demo centre…"),
                parent=self,
                on_done=lambda _summary: self._load_identity(),
            )
        elif result:
            values = dialog.values()
            self.context.runner.with_uow(
                lambda uow: centres.initialise_centre(uow, today=today(), **values),
                on_done=lambda _centre: self._initialised(),
                on_error=self._refused,
            )
        else:
            self.close()

    def _initialised(self) -> None:
        self.first_run = None
        self._load_identity()

    def _refused(self, error: BaseException) -> None:
        assert self.first_run is not None
        if isinstance(error, InputRejected):
            self.first_run.show_error(error)
            self.first_run.open()
        else:
            self._failed(str(error))

    def _load_identity(self) -> None:
        self.context.runner.with_uow(
            identity,
            on_done=self._identity_loaded,
            read_only=True,
        )

    def _identity_loaded(self, data: Identity) -> None:
        first_time = self._identity is None
        self._identity = data
        self._fill_status()
        if first_time:
            self.current_screen().activate()

    def _records_changed(self, kinds: frozenset[str]) -> None:
        if "centre" in kinds:
            self._load_identity()

    def _fill_status(self) -> None:
        data = self._identity
        if data is None:
            return
        self.centre_label.setText(f"{isolated(data.centre_name)} ({ltr(data.centre_code)})")
        self.season_label.setText(_("Season {season}").format(season=ltr(data.season_label)))
        self.sync_label.setText(_("Not yet sent to the delegation"))

    def _failed(self, message: str) -> None:
        QMessageBox.warning(self, _("Something went wrong"), message)

    # -- closing -------------------------------------------------------------------------

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt's name
        screen = self.screens["beneficiaries"]
        assert isinstance(screen, BeneficiariesScreen)
        if screen.form.dirty:
            answer = QMessageBox.question(
                self,
                _("Unsaved changes"),
                _("The beneficiary form has changes that are not saved. Quit anyway?"),
                QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
                QMessageBox.StandardButton.Cancel,
            )
            if answer != QMessageBox.StandardButton.Discard:
                event.ignore()
                return
        event.accept()
