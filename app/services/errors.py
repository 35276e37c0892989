"""Typed errors the services raise; each carries a message in the user's language.

``InputRejected`` means the person's input was refused and nothing was written; the CLI
turns it into exit code 3, a screen shows its ``field`` errors next to the fields.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


class SijillError(Exception):
    """Base of every error the services raise on purpose."""


@dataclass(frozen=True)
class FieldError:
    """One refused value: which field, and why, already translated."""

    field: str
    message: str


class InputRejected(SijillError):
    """The input was refused; nothing was written."""

    def __init__(self, errors: list[FieldError] | FieldError) -> None:
        self.errors = errors if isinstance(errors, list) else [errors]
        super().__init__(self.summary())

    def summary(self) -> str:
        """One line naming every refused field."""
        return "; ".join(f"{e.field}: {e.message}" if e.field else e.message for e in self.errors)


class NotFound(InputRejected):
    """A reference names nothing in the register."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(FieldError(field, message))


class DuplicateCin(InputRejected):
    """Another living beneficiary of the centre already has this CIN."""

    def __init__(self, message: str, *, existing: Any) -> None:
        self.existing = existing
        super().__init__(FieldError("cin", message))


class NotInitialised(SijillError):
    """The database has no centre or delegation yet (run ``sijill init``)."""
