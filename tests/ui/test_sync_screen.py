"""The sync screen, driven from the keyboard as a coordinator would, with a real
delegation register beside the centre's: enrolment (this register's identity saved, the
delegation's trusted after its fingerprint was confirmed), a bundle written, the
delegation's reply read, a damaged file refused, a wrong passphrase asked again, and the
values a concurrent edit replaced listed and marked as seen.

Only what the operating system would draw is answered by the test: the file dialogs and
the passphrase box (their static getters). The computer has no keyring, as many centre
laptops: the keys are protected by a passphrase.
"""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import keyring
import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QFileDialog,
    QInputDialog,
    QLabel,
    QProgressDialog,
    QPushButton,
)

from app.i18n import _, format_datetime
from app.services import beneficiaries, keys
from app.services.beneficiaries import BeneficiaryInput
from app.services.centres import initialise_centre, initialise_delegation
from app.services.dump import dump_records
from app.services.keys import Identity, UnlockedKeys
from app.services.register import Register, open_register
from app.services.unit_of_work import UnitOfWork
from app.sync.bundle import BundleRejected
from app.sync.conflicts import open_conflicts
from app.sync.export import export_bundle
from app.sync.import_ import import_bundle
from app.sync.status import describe_peer, sync_status
from app.ui.screens.sync import SyncScreen
from tests.integration.conftest import TODAY
from tests.integration.test_keys import MemoryKeyring

from .driving import Gui

PASSPHRASE = "a long enough passphrase"
PROVINCE = "03.561"


@dataclasses.dataclass
class Dialogs:
    """The answers the person gives to the native dialogs, and what they were shown."""

    paths: list[Path] = dataclasses.field(default_factory=list)
    passphrases: list[str] = dataclasses.field(default_factory=list)
    #: The default path each file dialog offered.
    offered: list[str] = dataclasses.field(default_factory=list)
    #: The question of each passphrase box.
    asked: list[str] = dataclasses.field(default_factory=list)

    def file(self, _parent: Any, _title: str, offered: str, *_args: Any) -> tuple[str, str]:
        self.offered.append(offered)
        return str(self.paths.pop(0)), ""

    def passphrase(self, _parent: Any, _title: str, label: str, *_args: Any) -> tuple[str, bool]:
        self.asked.append(label)
        return self.passphrases.pop(0), True


@pytest.fixture
def dialogs(monkeypatch: pytest.MonkeyPatch) -> Dialogs:
    answers = Dialogs()
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(answers.file))
    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(answers.file))
    monkeypatch.setattr(QInputDialog, "getText", staticmethod(answers.passphrase))
    return answers


@pytest.fixture(autouse=True)
def _laptop_without_keyring(no_keyring: None) -> None:
    """A laptop with no keyring (and never the keyring of the computer running the tests)."""


@dataclasses.dataclass
class Other:
    """Another register beside the centre's: the delegation, or a second laptop."""

    register: Register
    keys: UnlockedKeys

    def trust(self, identity: Identity) -> None:
        with self.register.unit_of_work() as uow:
            keys.trust(uow, identity)

    def identity_file(self, path: Path) -> Path:
        path.write_bytes(keys.identity_file(self.keys))
        return path

    def send(self, recipient: Identity, path: Path) -> Path:
        with self.register.unit_of_work() as uow:
            export_bundle(uow, keys=self.keys, recipient=recipient, path=path)
        return path

    def receive(self, path: Path) -> int:
        with self.register.unit_of_work() as uow:
            return import_bundle(uow, keys=self.keys, path=path).applied


def _unlocked(register: Register) -> UnlockedKeys:
    with register.unit_of_work() as uow:
        return keys.unlock(uow, passphrase=PASSPHRASE)


@pytest.fixture
def delegation(tmp_path: Path) -> Iterator[Other]:
    register = open_register(str(tmp_path / "delegation.sqlite"))
    with register.unit_of_work() as uow:
        initialise_delegation(uow, province_code=PROVINCE)
    yield Other(register, _unlocked(register))
    register.close()


def _screen(gui: Gui) -> SyncScreen:
    screen = gui.show("sync")
    assert isinstance(screen, SyncScreen)
    return screen


def _press(gui: Gui, key: Qt.Key, modifiers: Any = Qt.KeyboardModifier.ControlModifier) -> None:
    """A shortcut pressed in the main window. Offscreen, no window manager gives the
    window back the keyboard when a dialog closes: do it."""
    _focus_window(gui)
    QTest.keyClick(gui.window, key, modifiers)
    gui.wait()


def _focus_window(gui: Gui) -> None:
    gui.window.activateWindow()
    assert QTest.qWaitForWindowFocused(gui.window)


def _state(screen: SyncScreen) -> list[str]:
    """The sentences of "where things stand", as shown."""
    lines = (screen.state_lines.itemAt(i).widget() for i in range(screen.state_lines.count()))
    return [label.text() for label in lines if isinstance(label, QLabel)]


def _centre_identity(gui: Gui) -> Identity:
    own = gui.ask(keys.own_identity)
    assert own is not None
    return own


def _laptop(tmp_path: Path, delegation: Other) -> Other:
    """A second laptop of the same centre, enrolled with the delegation."""
    register = open_register(str(tmp_path / "laptop.sqlite"))
    with register.unit_of_work() as uow:
        initialise_centre(
            uow,
            code="ETF-TAZA-01",
            name="مركز التربية والتكوين الأمل",
            kind="education_training",
            province_code=PROVINCE,
            today=TODAY,
        )
    laptop = Other(register, _unlocked(register))
    laptop.trust(delegation.keys.identity)
    delegation.trust(laptop.keys.identity)
    return laptop


def _enrolled(gui: Gui, delegation: Other) -> Identity:
    """The centre and the delegation trust each other (made through the services)."""
    gui.ask(lambda uow: keys.unlock(uow, passphrase=PASSPHRASE))
    centre = _centre_identity(gui)
    delegation.trust(centre)
    gui.ask(lambda uow: keys.trust(uow, delegation.keys.identity))
    return centre


def test_enrolment_then_a_bundle_and_its_reply_through_the_screen(
    gui: Gui, dialogs: Dialogs, delegation: Other, tmp_path: Path
) -> None:
    gui.add_person("فاطمة", cin="K1")
    screen = _screen(gui)
    assert not screen.write_button.isEnabled(), "nothing can be sent before the enrolment"
    assert not screen.read_button.isEnabled()
    assert screen.save_identity_hint.isVisible()

    # This register's identity, saved for the delegation; the keys are made on the way,
    # under a passphrase typed twice.
    dialogs.paths.append(tmp_path / "centre-identity.json")
    dialogs.passphrases += [PASSPHRASE, PASSPHRASE]
    _press(gui, Qt.Key.Key_I)
    assert dialogs.offered[-1].endswith("sijill-identity-ETF-TAZA-01.json")
    assert len(dialogs.asked) == 2, "a new passphrase is typed twice"
    centre = keys.read_identity_file((tmp_path / "centre-identity.json").read_bytes())
    assert centre == _centre_identity(gui)
    assert screen.fingerprint_digits.isVisible()
    assert centre.fingerprint in screen.fingerprint_digits.text()
    assert centre.fingerprint in screen.outcome.text()

    # Its fingerprint, large, to read aloud.
    _press(gui, Qt.Key.Key_F)
    shown = screen.fingerprint_dialog
    assert shown is not None and shown.isVisible()
    assert shown.digits.text() == centre.fingerprint
    QTest.keyClick(shown, Qt.Key.Key_Escape)
    gui.wait()
    assert screen.fingerprint_dialog is None

    # The delegation trusts it, and gives its own identity, trusted here once the
    # coordinator confirmed the digits.
    delegation.trust(centre)
    dialogs.paths.append(delegation.identity_file(tmp_path / "delegation-identity.json"))
    _press(gui, Qt.Key.Key_T)
    confirm = screen.trust_dialog
    assert confirm is not None and confirm.isVisible()
    assert confirm.digits.text() == delegation.keys.identity.fingerprint
    assert delegation.keys.identity.name in confirm.who.text()
    assert not confirm.trust_button.isEnabled(), "not before the digits are confirmed"
    QTest.keyClick(confirm.same, Qt.Key.Key_Space)
    assert confirm.trust_button.isEnabled()
    QTest.keyClick(confirm, Qt.Key.Key_Return)
    gui.wait()
    [trusted] = gui.ask(keys.trusted_identities)
    assert trusted.identity == delegation.keys.identity
    assert screen.write_button.isEnabled() and screen.read_button.isEnabled()
    assert not screen.save_identity_hint.isVisible(), "the enrolment card is short now"
    [waiting] = gui.ask(sync_status).peers
    assert waiting.confirmed_up_to is None and waiting.pending > 0
    assert _state(screen) == describe_peer(waiting)

    # A bundle for the delegation: the passphrase is known for the session.
    bundle = tmp_path / "to-delegation.sjl"
    dialogs.paths.append(bundle)
    _press(gui, Qt.Key.Key_E)
    assert dialogs.offered[-1].endswith(f"sijill-ETF-TAZA-01-{TODAY.isoformat()}.sjl")
    assert len(dialogs.asked) == 2, "no passphrase asked again in the same session"
    assert bundle.is_file()
    assert str(bundle) in screen.outcome.text()
    assert delegation.receive(bundle) > 0
    with delegation.register.unit_of_work(read_only=True) as uow:
        people = dump_records(uow)["tables"]["beneficiary"]
    assert [person["given_name_ar"] for person in people] == ["فاطمة"]

    # Its reply, read here: the delegation now has the centre's data.
    reply = delegation.send(centre, tmp_path / "reply.sjl")
    dialogs.paths.append(reply)
    _press(gui, Qt.Key.Key_O)
    [peer] = gui.ask(sync_status).peers
    assert peer.confirmed_up_to is not None and peer.pending == 0
    assert peer.last_export is not None and peer.last_import is not None
    assert _state(screen) == describe_peer(peer)
    has_data = _("{who} has your data up to {moment}.").format(
        who=_("the delegation"), moment=format_datetime(peer.confirmed_up_to)
    )
    assert _state(screen)[0] == has_data
    assert _("Nothing is waiting to be sent.") in _state(screen)
    assert screen.outcome.objectName() != "alert"
    assert not screen.conflicts_panel.isVisible()
    assert gui.message_boxes == []


def test_a_damaged_bundle_is_refused_with_its_reason_and_nothing_changes(
    gui: Gui, dialogs: Dialogs, delegation: Other, tmp_path: Path
) -> None:
    centre = _enrolled(gui, delegation)
    gui.add_person("خديجة", cin="K2")
    screen = _screen(gui)
    good = delegation.send(centre, tmp_path / "reply.sjl")
    damaged = tmp_path / "damaged.sjl"
    data = bytearray(good.read_bytes())
    data[len(data) // 2] ^= 0xFF
    damaged.write_bytes(bytes(data))

    def reason(uow: UnitOfWork) -> str:
        # What the import service says of this file (the failed unit of work rolls back).
        try:
            import_bundle(uow, keys=keys.unlock(uow, passphrase=PASSPHRASE), path=damaged)
        except BundleRejected as refused:
            return refused.reason
        raise AssertionError("the damaged bundle was accepted")

    expected = gui.ask(reason)
    before = gui.ask(dump_records)
    dialogs.paths.append(damaged)
    dialogs.passphrases.append(PASSPHRASE)
    _press(gui, Qt.Key.Key_O)
    assert screen.outcome.isVisible()
    assert expected in screen.outcome.text()
    assert screen.outcome.objectName() == "alert"
    assert gui.ask(dump_records) == before
    [peer] = gui.ask(sync_status).peers
    assert peer.last_import is None and peer.confirmed_up_to is None

    # A file that is no bundle at all: the same calm refusal.
    stranger = tmp_path / "notes.sjl"
    stranger.write_text("not a bundle", encoding="utf-8")
    dialogs.paths.append(stranger)
    _press(gui, Qt.Key.Key_O)
    assert screen.outcome.objectName() == "alert"
    assert screen.outcome.text() and expected not in screen.outcome.text()
    assert gui.ask(dump_records) == before
    assert gui.message_boxes == []


def test_a_wrong_passphrase_is_asked_again(
    gui: Gui, dialogs: Dialogs, delegation: Other, tmp_path: Path
) -> None:
    _enrolled(gui, delegation)
    screen = _screen(gui)
    identity_file = tmp_path / "centre.json"
    dialogs.paths.append(identity_file)
    dialogs.passphrases += ["not the passphrase", PASSPHRASE]
    _press(gui, Qt.Key.Key_I)
    assert len(dialogs.asked) == 2, "existing keys: asked once, then once more"
    wrong = _("The passphrase does not open the register's keys.")
    assert wrong not in dialogs.asked[0]
    assert wrong in dialogs.asked[1]
    assert keys.read_identity_file(identity_file.read_bytes()) == _centre_identity(gui)
    assert screen.outcome.objectName() != "alert"


def test_values_replaced_by_a_concurrent_edit_are_listed_then_marked_seen(
    gui: Gui, dialogs: Dialogs, delegation: Other, tmp_path: Path, qtmodeltester: Any
) -> None:
    centre = _enrolled(gui, delegation)
    person = gui.add_person("سلمى", cin="K3", phone="0600000001")
    laptop = _laptop(tmp_path, delegation)

    def send_from_centre(path: Path) -> Path:
        def work(uow: UnitOfWork) -> None:
            unlocked = keys.unlock(uow, passphrase=PASSPHRASE)
            export_bundle(uow, keys=unlocked, recipient=delegation.keys.identity, path=path)

        gui.ask(work)
        return path

    def new_phone(uow: UnitOfWork, phone: str) -> None:
        current = beneficiaries.get_beneficiary(uow, str(person.id))
        data = dataclasses.replace(beneficiaries.input_from_record(current), phone=phone)
        beneficiaries.update_beneficiary(uow, current.id, data, today=TODAY)

    delegation.receive(send_from_centre(tmp_path / "1.sjl"))
    laptop.receive(delegation.send(laptop.keys.identity, tmp_path / "2.sjl"))
    # Both laptops correct her phone before exchanging again; the centre's is later.
    with laptop.register.unit_of_work() as uow:
        new_phone(uow, "0611111111")
    gui.ask(lambda uow: new_phone(uow, "0622222222"))
    delegation.receive(laptop.send(delegation.keys.identity, tmp_path / "3.sjl"))

    screen = _screen(gui)
    assert not screen.conflicts_panel.isVisible()
    dialogs.paths.append(delegation.send(centre, tmp_path / "4.sjl"))
    dialogs.passphrases.append(PASSPHRASE)
    _press(gui, Qt.Key.Key_O)
    laptop.register.close()

    assert screen.conflicts_panel.isVisible()
    model = screen.conflict_model
    qtmodeltester.check(model)
    assert model.rowCount() == 1
    cells = [model.index(0, column).data() for column in range(model.columnCount())]
    assert cells[:4] == ["سلمى العلوي", _("Phone"), "0622222222", "0611111111"]
    assert cells[4].startswith(_("Another computer")), "the laptop is known only by relay"
    [open_one] = gui.ask(open_conflicts)
    assert (open_one.field, open_one.person) == ("phone", "سلمى العلوي")
    assert gui.ask(lambda uow: beneficiaries.get_beneficiary(uow, "K3")).phone == "0622222222"

    # The first line is chosen: marked as seen from the keyboard, the list goes.
    assert screen.conflicts_table.selectionModel().selectedRows()[0].row() == 0
    assert screen.seen_button.isEnabled()
    _press(gui, Qt.Key.Key_M)
    assert gui.ask(open_conflicts) == []
    assert not screen.conflicts_panel.isVisible()
    assert gui.message_boxes == []


def test_reading_stopped_from_its_progress_dialog_changes_nothing(
    gui: Gui, dialogs: Dialogs, delegation: Other, tmp_path: Path, qtbot: Any
) -> None:
    centre = _enrolled(gui, delegation)
    laptop = _laptop(tmp_path, delegation)
    with laptop.register.unit_of_work() as uow:
        beneficiaries.register_beneficiary(
            uow,
            BeneficiaryInput(
                family_name_ar="بناني", given_name_ar="نادية", sex="F", birth_date="1990-01-01"
            ),
            today=TODAY,
        )
    delegation.receive(laptop.send(delegation.keys.identity, tmp_path / "1.sjl"))
    laptop.register.close()
    news = delegation.send(centre, tmp_path / "2.sjl")
    screen = _screen(gui)
    before = gui.ask(dump_records)

    # The worker is busy with something else: the reading waits, its progress dialog shows,
    # and the person stops it (its Cancel button) before it starts.
    busy = threading.Event()
    gui.runner.run(busy.wait)
    dialogs.paths.append(news)
    dialogs.passphrases.append(PASSPHRASE)
    _focus_window(gui)
    QTest.keyClick(gui.window, Qt.Key.Key_O, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(
        lambda: any(d.isVisible() for d in screen.findChildren(QProgressDialog)), timeout=5000
    )
    progress = next(d for d in screen.findChildren(QProgressDialog) if d.isVisible())
    QTest.mouseClick(progress.findChild(QPushButton), Qt.MouseButton.LeftButton)
    assert progress.wasCanceled()
    busy.set()
    gui.wait()

    assert screen.outcome.text() == _("Stopped: nothing was changed.")
    assert gui.ask(dump_records) == before
    [peer] = gui.ask(sync_status).peers
    assert peer.last_import is None
    # Read again, to the end this time.
    dialogs.paths.append(news)
    _press(gui, Qt.Key.Key_O)
    people = gui.ask(dump_records)["tables"]["beneficiary"]
    assert [person["given_name_ar"] for person in people] == ["نادية"]
    assert len(dialogs.asked) == 1, "the passphrase is kept for the session"


def test_with_a_keyring_no_passphrase_is_asked(gui: Gui, dialogs: Dialogs, tmp_path: Path) -> None:
    keyring.set_keyring(MemoryKeyring())
    _screen(gui)
    gui.wait()
    dialogs.paths.append(tmp_path / "centre.json")
    _press(gui, Qt.Key.Key_I)
    assert dialogs.asked == []
    assert gui.ask(keys.protection) == "keyring"
    identity = keys.read_identity_file((tmp_path / "centre.json").read_bytes())
    assert identity == _centre_identity(gui)


@pytest.mark.parametrize("gui", ["fr"], indirect=True)
def test_french_reads_left_to_right_with_its_own_words(gui: Gui) -> None:
    screen = _screen(gui)
    assert screen.layoutDirection() == Qt.LayoutDirection.LeftToRight
    assert screen.write_button.text() == _("Write a bundle for the delegation…")
    assert screen.write_button.text() != "Write a bundle for the delegation…"
    gui.window.change_language("ar")
    gui.wait()
    assert screen.layoutDirection() == Qt.LayoutDirection.RightToLeft
    assert screen.write_button.text() == _("Write a bundle for the delegation…")
