"""The sync screen: where the exchanges with the delegation stand, and the exchanges.

On the left, in plain sentences: what the delegation has confirmed, what is waiting to be
sent, when the last bundle was written and read, a wrong clock when a bundle showed one,
and this register's fingerprint. On the right, the two actions of a coordinator's week:
write a bundle for the delegation, read the one it sent back. Under both, the
delegation's sync service: its address, "Exchange now" and how the last exchange went
(app/ui/widgets/service_panel.py, which also exchanges by itself). Then the enrolment
done once: save this register's identity for the delegation, and trust the delegation's
after comparing its fingerprint (a single line once done). Below, only when there are
any, the values a concurrent edit replaced, to look at and mark as seen, and the pairs of
records that may be one person, to merge (app/ui/widgets/duplicates_panel.py and
merge_dialog.py).

Every piece of database and file work runs on the worker thread; bundles are written and
read with a progress dialog that can stop them (nothing is then changed). The keys are
opened inside the job that needs them: on a computer with no keyring, the passphrase is
asked here first (twice when the keys are being made), kept for the session, and asked
again when the job finds it wrong.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar, TypeVar

from PySide6.QtCore import QItemSelectionModel, QStandardPaths, Qt
from PySide6.QtGui import QFont, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
)

from app.i18n import _, format_number, isolated, ltr, ngettext
from app.services import keys, merging
from app.services.duplicates import CandidateRecord, list_candidates
from app.services.errors import FieldError, InputRejected
from app.services.keys import Identity, PassphraseNeeded
from app.services.overview import identity as centre_identity
from app.services.progress import Cancelled, Progress
from app.services.unit_of_work import UnitOfWork
from app.sync.bundle import BundleRejected
from app.sync.conflicts import ConflictRecord, mark_seen, open_conflicts
from app.sync.export import Exported, default_recipient, export_bundle
from app.sync.import_ import Imported, import_bundle
from app.sync.status import (
    SyncStatus,
    clear_clock_warning,
    clock_sentence,
    describe_peer,
    sync_status,
)
from app.ui.context import UiContext
from app.ui.screens.base import Screen
from app.ui.style import ACCENT_SOFT, ALERT, INK
from app.ui.table_models.conflicts import ConflictTableModel
from app.ui.widgets.duplicates_panel import DuplicatesPanel
from app.ui.widgets.fingerprint import FingerprintDialog, TrustDialog
from app.ui.widgets.key_passphrase import KeyPassphrase, KeyState, key_state
from app.ui.widgets.merge_dialog import MergeDialog
from app.ui.widgets.record_table import (
    muted_label,
    panel,
    record_table,
    select_row,
    tab_chain,
)
from app.ui.widgets.service_panel import ServicePanel

T = TypeVar("T")

WRITE_KEYS = "Ctrl+E"
READ_KEYS = "Ctrl+O"
SAVE_IDENTITY_KEYS = "Ctrl+I"
TRUST_KEYS = "Ctrl+T"
FINGERPRINT_KEYS = "Ctrl+F"
SEEN_KEYS = "Ctrl+M"
MERGE_KEYS = "Ctrl+Shift+M"
SERVICE_KEYS = "Ctrl+Shift+E"
# The sentences of where things stand, a little larger than the rest: the screen's answer.
STATE_POINT_SIZE = 11
# The conflicts list is never shorter than this many rows (and its header).
CONFLICT_ROWS_SHOWN = 3
# What just happened, in a soft band: the teal of actions for a result, a pale red for what
# stopped (calm, not an alarm).
_BAND = "padding: 8px 12px; border-radius: 6px;"
DONE_STYLE = f"QLabel {{ background: {ACCENT_SOFT}; color: {INK}; {_BAND} }}"
PROBLEM_STYLE = f"QLabel {{ background: #f6e3e1; color: {ALERT}; {_BAND} }}"
BUNDLE_SUFFIX = ".sjl"
IDENTITY_SUFFIX = ".json"
# What an imported bundle may have changed: every kind of record a screen shows.
RECEIVED_KINDS = (
    "beneficiary",
    "group",
    "enrolment",
    "session",
    "attendance",
    "event",
    "follow_up",
    "centre",
    "sync",
)


@dataclass(frozen=True)
class SyncView:
    """What the screen shows, read in one unit of work."""

    status: SyncStatus
    centre_code: str
    #: This register's fingerprint; None until its keys are made.
    fingerprint: str | None
    #: How the keys are kept, for the passphrase box.
    keys: KeyState
    #: The one trusted delegation, the recipient of the bundles.
    delegation: Identity | None
    conflicts: list[ConflictRecord]
    #: The open possible duplicates, and how many rows point at a removed person.
    duplicates: list[CandidateRecord]
    orphans: int


def load_view(uow: UnitOfWork) -> SyncView:
    own = keys.own_identity(uow)
    return SyncView(
        status=sync_status(uow),
        centre_code=centre_identity(uow).centre_code,
        fingerprint=own.fingerprint if own is not None else None,
        keys=key_state(uow),
        delegation=default_recipient(uow),
        conflicts=open_conflicts(uow),
        duplicates=list_candidates(uow),
        orphans=merging.orphans(uow),
    )


@dataclass(frozen=True)
class Refused:
    """A job that stopped on something to tell the person (its work rolled back)."""

    error: BaseException


def _reason(error: BaseException) -> str:
    if isinstance(error, BundleRejected):
        return error.reason
    if isinstance(error, InputRejected):
        return " ".join(e.message for e in error.errors)
    return str(error)


def _sized(points: int) -> QFont:
    """A font that only sets the size: the family still follows the language."""
    font = QFont()
    font.setPointSize(points)
    return font


def _file_problem(path: Path, error: OSError) -> str:
    reason = error.strerror or str(error)
    return _("The file {file} cannot be used: {reason}.").format(file=ltr(str(path)), reason=reason)


def _written(result: Exported) -> str:
    """What writing a bundle did, in plain words."""
    if result.changes:
        what = ngettext(
            "It holds {n} change the delegation has not received yet.",
            "It holds {n} changes the delegation has not received yet.",
            result.changes,
        ).format(n=format_number(result.changes))
    else:
        what = _("Nothing new to send: it tells the delegation what arrived here from it.")
    return _("The bundle is written: {file}. {what} Carry it to the delegation.").format(
        file=ltr(str(result.path)), what=what
    )


def _received(result: Imported, *, from_delegation: bool) -> str:
    """What reading a bundle did, in plain words."""
    if result.already_imported:
        return _("This bundle had already been read: nothing new.")
    sender = _("the delegation") if from_delegation else ltr(result.sender)
    if result.applied:
        sentences = [
            ngettext(
                "The bundle from {sender} is read: {n} new change.",
                "The bundle from {sender} is read: {n} new changes.",
                result.applied,
            ).format(sender=sender, n=format_number(result.applied))
        ]
    else:
        sentences = [
            _("The bundle from {sender} is read: it brings nothing new.").format(sender=sender)
        ]
    if result.duplicates:
        sentences.append(
            ngettext(
                "{n} change was already here.",
                "{n} changes were already here.",
                result.duplicates,
            ).format(n=format_number(result.duplicates))
        )
    if result.conflicts:
        sentences.append(
            ngettext(
                "{n} value was replaced by a concurrent edit: see below.",
                "{n} values were replaced by a concurrent edit: see below.",
                result.conflicts,
            ).format(n=format_number(result.conflicts))
        )
    if result.clock_ahead:
        sentences.append(clock_sentence(sender))
    return " ".join(sentences)


def _merged_text(merged: merging.Merged) -> str:
    """What a merge did, in plain words."""
    name = isolated(merged.kept.full_name_ar)
    if not merged.moved:
        return _("The two records are one now: {name} is kept.").format(name=name)
    return ngettext(
        "The two records are one now: {name} is kept, and {n} record of the other moved to it.",
        "The two records are one now: {name} is kept, and {n} records of the other moved to it.",
        merged.moved,
    ).format(name=name, n=format_number(merged.moved))


def _action_grid(box: QVBoxLayout) -> QGridLayout:
    """Two actions side by side, each a button over what it does."""
    grid = QGridLayout()
    grid.setHorizontalSpacing(18)
    grid.setVerticalSpacing(6)
    grid.setColumnStretch(0, 1)
    grid.setColumnStretch(1, 1)
    box.addLayout(grid)
    return grid


@dataclass(frozen=True)
class Action:
    """A button with its shortcut beside it (in ``row``), and what it does beneath."""

    button: QPushButton
    keys: QLabel
    hint: QLabel
    row: QHBoxLayout

    def into(self, row: QHBoxLayout) -> None:
        """Move the button and its shortcut to the end of ``row``."""
        row.addWidget(self.button)
        row.addWidget(self.keys)

    def back(self) -> None:
        """Put the button and its shortcut back in their own row, over the hint."""
        self.row.insertWidget(0, self.button)
        self.row.insertWidget(1, self.keys)


def _action(
    grid: QGridLayout,
    column: int,
    act: Callable[[], None],
    keys_: str,
    *,
    primary: bool = False,
) -> Action:
    """In ``column`` of ``grid``: a button with its shortcut beside it, and beneath, what
    it does."""
    button = QPushButton()
    if primary:
        button.setObjectName("primary")
    button.clicked.connect(act)
    button.setToolTip(ltr(keys_))
    shortcut = muted_label(wrap=False)
    shortcut.setText(ltr(keys_))
    row = QHBoxLayout()
    row.setSpacing(8)
    row.addWidget(button)
    row.addWidget(shortcut)
    row.addStretch(1)
    hint = muted_label()
    hint.setAlignment(Qt.AlignmentFlag.AlignTop)
    grid.addLayout(row, 0, column)
    grid.addWidget(hint, 1, column, Qt.AlignmentFlag.AlignTop)
    return Action(button, shortcut, hint, row)


class SyncScreen(Screen):
    key = "sync"
    shows = frozenset(RECEIVED_KINDS)

    #: The folder of the last bundle or identity file chosen in this session: the next
    #: dialog opens there (a USB stick, usually).
    last_folder: ClassVar[Path | None] = None

    def __init__(self, context: UiContext) -> None:
        super().__init__(context)
        self._view: SyncView | None = None
        #: The passphrase of the keys, once typed, for the rest of the session.
        self.passphrase = KeyPassphrase(self, context)
        self._outcome: Callable[[], str] | None = None
        self.fingerprint_dialog: FingerprintDialog | None = None
        self.trust_dialog: TrustDialog | None = None
        self.merge_dialog: MergeDialog | None = None

        self.heading = QLabel()
        self.heading.setObjectName("screenTitle")
        self.subheading = muted_label()
        self.outcome = QLabel()
        self.outcome.setObjectName("outcome")
        self.outcome.setWordWrap(True)
        self.outcome.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.outcome.hide()

        # -- where things stand
        self.state_panel, state_box, self.state_title = panel()
        self.state_lines = QVBoxLayout()
        self.state_lines.setSpacing(6)
        self.clock_warning = QLabel()
        self.clock_warning.setObjectName("alert")
        self.clock_warning.setWordWrap(True)
        self.clock_button = QPushButton()
        self.clock_button.clicked.connect(self.clock_checked)
        clock_row = QHBoxLayout()
        clock_row.addWidget(self.clock_button)
        clock_row.addStretch(1)
        self.fingerprint_caption = muted_label()
        self.fingerprint_digits = QLabel()
        self.fingerprint_digits.setObjectName("fingerprintDigits")
        self.fingerprint_digits.setFont(_sized(STATE_POINT_SIZE))
        self.fingerprint_digits.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
        )
        self.fingerprint_button = QPushButton()
        self.fingerprint_button.clicked.connect(self.show_fingerprint)
        self.fingerprint_keys = muted_label(wrap=False)
        fingerprint_row = QHBoxLayout()
        fingerprint_row.addWidget(self.fingerprint_button)
        fingerprint_row.addWidget(self.fingerprint_keys)
        fingerprint_row.addStretch(1)
        state_box.addLayout(self.state_lines)
        state_box.addWidget(self.clock_warning)
        state_box.addLayout(clock_row)
        state_box.addStretch(1)
        state_box.addWidget(self.fingerprint_caption)
        state_box.addWidget(self.fingerprint_digits)
        state_box.addLayout(fingerprint_row)

        # -- exchanging bundles
        self.exchange_panel, exchange_box, self.exchange_title = panel()
        exchange = _action_grid(exchange_box)
        write = _action(exchange, 0, self.write_bundle, WRITE_KEYS, primary=True)
        read = _action(exchange, 1, self.read_bundle, READ_KEYS)
        self.write_button, self.write_hint = write.button, write.hint
        self.read_button, self.read_hint = read.button, read.hint
        exchange_box.addStretch(1)

        # -- the delegation's sync service
        self.service = ServicePanel(
            context,
            session_passphrase=lambda: self.passphrase.known,
            exchange_keys=SERVICE_KEYS,
            received_kinds=RECEIVED_KINDS,
        )
        self.service.exchange_requested.connect(self._exchange_with_service)

        # -- enrolment, once
        # Before the enrolment, each button has its explanation beneath it; after, the card
        # is one line: its title and the two buttons beside it.
        self.enrolment_panel, enrolment_box, self.enrolment_title = panel()
        enrolment_box.removeWidget(self.enrolment_title)
        self.enrolment_title.setWordWrap(False)
        self._enrolment_line = QHBoxLayout()
        self._enrolment_line.setSpacing(8)
        self._enrolment_line.addWidget(self.enrolment_title)
        self._enrolment_line.addStretch(1)
        enrolment_box.insertLayout(0, self._enrolment_line)
        self.enrolment_text = muted_label()
        enrolment_box.addWidget(self.enrolment_text)
        enrolment = _action_grid(enrolment_box)
        self._enrolment_actions = (
            _action(enrolment, 0, self.save_identity, SAVE_IDENTITY_KEYS),
            _action(enrolment, 1, self.trust_identity, TRUST_KEYS),
        )
        self._enrolment_compact = False
        save, trust = self._enrolment_actions
        self.save_identity_button, self.save_identity_hint = save.button, save.hint
        self.trust_button, self.trust_hint = trust.button, trust.hint

        # -- conflicts
        self.conflicts_panel, conflicts_box, self.conflicts_title = panel()
        self.conflicts_text = muted_label()
        self.conflict_model = ConflictTableModel()
        self.conflicts_table = record_table(
            self.conflict_model, name="conflicts", multiple=True, stretch=0
        )
        self.conflicts_table.selectionModel().selectionChanged.connect(self._update_buttons)
        # The list takes the height the cards above leave, never theirs.
        self.conflicts_table.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Ignored)
        self.conflicts_table.setMinimumHeight(CONFLICT_ROWS_SHOWN * 30)
        self.seen_button = QPushButton()
        self.seen_button.clicked.connect(self.mark_chosen_seen)
        self.seen_keys = muted_label(wrap=False)
        self.all_seen_button = QPushButton()
        self.all_seen_button.clicked.connect(self.mark_all_seen)
        seen_row = QHBoxLayout()
        seen_row.addStretch(1)
        seen_row.addWidget(self.seen_keys)
        seen_row.addWidget(self.seen_button)
        seen_row.addWidget(self.all_seen_button)
        conflicts_box.addWidget(self.conflicts_text)
        conflicts_box.addWidget(self.conflicts_table, 1)
        conflicts_box.addLayout(seen_row)
        self.conflicts_panel.hide()

        # -- possible duplicates
        self.duplicates_panel = DuplicatesPanel(merge_keys=MERGE_KEYS)
        self.duplicates_panel.merge_requested.connect(self.merge_pair)

        for keys_, act in (
            (WRITE_KEYS, self.write_bundle),
            (READ_KEYS, self.read_bundle),
            (SAVE_IDENTITY_KEYS, self.save_identity),
            (TRUST_KEYS, self.trust_identity),
            (FINGERPRINT_KEYS, self.show_fingerprint),
            (SEEN_KEYS, self.mark_chosen_seen),
            (MERGE_KEYS, self.duplicates_panel.request_merge),
            (SERVICE_KEYS, self.service.exchange_now),
        ):
            QShortcut(QKeySequence(keys_), self, activated=act)

        top = QGridLayout()
        top.setSpacing(14)
        top.addWidget(self.state_panel, 0, 0)
        top.addWidget(self.exchange_panel, 0, 1)
        top.addWidget(self.service, 1, 0, 1, 2)
        # Full width: its two buttons are long in French.
        top.addWidget(self.enrolment_panel, 2, 0, 1, 2)
        top.setColumnStretch(0, 1)
        top.setColumnStretch(1, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 16)
        layout.setSpacing(10)
        layout.addWidget(self.heading)
        layout.addWidget(self.subheading)
        layout.addWidget(self.outcome)
        layout.addSpacing(4)
        layout.addLayout(top)
        layout.addWidget(self.conflicts_panel, 1)
        layout.addWidget(self.duplicates_panel, 1)
        # The page's foot stays empty when there is no conflict and no duplicate to list.
        layout.addStretch(1)
        self._foot = layout.count() - 1
        tab_chain(
            self.write_button,
            self.read_button,
            self.service.address,
            self.service.exchange_button,
            self.service.passphrase_button,
            self.save_identity_button,
            self.trust_button,
            self.clock_button,
            self.fingerprint_button,
            self.conflicts_table,
            self.seen_button,
            self.all_seen_button,
            self.duplicates_panel.table,
            self.duplicates_panel.merge_button,
        )
        self.retranslate_ui()

    # -- text ----------------------------------------------------------------------------

    def retranslate_ui(self) -> None:
        self.heading.setText(self.title())
        self.subheading.setText(
            _(
                "The register reaches the delegation in a bundle: a file carried on a USB "
                "stick or sent by e-mail. The delegation answers with a bundle of its own."
            )
        )
        self.state_title.setText(_("Where things stand"))
        self.exchange_title.setText(_("Exchange with the delegation"))
        self.enrolment_text.setText(
            _(
                "Once, at the start: the delegation and this register exchange their "
                "identities, and check each other's fingerprint by phone or face to face."
            )
        )
        self.write_button.setText(_("Write a bundle for the delegation…"))
        self.read_button.setText(_("Read a bundle…"))
        self.read_hint.setText(
            _("Read the bundle the delegation sent back: its news and its receipt.")
        )
        self.save_identity_button.setText(_("Save this register's identity…"))
        self.save_identity_hint.setText(
            _("A small file to give to the delegation, so that it can read your bundles.")
        )
        self.trust_button.setText(_("Trust the delegation's identity…"))
        self.trust_hint.setText(
            _("The delegation's file: its fingerprint is checked with the delegation first.")
        )
        self.clock_button.setText(_("The date is right now"))
        self.fingerprint_button.setText(_("Show it large"))
        self.fingerprint_keys.setText(ltr(FINGERPRINT_KEYS))
        self.fingerprint_button.setToolTip(ltr(FINGERPRINT_KEYS))
        self.seen_button.setToolTip(ltr(SEEN_KEYS))
        self.conflicts_text.setText(
            _(
                "Two computers changed the same information before exchanging. Sijill kept "
                "the later change; the value it replaced is shown here so that nothing is "
                "lost. If the kept value is wrong, correct the record, then mark the line "
                "as seen."
            )
        )
        self.seen_button.setText(_("Mark as seen"))
        self.seen_keys.setText(ltr(SEEN_KEYS))
        self.all_seen_button.setText(_("Mark all as seen"))
        self.conflict_model.retranslate()
        self.duplicates_panel.retranslate_ui()
        self.service.retranslate_ui()
        if self._outcome is not None:
            self.outcome.setText(self._outcome())
        for dialog in (self.fingerprint_dialog, self.trust_dialog, self.merge_dialog):
            if dialog is not None:
                dialog.retranslate_ui()
        self._fill()

    def _fill(self) -> None:
        """The texts that depend on what is loaded, in the current language."""
        while self.state_lines.count():
            item = self.state_lines.takeAt(0)
            if item.widget() is not None:
                item.widget().deleteLater()
        view = self._view
        if view is None:
            self._update_buttons()
            return
        peers = [peer for peer in view.status.peers if peer.role == "delegation"]
        if peers:
            lines = [line for peer in peers for line in describe_peer(peer)]
        else:
            lines = [
                _(
                    "This register does not exchange with the delegation yet. Start with "
                    "the enrolment: save this register's identity for the delegation, and "
                    "trust the delegation's identity."
                )
            ]
        for line in lines:
            label = QLabel(line)
            label.setWordWrap(True)
            label.setFont(_sized(STATE_POINT_SIZE))
            self.state_lines.addWidget(label)
        warning = view.status.clock_warning
        if warning:
            sender = (
                _("the delegation")
                if view.delegation is not None and view.delegation.code == warning
                else ltr(warning)
            )
            self.clock_warning.setText(clock_sentence(sender))
        self.clock_warning.setVisible(bool(warning))
        self.clock_button.setVisible(bool(warning))
        if view.fingerprint is None:
            self.fingerprint_caption.setText(
                _(
                    "This register's fingerprint is made with its keys, the first time they "
                    "are needed."
                )
            )
        else:
            self.fingerprint_caption.setText(_("Fingerprint of this register"))
        self.fingerprint_digits.setText(ltr(view.fingerprint or ""))
        for widget in (self.fingerprint_digits, self.fingerprint_button, self.fingerprint_keys):
            widget.setVisible(view.fingerprint is not None)
        self._arrange_enrolment(compact=view.delegation is not None)
        if view.delegation is not None:
            self.write_hint.setText(
                _(
                    "Puts in one file what the delegation has not received yet, to carry on "
                    "a USB stick or send by e-mail."
                )
            )
        else:
            self.write_hint.setText(_("Possible once the delegation's identity is trusted, below."))
        count = len(view.conflicts)
        self.conflicts_title.setText(
            ngettext(
                "{n} value was replaced by a concurrent edit",
                "{n} values were replaced by a concurrent edit",
                count,
            ).format(n=format_number(count))
        )
        self.conflicts_panel.setVisible(bool(count))
        layout = self.layout()
        assert isinstance(layout, QVBoxLayout)
        listed = count or not self.duplicates_panel.isHidden()
        layout.setStretch(self._foot, 0 if listed else 1)
        self._update_buttons()

    def _arrange_enrolment(self, *, compact: bool) -> None:
        """Once the delegation is trusted the enrolment is done: its card shrinks to one
        line, leaving the height to the conflicts."""
        self.enrolment_title.setText(
            _("Enrolment with the delegation: done")
            if compact
            else _("Enrolment with the delegation")
        )
        self.enrolment_text.setVisible(not compact)
        for action in self._enrolment_actions:
            action.hint.setVisible(not compact)
        if compact == self._enrolment_compact:
            return
        self._enrolment_compact = compact
        for action in self._enrolment_actions:
            if compact:
                action.into(self._enrolment_line)
            else:
                action.back()

    def _update_buttons(self) -> None:
        view = self._view
        loaded = view is not None
        enrolled = loaded and view.delegation is not None
        # The next step looks like one: writing a bundle is not, before the enrolment.
        if (self.write_button.objectName() == "primary") != enrolled:
            self.write_button.setObjectName("primary" if enrolled else "")
            self.write_button.style().unpolish(self.write_button)
            self.write_button.style().polish(self.write_button)
        self.write_button.setEnabled(enrolled)
        self.read_button.setEnabled(enrolled)
        self.save_identity_button.setEnabled(loaded)
        self.trust_button.setEnabled(loaded)
        self.seen_button.setEnabled(bool(self._chosen_conflicts()))
        self.all_seen_button.setEnabled(self.conflict_model.rowCount() > 0)

    def _say(self, message: Callable[[], str] | None, *, problem: bool = False) -> None:
        """What just happened, above the cards: a result, or calmly, what stopped it.
        ``message`` makes the text, again when the language changes; None clears it."""
        self._outcome = message
        self.outcome.setObjectName("alert" if problem else "outcome")
        self.outcome.setStyleSheet(PROBLEM_STYLE if problem else DONE_STYLE)
        self.outcome.setText(message() if message is not None else "")
        self.outcome.setVisible(message is not None)

    # -- loading -------------------------------------------------------------------------

    def refresh(self) -> None:
        self.context.runner.with_uow(load_view, on_done=self._show, read_only=True)

    def _show(self, view: SyncView) -> None:
        self._view = view
        chosen = {conflict.id for conflict in self._chosen_conflicts()}
        self.conflict_model.set_records(view.conflicts)
        rows = [row for row, c in enumerate(view.conflicts) if c.id in chosen] or [0]
        if view.conflicts:
            # The lines chosen before stay chosen; otherwise the first: "Mark as seen"
            # always has something to act on.
            select_row(self.conflicts_table, rows[0])
            selection = self.conflicts_table.selectionModel()
            for row in rows[1:]:
                selection.select(
                    self.conflict_model.index(row, 0),
                    QItemSelectionModel.SelectionFlag.Select
                    | QItemSelectionModel.SelectionFlag.Rows,
                )
        self.duplicates_panel.show_pairs(view.duplicates, view.orphans)
        self._fill()

    # -- files ---------------------------------------------------------------------------

    def _folder(self) -> Path:
        folder = SyncScreen.last_folder or Path(
            QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
        )
        return folder if folder.is_dir() else Path.home()

    @staticmethod
    def _remember(path: Path) -> None:
        SyncScreen.last_folder = path.parent

    def _save_path(self, *, title: str, name: str, kinds: str, suffix: str) -> Path | None:
        chosen, _kind = QFileDialog.getSaveFileName(self, title, str(self._folder() / name), kinds)
        if not chosen:
            return None
        path = Path(chosen)
        if path.suffix.lower() != suffix:
            path = path.with_name(path.name + suffix)
        self._remember(path)
        return path

    def _open_path(self, *, title: str, kinds: str) -> Path | None:
        chosen, _kind = QFileDialog.getOpenFileName(self, title, str(self._folder()), kinds)
        if not chosen:
            return None
        path = Path(chosen)
        self._remember(path)
        return path

    # -- the passphrase ------------------------------------------------------------------

    def _with_keys(
        self, run: Callable[[str | None], None], *, reason: str = "", ask: bool = False
    ) -> None:
        """Call ``run`` with the passphrase of the keys (None when the keyring keeps
        them), asking for it first when it is needed and not known yet."""
        if self._view is not None:
            self.passphrase.with_keys(self._view.keys, run, reason=reason, ask=ask)

    # -- what a job said -----------------------------------------------------------------

    def _finish(
        self,
        result: T | Refused,
        *,
        done: Callable[[T], None],
        retry: Callable[[str | None], None],
        path: Path,
    ) -> None:
        if isinstance(result, Refused):
            self._refused(result.error, retry=retry, path=path)
        else:
            done(result)

    def _refused(
        self, error: BaseException, *, retry: Callable[[str | None], None], path: Path
    ) -> None:
        """Tell the person calmly why nothing was done; a wrong or missing passphrase is
        asked again."""
        if isinstance(error, PassphraseNeeded):
            if self._view is not None:
                # Asked again; or, keys kept in another computer's keyring, which no
                # passphrase opens: why nothing was done.
                reason = self.passphrase.refused(error, self._view.keys, retry)
                if reason is not None:
                    self._say(lambda: reason, problem=True)
        elif isinstance(error, BundleRejected):
            self._say(
                lambda: _("This bundle was not read: {reason} Nothing was changed.").format(
                    reason=error.reason
                ),
                problem=True,
            )
        elif isinstance(error, InputRejected):
            self._say(lambda: _reason(error), problem=True)
        elif isinstance(error, Cancelled):
            self._say(lambda: _("Stopped: nothing was changed."))
        elif isinstance(error, OSError):
            self._say(lambda: _file_problem(path, error), problem=True)
        else:
            self.report_failure(error)

    def _job_error(
        self, *, retry: Callable[[str | None], None], path: Path
    ) -> Callable[[BaseException], None]:
        def refused(error: BaseException) -> None:
            if isinstance(error, InputRejected | OSError):
                self._refused(error, retry=retry, path=path)
            else:
                self.report_failure(error)

        return refused

    # -- bundles -------------------------------------------------------------------------

    def write_bundle(self) -> None:
        view = self._view
        if view is None or not self.write_button.isEnabled():
            return
        path = self._save_path(
            title=_("Write a bundle for the delegation"),
            name=f"sijill-{view.centre_code}-{self.context.today().isoformat()}{BUNDLE_SUFFIX}",
            kinds=_("Sijill bundles (*.sjl)"),
            suffix=BUNDLE_SUFFIX,
        )
        if path is not None:
            self._with_keys(lambda passphrase: self._export(path, passphrase))

    def _export(self, path: Path, passphrase: str | None) -> None:
        runner = self.context.runner
        register = runner.register
        assert register is not None
        self._say(None)

        def job(progress: Progress) -> Exported | Refused:
            try:
                with register.unit_of_work() as uow:
                    unlocked = keys.unlock(uow, passphrase=passphrase)
                    recipient = default_recipient(uow)
                    if recipient is None:
                        raise InputRejected(
                            FieldError("to", _("Trust the delegation's identity first."))
                        )
                    return export_bundle(
                        uow, keys=unlocked, recipient=recipient, path=path, progress=progress
                    )
            except (InputRejected, Cancelled, OSError) as error:
                return Refused(error)

        runner.run_job(
            job,
            title=_("Writing the bundle for the delegation…"),
            parent=self,
            on_done=lambda result: self._finish(
                result,
                done=self._exported,
                retry=lambda typed: self._export(path, typed),
                path=path,
            ),
        )

    def _exported(self, result: Exported) -> None:
        self._say(lambda: _written(result))
        self.context.announce("sync")

    def read_bundle(self) -> None:
        if self._view is None or not self.read_button.isEnabled():
            return
        path = self._open_path(
            title=_("Read a bundle"), kinds=_("Sijill bundles (*.sjl);;All files (*)")
        )
        if path is not None:
            self._with_keys(lambda passphrase: self._import(path, passphrase))

    def _import(self, path: Path, passphrase: str | None) -> None:
        runner = self.context.runner
        register = runner.register
        assert register is not None
        self._say(None)

        def job(progress: Progress) -> Imported | Refused:
            try:
                with register.unit_of_work() as uow:
                    unlocked = keys.unlock(uow, passphrase=passphrase)
                    return import_bundle(uow, keys=unlocked, path=path, progress=progress)
            except (InputRejected, Cancelled, OSError) as error:
                return Refused(error)

        runner.run_job(
            job,
            title=_("Reading the bundle…"),
            parent=self,
            on_done=lambda result: self._finish(
                result,
                done=self._imported,
                retry=lambda typed: self._import(path, typed),
                path=path,
            ),
        )

    def _imported(self, result: Imported) -> None:
        view = self._view
        delegation_code = view.delegation.code if view and view.delegation else None
        self._say(
            lambda: _received(result, from_delegation=result.sender == delegation_code),
            problem=result.clock_ahead,
        )
        self.context.announce(*(RECEIVED_KINDS if result.applied else ("sync",)))

    # -- the delegation's sync service ---------------------------------------------------

    def _exchange_with_service(self, reason: str) -> None:
        """The service panel asked for an exchange: open the keys, asking for the
        passphrase when it is needed (again, saying why, when ``reason`` is given)."""
        self._with_keys(self.service.exchange_with, reason=reason, ask=bool(reason))

    # -- enrolment -----------------------------------------------------------------------

    def save_identity(self) -> None:
        view = self._view
        if view is None:
            return
        path = self._save_path(
            title=_("Save this register's identity"),
            name=f"sijill-identity-{view.centre_code}{IDENTITY_SUFFIX}",
            kinds=_("Identity files (*.json)"),
            suffix=IDENTITY_SUFFIX,
        )
        if path is not None:
            self._with_keys(lambda passphrase: self._save_identity(path, passphrase))

    def _save_identity(self, path: Path, passphrase: str | None) -> None:
        self._say(None)

        def work(uow: UnitOfWork) -> str:
            unlocked = keys.unlock(uow, passphrase=passphrase)
            path.write_bytes(keys.identity_file(unlocked))
            return unlocked.identity.fingerprint

        self.context.runner.with_uow(
            work,
            on_done=lambda fingerprint: self._identity_saved(path, fingerprint),
            on_error=self._job_error(
                retry=lambda typed: self._save_identity(path, typed), path=path
            ),
        )

    def _identity_saved(self, path: Path, fingerprint: str) -> None:
        self._say(
            lambda: _(
                "This register's identity is saved in {file}. Give this file to the "
                "delegation, then read it the fingerprint: {fingerprint}."
            ).format(file=ltr(str(path)), fingerprint=ltr(fingerprint))
        )
        self.context.announce("sync")

    def trust_identity(self) -> None:
        if self._view is None or self.trust_dialog is not None:
            return
        path = self._open_path(
            title=_("Trust the delegation's identity"),
            kinds=_("Identity files (*.json);;All files (*)"),
        )
        if path is None:
            return
        self._say(None)
        self.context.runner.run(
            lambda: keys.read_identity_file(path.read_bytes()),
            on_done=self._confirm_trust,
            on_error=self._job_error(retry=lambda _typed: None, path=path),
        )

    def _confirm_trust(self, identity: Identity) -> None:
        if identity.role != "delegation":
            self._say(
                lambda: _(
                    "This file is the identity of the centre {code}, not of the delegation. "
                    "Ask the delegation for the identity file of its register."
                ).format(code=ltr(identity.code)),
                problem=True,
            )
            return
        dialog = TrustDialog(
            name=identity.name, code=identity.code, fingerprint=identity.fingerprint, parent=self
        )
        dialog.accepted.connect(lambda: self._trust(identity))
        dialog.finished.connect(self._trust_dialog_closed)
        self.trust_dialog = dialog
        dialog.open()
        dialog.same.setFocus()

    def _trust_dialog_closed(self) -> None:
        if self.trust_dialog is not None:
            self.trust_dialog.deleteLater()
        self.trust_dialog = None
        self.trust_button.setFocus()

    def _trust(self, identity: Identity) -> None:
        self.context.runner.with_uow(
            lambda uow: keys.trust(uow, identity),
            on_done=lambda _trusted: self._trusted(),
            on_error=self._job_error(retry=lambda _typed: None, path=Path()),
        )

    def _trusted(self) -> None:
        self._say(
            lambda: _(
                "The delegation's identity is trusted: bundles can now be written for it "
                "and read from it."
            )
        )
        self.context.announce("sync")

    def show_fingerprint(self) -> None:
        view = self._view
        if view is None or view.fingerprint is None or self.fingerprint_dialog is not None:
            return
        dialog = FingerprintDialog(view.fingerprint, code=view.centre_code, parent=self)
        dialog.finished.connect(self._fingerprint_closed)
        self.fingerprint_dialog = dialog
        dialog.open()

    def _fingerprint_closed(self) -> None:
        if self.fingerprint_dialog is not None:
            self.fingerprint_dialog.deleteLater()
        self.fingerprint_dialog = None
        self.fingerprint_button.setFocus()

    # -- the clock and the conflicts -----------------------------------------------------

    def clock_checked(self) -> None:
        self.context.runner.with_uow(
            clear_clock_warning,
            on_done=lambda _none: self.context.announce("sync"),
            on_error=self.report_failure,
        )

    def _chosen_conflicts(self) -> list[ConflictRecord]:
        rows = sorted(
            {index.row() for index in self.conflicts_table.selectionModel().selectedRows()}
        )
        return [record for row in rows if (record := self.conflict_model.record_at(row))]

    def mark_chosen_seen(self) -> None:
        self._mark_seen([conflict.id for conflict in self._chosen_conflicts()])

    def mark_all_seen(self) -> None:
        self._mark_seen([conflict.id for conflict in self.conflict_model.records()])

    def _mark_seen(self, ids: list[uuid.UUID]) -> None:
        if not ids:
            return
        self.context.runner.with_uow(
            lambda uow: mark_seen(uow, ids),
            on_done=lambda _count: self.context.announce("sync"),
            on_error=self.report_failure,
        )

    # -- possible duplicates -------------------------------------------------------------

    def merge_pair(self, candidate_id: uuid.UUID) -> None:
        """Show the two records of the pair side by side, to choose the one to keep."""
        if self.merge_dialog is not None:
            return
        self._say(None)
        self.context.runner.with_uow(
            lambda uow: merging.preview(uow, candidate_id),
            read_only=True,
            on_done=self._open_merge_dialog,
            on_error=self._job_error(retry=lambda _typed: None, path=Path()),
        )

    def _open_merge_dialog(self, shown: merging.MergePreview) -> None:
        dialog = MergeDialog(shown, parent=self)
        dialog.submitted.connect(lambda kept: self._merge(dialog, shown.candidate_id, kept))
        dialog.finished.connect(self._merge_dialog_closed)
        self.merge_dialog = dialog
        dialog.open()

    def _merge(self, dialog: MergeDialog, candidate_id: uuid.UUID, kept: uuid.UUID) -> None:
        def refused(error: BaseException) -> None:
            if isinstance(error, InputRejected):
                dialog.show_errors(error)
            else:
                dialog.reject()
                self.report_failure(error)

        self.context.runner.with_uow(
            lambda uow: merging.merge(uow, candidate_id, keep=kept),
            on_done=lambda merged: self._merged(dialog, merged),
            on_error=refused,
        )

    def _merged(self, dialog: MergeDialog, merged: merging.Merged) -> None:
        dialog.accept()
        self._say(lambda: _merged_text(merged))
        self.context.announce(*RECEIVED_KINDS)

    def _merge_dialog_closed(self) -> None:
        if self.merge_dialog is not None:
            self.merge_dialog.deleteLater()
        self.merge_dialog = None
        self.duplicates_panel.table.setFocus()
