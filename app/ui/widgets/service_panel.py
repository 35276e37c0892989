"""The delegation's sync service, as the Sync screen shows it: its address, "Exchange now",
and one calm line saying how the last exchange went and when the next one comes.

Once an address is set the panel exchanges by itself, whatever screen is in view: a few
seconds after the window shows, then on the rhythm of app/sync/schedule.py (every half
hour; after a failure, sooner when something changed, with a pause that doubles). A QTimer
only wakes it at the moment the schedule names; the exchange runs on the task runner's
worker thread. An automatic try never opens a dialog: what went wrong goes to the status
line and the status bar. When the keys open only with a passphrase and none was typed in
this session, the automatic try waits for the person, with a button on the status line.

The passphrase itself is the Sync screen's (it keeps it for the session and asks for it):
the panel asks for an exchange with ``exchange_requested`` and the screen answers with
``exchange_with(passphrase)``.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import replace

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout

from app.i18n import _, format_date, format_number, ltr, ngettext
from app.services.errors import InputRejected
from app.services.keys import PassphraseNeeded, UnlockedKeys, unlock
from app.services.register import Register
from app.sync import transports
from app.sync.bundle import BundleRejected
from app.sync.exchange import (
    EXAMPLE_URL,
    EXCHANGED,
    REFUSED,
    UNREACHABLE,
    Exchanged,
    LastTry,
    NotReached,
    Outgoing,
    ServiceState,
    check_url,
    deliver,
    not_reached,
    refused,
    service_state,
    set_service_url,
    take_reply,
    write_outgoing,
)
from app.sync.schedule import RHYTHM, Rhythm, next_try
from app.ui.context import UiContext
from app.ui.widgets.field_messages import error_label
from app.ui.widgets.record_table import muted_label

log = logging.getLogger(__name__)

# The status line, a little larger than the hints: the card's answer.
STATUS_POINT_SIZE = 11
# An automatic try is retried by the schedule, not by long waits on the worker thread:
# a few quick attempts, then the line says when the next try comes.
ATTEMPTS = transports.Attempts(count=3, first_pause=1.0)
# A QTimer counts in milliseconds on a signed 32-bit int.
LONGEST_WAIT_MS = 2**31 - 1


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _when(moment: dt.datetime) -> str:
    """The moment as "at 14:05" on the day itself, with the date on another day."""
    local = moment.astimezone()
    time = ltr(f"{local:%H:%M}")
    if local.date() == dt.datetime.now().astimezone().date():
        return _("at {time}").format(time=time)
    return _("on {date} at {time}").format(date=format_date(local.date()), time=time)


def _after_delivery(register: Register, outgoing: Outgoing, error: BaseException) -> NotReached:
    """What a delivery that did not bring a reply comes to, remembered."""
    if isinstance(error, transports.Unreachable):
        return not_reached(register, outgoing, error)
    if isinstance(error, BundleRejected):
        raise refused(register, outgoing, error)
    raise error


def _reason(error: BaseException) -> str:
    if isinstance(error, BundleRejected):
        return error.reason
    if isinstance(error, InputRejected):
        return " ".join(e.message for e in error.errors)
    return str(error) or error.__class__.__name__


class ServicePanel(QFrame):
    #: The person asked for an exchange; the text says why the passphrase must be asked
    #: again ("" when it need not be).
    exchange_requested = Signal(str)
    #: What the status bar says of the service changed (see ``status_note``).
    status_changed = Signal()

    def __init__(
        self,
        context: UiContext,
        *,
        session_passphrase: Callable[[], str | None],
        exchange_keys: str,
        received_kinds: tuple[str, ...],
    ) -> None:
        super().__init__()
        self.setObjectName("card")
        self.context = context
        self._session_passphrase = session_passphrase
        #: What an exchange that brought changes may have changed on the other screens.
        self._received_kinds = received_kinds
        self.rhythm: Rhythm = RHYTHM
        self.attempts = ATTEMPTS
        self._state: ServiceState | None = None
        self._last: LastTry | None = None
        #: When this session began to exchange (the register was opened).
        self._opened: dt.datetime | None = None
        #: The first change to the register since the last try.
        self._changed: dt.datetime | None = None
        self._busy = False
        self._needs_person = False
        self.next_try: dt.datetime | None = None

        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self._due)

        self.title = QLabel()
        self.title.setObjectName("cardTitle")
        self.hint = muted_label()
        self.address_label = QLabel()
        self.address = QLineEdit()
        self.address.setObjectName("serviceAddress")
        self.address.setPlaceholderText(EXAMPLE_URL)
        # An address reads left to right, in an Arabic window too.
        self.address.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
        self.address.returnPressed.connect(self.exchange_now)
        self.address.editingFinished.connect(self._address_left)
        self.address_label.setBuddy(self.address)
        self.address_error = error_label()
        self.exchange_button = QPushButton()
        self.exchange_button.clicked.connect(self.exchange_now)
        self.exchange_button.setToolTip(ltr(exchange_keys))
        self.exchange_keys = muted_label(wrap=False)
        self.exchange_keys.setText(ltr(exchange_keys))
        self.status = QLabel()
        self.status.setObjectName("serviceStatus")
        self.status.setWordWrap(True)
        font = QFont()
        font.setPointSize(STATUS_POINT_SIZE)
        self.status.setFont(font)
        self.passphrase_button = QPushButton()
        self.passphrase_button.clicked.connect(self.exchange_now)
        self.passphrase_button.hide()
        self.outbox_line = muted_label()
        self.outbox_line.hide()

        address_row = QHBoxLayout()
        address_row.setSpacing(8)
        address_row.addWidget(self.address_label)
        address_row.addWidget(self.address, 1)
        address_row.addWidget(self.exchange_button)
        address_row.addWidget(self.exchange_keys)
        status_row = QHBoxLayout()
        status_row.setSpacing(12)
        status_row.addWidget(self.status, 1)
        status_row.addWidget(self.passphrase_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 14, 16, 14)
        layout.setSpacing(6)
        layout.addWidget(self.title)
        layout.addWidget(self.hint)
        layout.addLayout(address_row)
        layout.addWidget(self.address_error)
        layout.addLayout(status_row)
        layout.addWidget(self.outbox_line)

        # The first read (:meth:`reload`) is the workspace's to ask for, once the start
        # screen has had its figures: the keyring check in it takes a while.
        context.records_changed.connect(self._records_changed)
        self.retranslate_ui()

    # -- text ----------------------------------------------------------------------------

    def retranslate_ui(self) -> None:
        self.title.setText(_("The delegation's sync service"))
        self.hint.setText(
            _(
                "With the address of the delegation's service, Sijill exchanges by itself "
                "whenever the network allows: a few seconds after it opens, then every half "
                "hour. Bundles on a USB stick remain possible."
            )
        )
        self.address_label.setText(_("Address"))
        self.exchange_button.setText(_("Exchange now"))
        self.passphrase_button.setText(_("Enter the passphrase…"))
        self._show()

    def _status_text(self) -> str:
        state, last = self._state, self._last
        if self._busy:
            return _("Exchanging with the delegation…")
        if state is None:
            return ""
        if not state.enrolled:
            return _("Possible once the delegation's identity is trusted, below.")
        if self._needs_person:
            return _("Enter the passphrase to exchange with the delegation.")
        if last is None:
            return _("No exchange with the service yet.") if state.url else ""
        next_try = _when(self.next_try) if self.next_try is not None else None
        if last.kind == EXCHANGED:
            return ngettext(
                "Last exchange {when}: sent {sent} change, received {received}.",
                "Last exchange {when}: sent {sent} changes, received {received}.",
                last.sent,
            ).format(
                when=_when(last.at),
                sent=format_number(last.sent),
                received=format_number(last.received),
            )
        if last.kind == UNREACHABLE and next_try is not None:
            return _(
                "The service could not be reached {when}; next try {next}. Your bundle "
                "waits in the outbox."
            ).format(when=_when(last.at), next=next_try)
        if last.kind == UNREACHABLE:
            return _(
                "The service could not be reached {when}. Your bundle waits in the outbox."
            ).format(when=_when(last.at))
        if next_try is not None:
            return _("The exchange {when} did not go through: {reason} Next try {next}.").format(
                when=_when(last.at), reason=last.reason, next=next_try
            )
        return _("The exchange {when} did not go through: {reason}").format(
            when=_when(last.at), reason=last.reason
        )

    def status_note(self) -> str | None:
        """The status bar's word on the service when it has one to say (an exchange under
        way, a failure, a passphrase awaited); None leaves the status bar its own."""
        last = self._last
        if not self._active():
            return None
        if self._busy:
            return _("Exchanging with the delegation…")
        if self._needs_person:
            return _("Passphrase needed to exchange with the delegation")
        if last is None or last.kind == EXCHANGED or self.next_try is None:
            return None
        if last.kind == UNREACHABLE:
            return _("Delegation not reached; next try {next}").format(next=_when(self.next_try))
        return _("Last exchange did not go through; next try {next}").format(
            next=_when(self.next_try)
        )

    def _show(self) -> None:
        state, last = self._state, self._last
        text = self._status_text()
        self.status.setText(text)
        self.status.setVisible(bool(text))
        self.passphrase_button.setVisible(self._needs_person and not self._busy)
        # Where to find the bundle to carry on a USB stick, while the service is away.
        waiting = (
            state is not None
            and last is not None
            and last.kind == UNREACHABLE
            and not self._busy
            and not self._needs_person
        )
        if state is not None:
            self.outbox_line.setText(_("Outbox: {folder}").format(folder=ltr(str(state.outbox))))
        self.outbox_line.setVisible(waiting)
        enrolled = state is not None and state.enrolled
        self.address.setEnabled(state is not None)
        possible = enrolled and not self._busy
        self.exchange_button.setEnabled(possible)
        # The next step looks like one only when it can be taken.
        if (self.exchange_button.objectName() == "primary") != possible:
            self.exchange_button.setObjectName("primary" if possible else "")
            self.exchange_button.style().unpolish(self.exchange_button)
            self.exchange_button.style().polish(self.exchange_button)
        self.status_changed.emit()

    # -- the address ---------------------------------------------------------------------

    def _typed(self) -> str:
        return self.address.text().strip()

    def _saved(self) -> str:
        return (self._state.url or "") if self._state is not None else ""

    def _address_left(self) -> None:
        """Leaving the field keeps what was typed, once checked."""
        if self._state is not None and self._typed() != self._saved():
            self._save_address(then=None)

    def _save_address(self, *, then: Callable[[], None] | None) -> None:
        """Keep the typed address, once checked, then call ``then``. A blank address
        forgets the service, unless ``then`` needs one."""
        typed = self._typed()
        try:
            checked = check_url("url", typed) if typed or then is not None else None
        except InputRejected as refused:
            self.address_error.setText(_reason(refused))
            self.address_error.show()
            self.address.setProperty("invalid", True)
            self.address.style().polish(self.address)
            return
        self.address_error.hide()
        self.address.setProperty("invalid", False)
        self.address.style().polish(self.address)
        if self._state is not None:
            self._state = replace(self._state, url=checked)

        def saved(_url: str | None) -> None:
            self.reload()
            if then is not None:
                then()

        self.context.runner.with_uow(
            lambda uow: set_service_url(uow, checked), on_done=saved, on_error=self._save_failed
        )

    def _save_failed(self, error: BaseException) -> None:
        self.address_error.setText(_reason(error))
        self.address_error.show()

    # -- loading and the schedule --------------------------------------------------------

    def reload(self) -> None:
        """Read the address, the enrolment and the last try (the command line may have
        exchanged meanwhile), then plan the next automatic try."""
        self.context.runner.with_uow(
            service_state, read_only=True, on_done=self._loaded, on_error=self._not_loaded
        )

    def _not_loaded(self, error: BaseException) -> None:
        # The card stays as it was; the next change of the sync state reads again.
        log.warning("sync service state not read: %s", error)

    def _loaded(self, state: ServiceState) -> None:
        if self._opened is None:
            self._opened = _now()
        self._state = state
        if state.last is not None and (self._last is None or state.last.at > self._last.at):
            self._last = state.last
        if not self.address.hasFocus() and self._typed() != (state.url or ""):
            self.address.setText(state.url or "")
        self._plan()

    def set_rhythm(self, rhythm: Rhythm) -> None:
        self.rhythm = rhythm
        self._plan()

    def _plan(self) -> None:
        """Set the timer to the next automatic try, or stop it when none is to come."""
        self.timer.stop()
        opened, last = self._opened, self._last
        if self._busy or self._needs_person or opened is None or not self._active():
            self.next_try = None
        else:
            self.next_try = next_try(
                last=last.at if last is not None else None,
                failures=last.failures if last is not None else 0,
                opened=opened,
                changed=self._changed,
                rhythm=self.rhythm,
            )
            wait = (self.next_try - _now()).total_seconds() * 1000
            self.timer.start(int(min(max(wait, 0), LONGEST_WAIT_MS)))
        self._show()

    def _records_changed(self, kinds: frozenset[str]) -> None:
        if "sync" in kinds:
            self.reload()
        if kinds - {"sync"} and self._changed is None:
            self._changed = _now()
            if self._last is not None and self._last.failures:
                self._plan()

    def _active(self) -> bool:
        """Whether there is a service to exchange with: an address, and the delegation
        trusted."""
        return self._state is not None and bool(self._state.url) and self._state.enrolled

    def _due(self) -> None:
        state = self._state
        if self._busy or state is None or not self._active():
            return
        passphrase = self._session_passphrase()
        if state.needs_passphrase and passphrase is None:
            # Never a dialog for a try nobody asked for: the person is told, and chooses.
            self._needs_person = True
            self._plan()
            return
        self._try(passphrase, automatic=True)

    # -- exchanging ----------------------------------------------------------------------

    def exchange_now(self) -> None:
        """The person's "Exchange now": the address is kept first if it changed."""
        if self._busy or self._state is None or not self._state.enrolled:
            return
        if not self._typed() or self._typed() != self._saved():
            self._save_address(then=lambda: self.exchange_requested.emit(""))
        else:
            self.exchange_requested.emit("")

    def exchange_with(self, passphrase: str | None) -> None:
        """Exchange now with the keys opened by ``passphrase`` (None: by the keyring)."""
        if not self._busy:
            self._try(passphrase, automatic=False)

    def _try(self, passphrase: str | None, *, automatic: bool) -> None:
        state, register = self._state, self.context.runner.register
        if state is None or not state.url or register is None:
            return
        url, attempts = state.url, self.attempts
        self._busy, self._needs_person, self._changed = True, False, None
        self._plan()

        runner = self.context.runner

        def failed(error: BaseException) -> None:
            self._failed(error, automatic=automatic)

        def prepare() -> tuple[UnlockedKeys, Outgoing]:
            with register.unit_of_work() as uow:
                unlocked = unlock(uow, passphrase=passphrase)
            return unlocked, write_outgoing(register, keys=unlocked)

        def written(prepared: tuple[UnlockedKeys, Outgoing]) -> None:
            # The wait on the service has a lane of its own: the screens keep loading.
            unlocked, outgoing = prepared
            runner.run_network(
                lambda: deliver(outgoing, url=url, attempts=attempts),
                on_done=lambda reply: runner.run(
                    lambda: take_reply(register, keys=unlocked, outgoing=outgoing, reply=reply),
                    on_done=self._tried,
                    on_error=failed,
                ),
                on_error=lambda error: runner.run(
                    lambda: _after_delivery(register, outgoing, error),
                    on_done=self._tried,
                    on_error=failed,
                ),
            )

        runner.run(prepare, on_done=written, on_error=failed)

    def _tried(self, outcome: Exchanged | NotReached) -> None:
        self._busy = False
        self._last = outcome.last
        applied = isinstance(outcome, Exchanged) and outcome.received.applied
        self.context.announce(*(self._received_kinds if applied else ("sync",)))
        self._plan()

    def _failed(self, error: BaseException, *, automatic: bool) -> None:
        self._busy = False
        state = self._state
        if isinstance(error, PassphraseNeeded) and state is not None and state.needs_passphrase:
            if automatic:
                self._needs_person = True
                self._plan()
            else:
                # A wrong passphrase: the screen asks again, saying why.
                self._plan()
                self.exchange_requested.emit(_reason(error))
            return
        unexpected = not isinstance(error, InputRejected | OSError)
        if unexpected:
            log.error("exchange with the delegation's service failed", exc_info=error)
        # The exchange remembered a refusal itself; anything else that stopped it counts
        # as a failed try here, for the pause before the next.
        failures = (self._last.failures if self._last is not None else 0) + 1
        self._last = LastTry(REFUSED, _now(), failures, reason=_reason(error))
        self._plan()
        if unexpected and not automatic:
            self.context.runner.failed.emit(_reason(error))
        elif isinstance(error, BundleRejected):
            # The bundle was written: where things stand changed.
            self.context.announce("sync")
