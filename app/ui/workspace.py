"""The workspace behind the main window: the screens, and the register they work on.

Loaded once the window's frame is painted (it brings the screens and, beneath them, the
database layer). It opens the register in the background, offers the first-run dialog on
a blank register, keeps the status bar and the saved language, and asks before unsaved
typing would be lost.
"""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QMessageBox

from app.i18n import _, format_datetime, isolated, ltr
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
from app.sync.status import SyncStatus, sync_status
from app.ui.context import UiContext, today
from app.ui.first_run import FirstRunDialog
from app.ui.main_window import MainWindow
from app.ui.screens.attendance import AttendanceScreen
from app.ui.screens.base import Screen
from app.ui.screens.beneficiaries import BeneficiariesScreen
from app.ui.screens.documents import DocumentsScreen
from app.ui.screens.events import EventsScreen
from app.ui.screens.groups import GroupsScreen
from app.ui.screens.home import HomeScreen
from app.ui.screens.settings import SettingsScreen
from app.ui.screens.sync import SyncScreen
from app.ui.tasks import TaskRunner

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
DEMO_SIZE = 300


class Workspace(QObject):
    def __init__(
        self, window: MainWindow, context: UiContext, *, follow_saved_language: bool
    ) -> None:
        super().__init__(window)
        self.window = window
        self.context = context
        self._follow_saved_language = follow_saved_language
        self._identity: Identity | None = None
        self._sync: SyncStatus | None = None
        window.install({screen.key: screen(context) for screen in SCREENS})
        sync_screen = window.screens["sync"]
        assert isinstance(sync_screen, SyncScreen)
        # The service card's word (a try under way, failed, awaiting the passphrase)
        # reaches the status bar as soon as it changes.
        self._service = sync_screen.service
        self._service.status_changed.connect(self._fill_status)
        context.navigation_requested.connect(window.show_screen)
        context.language_changed.connect(window.change_language)
        context.records_changed.connect(self._records_changed)
        context.runner.register_opened.connect(self._register_opened)
        context.runner.failed.connect(self._failed)
        window.language_switched.connect(self._language_switched)
        window.new_beneficiary_requested.connect(self._new_beneficiary)
        window.may_close = self._may_close

    # -- the register --------------------------------------------------------------------

    def _register_opened(self) -> None:
        def check(uow: UnitOfWork) -> tuple[bool, list[TerritoryRecord], str | None]:
            ready = is_initialised(uow)
            saved = preferences.saved_language(uow) if self._follow_saved_language else None
            return ready, ([] if ready else list_provinces(uow)), saved

        self.context.runner.with_uow(check, on_done=self._checked, read_only=True)

    def _checked(self, result: tuple[bool, list[TerritoryRecord], str | None]) -> None:
        ready, provinces, saved = result
        if saved:
            self.window.change_language(saved)
        if ready:
            self._load_identity()
            return
        dialog = FirstRunDialog(provinces, self.window)
        dialog.finished.connect(self._first_run_done)
        self.window.first_run = dialog
        dialog.open()

    def _first_run_done(self, result: int) -> None:
        dialog = self.window.first_run
        assert dialog is not None
        if result == FirstRunDialog.DEMO:
            # Imported here: its name lists are only needed on a blank register.
            from app.services.demo import create_demo

            self.window.first_run = None
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
                parent=self.window,
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
            self.window.close()

    def _initialised(self) -> None:
        self.window.first_run = None
        self._load_identity()

    def _refused(self, error: BaseException) -> None:
        dialog = self.window.first_run
        assert dialog is not None
        if isinstance(error, InputRejected):
            dialog.show_error(error)
            dialog.open()
        else:
            self._failed(str(error))

    def _load_identity(self) -> None:
        self.context.runner.with_uow(identity, on_done=self._identity_loaded, read_only=True)

    def _identity_loaded(self, data: Identity) -> None:
        first_time = self._identity is None
        self._identity = data
        self._fill_status()
        self._load_sync_state()
        if first_time:
            self.window.ready = True
            self.window.activate_current()
            # Queued behind the screen's own reads: the first automatic exchange is
            # seconds away, and the person is looking at the screen now.
            self._service.reload()

    def _records_changed(self, kinds: frozenset[str]) -> None:
        if "centre" in kinds:
            self._load_identity()
        elif "sync" in kinds:
            self._load_sync_state()

    def _load_sync_state(self) -> None:
        self.context.runner.with_uow(sync_status, on_done=self._sync_loaded, read_only=True)

    def _sync_loaded(self, state: SyncStatus) -> None:
        self._sync = state
        self._fill_status()

    # -- the window ----------------------------------------------------------------------

    def _fill_status(self) -> None:
        data = self._identity
        if data is None:
            return
        self.window.set_status(
            centre=f"{isolated(data.centre_name)} ({ltr(data.centre_code)})",
            season=_("Season {season}").format(season=ltr(data.season_label)),
            sync=self._sync_line(),
        )

    def _sync_line(self) -> str:
        """The status bar's word on the delegation: what the service card has to say, or
        else what the delegation has confirmed receiving."""
        note = self._service.status_note()
        if note is not None:
            return note
        peers = [p for p in (self._sync.peers if self._sync else []) if p.role == "delegation"]
        confirmed = [p.confirmed_up_to for p in peers if p.confirmed_up_to is not None]
        if confirmed:
            return _("The delegation has your data up to {moment}").format(
                moment=format_datetime(max(confirmed))
            )
        return _("Not yet sent to the delegation")

    def _language_switched(self, language: str) -> None:
        self._fill_status()
        if self.context.runner.register is not None:
            self.context.runner.with_uow(lambda uow: preferences.save_language(uow, language))

    def _new_beneficiary(self) -> None:
        self.window.show_screen("beneficiaries")
        screen = self.window.screens["beneficiaries"]
        assert isinstance(screen, BeneficiariesScreen)
        screen.new_person()

    def _failed(self, message: str) -> None:
        QMessageBox.warning(self.window, _("Something went wrong"), message)

    def _may_close(self) -> bool:
        screen = self.window.screens["beneficiaries"]
        assert isinstance(screen, BeneficiariesScreen)
        if not screen.form.dirty:
            return True
        answer = QMessageBox.question(
            self.window,
            _("Unsaved changes"),
            _("The beneficiary form has changes that are not saved. Quit anyway?"),
            QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        return answer == QMessageBox.StandardButton.Discard


def open_workspace(window: MainWindow, *, location: str, follow_saved_language: bool) -> Workspace:
    """Load the screens into ``window`` and open the register at ``location`` behind it."""
    runner = TaskRunner(window)
    workspace = Workspace(window, UiContext(runner), follow_saved_language=follow_saved_language)

    def cannot_open(error: BaseException) -> None:
        QMessageBox.critical(
            window,
            _("The register cannot be opened"),
            _("Cannot open the database {db}: {reason}").format(db=location, reason=error),
        )
        window.close()

    runner.open(location, on_error=cannot_open)
    return workspace
