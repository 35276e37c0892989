"""The passphrase of the register's keys, for a screen whose job must sign or open a
bundle (the Sync screen, the certificates).

On a computer with no keyring the register's keys are sealed under a passphrase: it is
asked before the job starts (twice when the keys are being made, so that a slip of the
finger does not lock them away), kept for the rest of the session by every screen alike
(``UiContext.key_passphrase``), and asked again when the job finds it wrong. The job
itself opens the keys (``services.keys.unlock``), on the worker thread.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QInputDialog, QLineEdit, QWidget

from app.i18n import _, format_number
from app.services import keys
from app.services.keys import PassphraseNeeded
from app.services.unit_of_work import UnitOfWork

if TYPE_CHECKING:
    from app.ui.context import UiContext


@dataclass(frozen=True)
class KeyState:
    """How the register's keys are kept, read before a job needs them."""

    #: "keyring" or "passphrase"; None before the keys are made.
    protection: str | None
    #: Whether this computer has a keyring to keep new keys in.
    keyring: bool

    @property
    def needs_passphrase(self) -> bool:
        return self.protection == "passphrase" or (self.protection is None and not self.keyring)


def key_state(uow: UnitOfWork) -> KeyState:
    return KeyState(protection=keys.protection(uow), keyring=keys.keyring_available())


class KeyPassphrase:
    """A screen's way to the passphrase typed in this session, kept until it proves
    wrong."""

    def __init__(self, parent: QWidget, context: UiContext) -> None:
        self._parent = parent
        self._context = context

    @property
    def known(self) -> str | None:
        """The passphrase typed in this session, None while none is."""
        return self._context.key_passphrase

    def with_keys(
        self,
        state: KeyState,
        run: Callable[[str | None], None],
        *,
        reason: str = "",
        ask: bool = False,
    ) -> None:
        """Call ``run`` with the passphrase (None when the keyring keeps the keys), asking
        for it first when it is needed and not known yet (again with ``ask``: the one
        known is then forgotten); nothing when the person gives up."""
        if ask:
            self._context.key_passphrase = None
        if not (ask or state.needs_passphrase):
            run(None)
            return
        if self._context.key_passphrase is None:
            typed = self._ask(making=state.protection is None, reason=reason)
            if typed is None:
                return
            self._context.key_passphrase = typed
        run(self._context.key_passphrase)

    def refused(
        self, error: PassphraseNeeded, state: KeyState, retry: Callable[[str | None], None]
    ) -> str | None:
        """The job did not open the keys: ask again and retry, or (keys kept in another
        computer's keyring, which no passphrase opens) the reason to show."""
        self._context.key_passphrase = None
        reason = " ".join(e.message for e in error.errors)
        if state.protection == "keyring":
            return reason
        self.with_keys(state, retry, reason=reason, ask=True)
        return None

    def _ask(self, *, making: bool, reason: str) -> str | None:
        title = _("Passphrase of the register's keys")
        if making:
            question = _(
                "This computer has no keyring to keep the register's keys: choose a "
                "passphrase to protect them, at least {count} characters. Keep it safe: "
                "without it, no certificate can be signed and no bundle written or read."
            ).format(count=format_number(keys.MIN_PASSPHRASE))
        else:
            question = _("Type the passphrase of the register's keys.")
        if reason:
            question = f"{reason}\n\n{question}"
        typed, given = QInputDialog.getText(
            self._parent, title, question, QLineEdit.EchoMode.Password
        )
        if not given:
            return None
        if making:
            again, given = QInputDialog.getText(
                self._parent,
                title,
                _("Type the same passphrase again."),
                QLineEdit.EchoMode.Password,
            )
            if not given:
                return None
            if again != typed:
                return self._ask(making=True, reason=_("The two passphrases differ."))
        return typed
