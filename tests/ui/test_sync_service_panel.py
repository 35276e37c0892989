"""The Sync screen's "delegation's service" card, against a real `sijill serve` application
on uvicorn and a real delegation register beside the centre's.

A wrong address is refused next to the field; a right one is kept, and the automatic try
that follows does not ask for the passphrase (none was typed in this session): the status
line says what it waits for, with a button. Given the passphrase, the exchange goes
through: the delegation has the centre's people, and the screen and the status bar say
so. Then the server stops: the automatic try fails quietly (no dialog, no box), and the
status line and the status bar say when the next one comes.

Only the passphrase box is answered by the test (its static getter). The computer has no
keyring: the keys are protected by a passphrase.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import socket
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QInputDialog

from app.config import data_dir
from app.i18n import _, format_date, format_number, ltr, ngettext
from app.services import keys
from app.services.centres import initialise_delegation
from app.services.dump import dump_records
from app.services.register import Register, open_register
from app.sync.exchange import EXCHANGED, UNREACHABLE, LastTry, last_try, service_url
from app.sync.schedule import Rhythm, pause_after
from app.sync.status import describe_peer, sync_status
from app.sync.transports import Attempts
from app.ui.screens.sync import SyncScreen
from app.ui.widgets.service_panel import ServicePanel
from tests.integration.service_thread import ServiceThread

from .driving import Gui

PASSPHRASE = "a long enough passphrase"
PEOPLE = ("فاطمة", "خديجة")
# The first try as soon as an address is set, and the one after a success a second later
# (instead of half an hour), so that the test sees them come by themselves.
AT_ONCE = Rhythm(first=dt.timedelta(0))
EVERY_SECOND = Rhythm(first=dt.timedelta(0), interval=dt.timedelta(seconds=1))


@pytest.fixture(autouse=True)
def _laptop_without_keyring(no_keyring: None) -> None:
    """A laptop with no keyring (and never the keyring of the computer running the tests)."""


@pytest.fixture
def delegation(tmp_path: Path) -> Iterator[tuple[Register, keys.UnlockedKeys]]:
    register = open_register(str(tmp_path / "delegation.sqlite"))
    with register.unit_of_work() as uow:
        initialise_delegation(uow, province_code="03.561")
        unlocked = keys.unlock(uow, passphrase=PASSPHRASE)
    yield register, unlocked
    register.close()


@pytest.fixture
def service(delegation: tuple[Register, keys.UnlockedKeys]) -> Iterator[ServiceThread]:
    """`sijill serve`'s application for the delegation, on a free local port."""
    running = ServiceThread(*delegation).start()
    yield running
    running.stop()


@pytest.fixture
def asked(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The questions of the passphrase boxes shown; each is answered with the passphrase."""
    questions: list[str] = []

    def answer(_parent: Any, _title: str, label: str, *_args: Any) -> tuple[str, bool]:
        questions.append(label)
        return PASSPHRASE, True

    monkeypatch.setattr(QInputDialog, "getText", staticmethod(answer))
    return questions


def _enrol(gui: Gui, delegation: tuple[Register, keys.UnlockedKeys]) -> None:
    """The centre's keys made, and the centre and the delegation trusting each other."""
    register, unlocked = delegation
    centre = gui.ask(lambda uow: keys.unlock(uow, passphrase=PASSPHRASE).identity)
    with register.unit_of_work() as uow:
        keys.trust(uow, centre)
    gui.ask(lambda uow: keys.trust(uow, unlocked.identity))
    gui.context.announce("sync")
    gui.wait()


def _at(moment: dt.datetime) -> str:
    local = moment.astimezone()
    time = ltr(f"{local:%H:%M}")
    if local.date() == dt.datetime.now().astimezone().date():
        return _("at {time}").format(time=time)
    return _("on {date} at {time}").format(date=format_date(local.date()), time=time)


def _type_address(card: ServicePanel, text: str) -> None:
    field = card.address
    field.setFocus()
    field.selectAll()
    QTest.keyClick(field, Qt.Key.Key_Delete)
    QTest.keyClicks(field, text)


def _last(gui: Gui) -> LastTry:
    tried = gui.ask(last_try)
    assert tried is not None
    return tried


def test_the_service_card_exchanges_by_itself_and_says_when_it_cannot(
    gui: Gui,
    qtbot: Any,
    asked: list[str],
    delegation: tuple[Register, keys.UnlockedKeys],
    service: ServiceThread,
) -> None:
    for given in PEOPLE:
        gui.add_person(given)
    _enrol(gui, delegation)
    screen = gui.show("sync")
    assert isinstance(screen, SyncScreen)
    card = screen.service
    card.set_rhythm(AT_ONCE)
    card.attempts = Attempts(count=2, first_pause=0.05)
    assert card.exchange_button.isEnabled()
    assert not card.timer.isActive(), "no address, no automatic try"

    # A wrong address: refused next to the field, nothing kept.
    _type_address(card, "ftp://127.0.0.1")
    QTest.keyClick(card.address, Qt.Key.Key_Return)
    gui.wait()
    assert card.address_error.isVisible()
    assert "https://" in card.address_error.text()
    assert gui.ask(service_url) is None
    assert not asked, "nothing was tried"

    # The right one, kept on leaving the field: the automatic try comes, and waits for
    # the person rather than asking for the passphrase by itself.
    _type_address(card, service.url)
    card.exchange_button.setFocus()
    gui.wait()
    assert not card.address_error.isVisible()
    assert gui.ask(service_url) == service.url
    qtbot.waitUntil(card.passphrase_button.isVisible, timeout=5000)
    assert card.status.text() == _("Enter the passphrase to exchange with the delegation.")
    assert not asked and not gui.message_boxes
    assert gui.window.sync_label.text() == _("Passphrase needed to exchange with the delegation")

    # "Exchange now": the passphrase is asked, and the exchange goes through.
    QTest.mouseClick(card.exchange_button, Qt.MouseButton.LeftButton)
    gui.wait()
    assert len(asked) == 1
    done = _last(gui)
    assert (done.kind, done.failures) == (EXCHANGED, 0) and done.sent > 0
    register, _unlocked = delegation
    with register.unit_of_work(read_only=True) as uow:
        people = dump_records(uow)["tables"]["beneficiary"]
    assert sorted(person["given_name_ar"] for person in people) == sorted(PEOPLE)
    assert card.status.text() == ngettext(
        "Last exchange {when}: sent {sent} change, received {received}.",
        "Last exchange {when}: sent {sent} changes, received {received}.",
        done.sent,
    ).format(
        when=_at(done.at), sent=format_number(done.sent), received=format_number(done.received)
    )
    assert not card.passphrase_button.isVisible()
    [peer] = gui.ask(sync_status).peers
    assert peer.pending == 0 and peer.confirmed_up_to is not None
    shown = [
        screen.state_lines.itemAt(i).widget().text() for i in range(screen.state_lines.count())
    ]
    assert shown == describe_peer(peer), "where things stand says the delegation has it all"
    assert gui.window.sync_label.text().startswith(
        _("The delegation has your data up to {moment}").split("{")[0]
    )
    assert card.next_try == done.at + dt.timedelta(minutes=30)
    assert card.timer.isActive()

    # The server goes down; the next automatic try (a second later here) fails quietly.
    service.stop()
    card.set_rhythm(EVERY_SECOND)
    qtbot.waitUntil(lambda: _last(gui).kind == UNREACHABLE, timeout=15000)
    gui.wait()
    failed = _last(gui)
    assert failed.failures == 1
    assert len(asked) == 1 and not gui.message_boxes, "no dialog for an automatic try"
    # Nothing changed here since: the next try at the half hour, or the longer pause.
    expected = failed.at + max(EVERY_SECOND.interval, pause_after(1, EVERY_SECOND))
    assert card.next_try == expected
    assert card.timer.isActive()
    assert card.status.text() == _(
        "The service could not be reached {when}; next try {next}. Your bundle waits in the outbox."
    ).format(when=_at(failed.at), next=_at(expected))
    [waiting] = (data_dir() / "outbox").glob("*.sjl")
    assert str(waiting.parent) in card.outbox_line.text()
    assert gui.window.sync_label.text() == _("Delegation not reached; next try {next}").format(
        next=_at(expected)
    )

    # At the usual rhythm, the next try is half an hour after the failure; work done
    # meanwhile brings it forward, to the pause after one failure (two minutes).
    card.set_rhythm(Rhythm())
    assert card.next_try == failed.at + dt.timedelta(minutes=30)
    gui.context.announce("beneficiary")
    gui.wait()
    assert card.next_try is not None
    assert (
        failed.at + pause_after(1)
        <= card.next_try
        < failed.at + dt.timedelta(minutes=2, seconds=31)
    )
    assert _at(card.next_try) in card.status.text()


class _SilentService:
    """A service that takes the connection and never answers (a router that swallows
    packets): the try waits until the connection drops."""

    def __init__(self) -> None:
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.listener.getsockname()[1]}"
        self.taken: list[socket.socket] = []
        self.thread = threading.Thread(target=self._take, daemon=True)
        self.thread.start()

    def _take(self) -> None:
        with contextlib.suppress(OSError):
            while True:
                self.taken.append(self.listener.accept()[0])

    def drop(self) -> None:
        self.listener.close()
        for connection in self.taken:
            connection.close()


def test_a_silent_service_does_not_hold_up_the_screens(
    gui: Gui, qtbot: Any, asked: list[str], delegation: tuple[Register, keys.UnlockedKeys]
) -> None:
    gui.add_person(PEOPLE[0])
    _enrol(gui, delegation)
    screen = gui.show("sync")
    assert isinstance(screen, SyncScreen)
    card = screen.service
    card.attempts = Attempts(count=1, first_pause=0.05)
    silent = _SilentService()
    try:
        _type_address(card, silent.url)
        card.exchange_button.setFocus()
        gui.wait()
        QTest.mouseClick(card.exchange_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: bool(silent.taken), timeout=10000)
        # The bundle is on its way and the service says nothing: the screens' database
        # work still comes back at once.
        answered: list[int] = []
        gui.context.runner.with_uow(
            lambda uow: len(dump_records(uow)["tables"]["beneficiary"]),
            on_done=answered.append,
            read_only=True,
        )
        qtbot.waitUntil(lambda: bool(answered), timeout=3000)
        assert answered == [1]
    finally:
        silent.drop()
    qtbot.waitUntil(lambda: gui.ask(last_try) is not None, timeout=15000)
    assert _last(gui).kind == UNREACHABLE
