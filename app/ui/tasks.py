"""Background work for screens: one database thread, results delivered on the GUI thread.

Every piece of database or file work a screen needs runs on a single worker thread (so
SQLite writes never collide and the window never freezes); its result, or its error,
comes back to the GUI thread through a queued signal and is handed to the callback the
screen gave. Waiting on the network (the delegation's service) has a lane of its own, so
a slow or silent service never holds up the screens' database work. Work never touches
widgets. Long jobs get a ``Progress`` (no Qt in it) that a progress dialog watches and can
cancel.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, TypeVar

from PySide6.QtCore import QCoreApplication, QEventLoop, QObject, Qt, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

from app.i18n import _
from app.services.progress import Cancelled, Progress
from app.services.register import Register, open_register
from app.services.unit_of_work import UnitOfWork

T = TypeVar("T")
log = logging.getLogger(__name__)


@dataclass
class _Outcome:
    on_done: Callable[[Any], None] | None
    on_error: Callable[[BaseException], None] | None
    result: Any = None
    error: BaseException | None = None


class TaskRunner(QObject):
    """Runs work off the GUI thread, one piece at a time, in the order it was asked for."""

    #: Internal: a finished piece of work, crossing to the GUI thread.
    _finished = Signal(object)
    #: Progress of the running job: (done, total).
    _progressed = Signal(int, int)
    #: Emitted when the register is open and screens may ask for data.
    register_opened = Signal()
    #: An error no callback handled, already translated when it is a SijillError.
    failed = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="sijill-db")
        self._network = ThreadPoolExecutor(max_workers=1, thread_name_prefix="sijill-net")
        self._pending = 0
        self.register: Register | None = None
        self._finished.connect(self._deliver, Qt.ConnectionType.QueuedConnection)

    # -- running work ------------------------------------------------------------------

    def run(
        self,
        work: Callable[[], T],
        *,
        on_done: Callable[[T], None] | None = None,
        on_error: Callable[[BaseException], None] | None = None,
    ) -> None:
        """Run ``work()`` on the worker thread; call ``on_done(result)`` on the GUI thread."""
        self._submit(self._executor, work, on_done=on_done, on_error=on_error)

    def run_network(
        self,
        work: Callable[[], T],
        *,
        on_done: Callable[[T], None] | None = None,
        on_error: Callable[[BaseException], None] | None = None,
    ) -> None:
        """Like :meth:`run`, for work that waits on the network and never touches the
        database."""
        self._submit(self._network, work, on_done=on_done, on_error=on_error)

    def _submit(
        self,
        executor: ThreadPoolExecutor,
        work: Callable[[], T],
        *,
        on_done: Callable[[T], None] | None,
        on_error: Callable[[BaseException], None] | None,
    ) -> None:
        self._pending += 1

        def job() -> None:
            outcome = _Outcome(on_done, on_error)
            try:
                outcome.result = work()
            except BaseException as error:  # noqa: BLE001 - delivered to the GUI thread
                outcome.error = error
            self._finished.emit(outcome)

        executor.submit(job)

    def with_uow(
        self,
        work: Callable[[UnitOfWork], T],
        *,
        on_done: Callable[[T], None] | None = None,
        on_error: Callable[[BaseException], None] | None = None,
        read_only: bool = False,
    ) -> None:
        """Run ``work(uow)`` in one unit of work (committed when it returns normally);
        ``read_only`` work never waits behind a write."""

        def job() -> T:
            assert self.register is not None
            with self.register.unit_of_work(read_only=read_only) as uow:
                return work(uow)

        self.run(job, on_done=on_done, on_error=on_error)

    def open(self, location: str, *, on_error: Callable[[BaseException], None]) -> None:
        """Open the register in the background (migrations can take a while)."""

        def opened(register: Register) -> None:
            self.register = register
            self.register_opened.emit()

        self.run(lambda: open_register(location), on_done=opened, on_error=on_error)

    def run_job(
        self,
        work: Callable[[Progress], T],
        *,
        title: str,
        parent: QWidget,
        on_done: Callable[[T], None] | None = None,
    ) -> None:
        """Run a long job with a progress dialog that can cancel it."""
        dialog = QProgressDialog(title, _("Cancel"), 0, 0, parent)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(300)
        progress = Progress(on_step=lambda done, total: self._progressed.emit(done, total))
        dialog.canceled.connect(progress.cancel)

        def advance(done: int, total: int) -> None:
            dialog.setMaximum(total)
            dialog.setValue(done)

        self._progressed.connect(advance)

        def finish(result: T) -> None:
            self._progressed.disconnect(advance)
            dialog.reset()
            if on_done is not None:
                on_done(result)

        def fail(error: BaseException) -> None:
            self._progressed.disconnect(advance)
            dialog.reset()
            if not isinstance(error, Cancelled):
                self._report(error)

        self.run(lambda: work(progress), on_done=finish, on_error=fail)

    # -- delivery ----------------------------------------------------------------------

    def _deliver(self, outcome: _Outcome) -> None:
        self._pending -= 1
        if outcome.error is None:
            if outcome.on_done is not None:
                outcome.on_done(outcome.result)
        elif outcome.on_error is not None:
            outcome.on_error(outcome.error)
        else:
            self._report(outcome.error)

    def _report(self, error: BaseException) -> None:
        log.error("background work failed", exc_info=error)
        self.failed.emit(str(error) or error.__class__.__name__)

    # -- waiting (tests, screenshots, shutdown) ------------------------------------------

    @property
    def busy(self) -> bool:
        return self._pending > 0

    def wait_idle(self, timeout: float = 30.0) -> bool:
        """Process events until every piece of work (and what it queued) is delivered."""
        deadline = time.monotonic() + timeout
        app = QCoreApplication.instance()
        while time.monotonic() < deadline:
            app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
            if not self._pending:
                # A callback may have queued more work; give it one more turn.
                app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 10)
                if not self._pending:
                    return True
            time.sleep(0.002)
        return False

    def shutdown(self) -> None:
        # A try at a silent service is not waited for: its bundle stays in the outbox.
        self._network.shutdown(wait=False, cancel_futures=True)
        self._executor.shutdown(wait=True)
        if self.register is not None:
            self.register.close()
